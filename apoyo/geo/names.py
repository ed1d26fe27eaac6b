"""Municipality names as people write them. INE's section catalogues drop the accent of a capital
letter (Alamos for Álamos, Imuris for Ímuris): the bundled Sonora catalogue carries the accented
names, migration 0003 fixes rows loaded before, and an import never trades a stored name for the
same name with fewer accents."""

from apoyo.core.search import search_text

# (state, INE municipality key): (as INE's catalogue writes it, the official name).
ACCENTED_NAMES = {
    (26, 6): ("Atil", "Átil"),
    (26, 24): ("Imuris", "Ímuris"),
    (26, 62): ("Alamos", "Álamos"),
    (26, 66): ("Onavas", "Ónavas"),
}


def _accents(name):
    return sum(1 for char in name if not char.isascii())


def better_name(stored, incoming):
    """The name to keep when an import brings `incoming` for a municipality stored as `stored`:
    the incoming one, unless it is the same name with fewer accents or Ñ ("Alamos" does not
    replace "Álamos"; "Álamos" does replace "Alamos")."""
    if search_text(stored) == search_text(incoming) and _accents(incoming) < _accents(stored):
        return stored
    return incoming

"""What a carga masiva stores with each valid row besides its cells: the warnings manual capture
shows and the name as searches read it (Support.search_name).

Worked out while the file is validated, row after row in file order, so the transaction that
stores the upload (on SQLite, holding the database's only write lock) does nothing but insert.
"""

from apoyo.core.identity import elector_key_warnings
from apoyo.supports.models import Status, Support, search_name_of
from apoyo.supports.services import REPEATED_KEY_WARNING


class RowExtras:
    """The warnings of each valid row: the clave against the names (core.identity), and the same
    clave already captured for the aspirant, in an earlier row of the file or before it (the
    later ones are marked); and its search name. One query for the keys already stored."""

    def __init__(self, aspirant_id):
        active = Support.objects.exclude(status=Status.WITHDRAWN).filter(aspirant=aspirant_id)
        self.seen = set(active.values_list("elector_key", flat=True))

    def of(self, row):
        """(warnings as stored, search name) of a valid row; rows must come in file order."""
        found = elector_key_warnings(
            row.elector_key, row.name, row.paternal_surname, row.maternal_surname
        )
        if row.elector_key in self.seen:
            found.append(REPEATED_KEY_WARNING)
        self.seen.add(row.elector_key)
        search_name = search_name_of(row.name, row.paternal_surname, row.maternal_surname)
        return "\n".join(found), search_name

"""Import of the marco geográfico electoral (import_geo in CONTRACT.md).

The catalogue is all-or-nothing: every row is validated in memory first, and only a file without
errors is written, in one transaction, with bulk operations. Existing rows are updated in place;
nothing is ever deleted (sections are referenced by supports and roll records).
"""

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import transaction

from apoyo.core.tabular import canonical_header, open_table
from apoyo.geo.models import FederalDistrict, LocalDistrict, Municipality, Section, State
from apoyo.geo.names import better_name

SONORA_CATALOGUE = Path(__file__).resolve().parent / "data" / "sonora_secciones.csv"

REQUIRED_COLUMNS = [
    "ENTIDAD",
    "SECCION",
    "MUNICIPIO",
    "NOMBRE_MUNICIPIO",
    "DISTRITO_LOCAL",
    "DISTRITO_FEDERAL",
]
OPTIONAL_COLUMNS = ["TIPO_SECCION"]

SECTION_TYPES = {
    "": "",
    "U": "U",
    "URBANA": "U",
    "R": "R",
    "RURAL": "R",
    "M": "M",
    "MIXTA": "M",
}
SMALL_MAX = 32767  # PositiveSmallIntegerField
SECTION_MAX = 2147483647  # PositiveIntegerField
NAME_MAX = Municipality._meta.get_field("name").max_length
BATCH_SIZE = 1000

_INTEGER_TEXT = re.compile(r"\d+(?:\.0*)?")


class GeoImportError(Exception):
    """The catalogue has invalid rows; nothing was imported.

    `errors` lists every (row, column, reason); str() is one Spanish line: the count and the first.
    """

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_summary(errors))


def format_error(row, column, reason):
    return f"Fila {row}, columna {column}: {reason}."


def _summary(errors):
    rows = len({row for row, _, _ in errors})
    noun = "fila con errores" if rows == 1 else "filas con errores"
    return f"No se importó nada: {rows} {noun}. {format_error(*errors[0])}"


@dataclass(frozen=True)
class GeoRow:
    number: int
    state: int
    section: int
    municipality: int
    municipality_name: str
    local_district: int
    federal_district: int
    section_type: str


# --- Cell parsing: each returns (value, reason); reason is None when the value is valid ---


def _show(value):
    return f'"{value}"'


def parse_positive_int(value, maximum):
    """Accept 26, 26.0 (Excel) and "26", " 26 ", "26.0" (text); refuse 26.5, 0, text, booleans."""
    if isinstance(value, bool):
        return None, f"{_show(value)} no es un número entero"
    if isinstance(value, float):
        if not value.is_integer():
            return None, f"{_show(value)} no es un número entero"
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, "está vacía"
        if not _INTEGER_TEXT.fullmatch(text):
            return None, f"{_show(text)} no es un número entero"
        value = int(text.split(".")[0])
    if not isinstance(value, int):
        return None, f"{_show(value)} no es un número entero"
    if not 1 <= value <= maximum:
        return None, f"{value} está fuera del rango permitido (1 a {maximum})"
    return value, None


def parse_name(value):
    """Trim and collapse inner spaces; case and accents are kept as written."""
    name = " ".join(str(value).split()) if value is not None else ""
    if not name:
        return None, "está vacía"
    if len(name) > NAME_MAX:
        return None, f"el nombre tiene más de {NAME_MAX} caracteres"
    return name, None


def parse_section_type(value):
    """Urbana/Rural/Mixta or U/R/M, in any case and with or without accents; empty is allowed."""
    if value is None:
        return "", None
    code = SECTION_TYPES.get(canonical_header(value)) if isinstance(value, str) else None
    if code is None:
        return None, f"{_show(value)} no es un tipo de sección válido (Urbana, Rural o Mixta)"
    return code, None


_small_int = partial(parse_positive_int, maximum=SMALL_MAX)
_large_int = partial(parse_positive_int, maximum=SECTION_MAX)

# (GeoRow field, column, parser) for every cell of a row.
_CELLS = (
    ("state", "ENTIDAD", _large_int),  # any size: an unknown state is reported as such
    ("section", "SECCION", _large_int),
    ("municipality", "MUNICIPIO", _small_int),
    ("municipality_name", "NOMBRE_MUNICIPIO", parse_name),
    ("local_district", "DISTRITO_LOCAL", _small_int),
    ("federal_district", "DISTRITO_FEDERAL", _small_int),
    ("section_type", "TIPO_SECCION", parse_section_type),
)

# --- Validation of the whole file ---


class _Validator:
    """Collects valid rows and every error, including conflicts between rows."""

    def __init__(self, states):
        self.states = states
        self.rows = []
        self.errors = []
        self.section_rows = {}  # (state, section) -> row number of its first appearance
        self.municipality_names = {}  # (state, municipality) -> (name, row number)

    def add(self, number, cells):
        values = self._parse_cells(number, cells)
        if values is None:
            return
        row = GeoRow(number, **values)
        if self._check_conflicts(row):
            self.rows.append(row)

    def _error(self, number, column, reason):
        self.errors.append((number, column, reason))

    def _parse_cells(self, number, cells):
        """The row's values by GeoRow field, or None when a cell is invalid (errors recorded)."""
        values = {}
        for field, column, parse in _CELLS:
            value, reason = parse(cells.get(column))
            if reason is not None:
                self._error(number, column, reason)
            values[field] = value
        if values["state"] is not None and values["state"] not in self.states:
            self._error(number, "ENTIDAD", f"la entidad {values['state']} no existe")
            return None
        if any(value is None for value in values.values()):
            return None
        return values

    def _check_conflicts(self, row):
        ok = True
        section_key = (row.state, row.section)
        first = self.section_rows.setdefault(section_key, row.number)
        if first != row.number:
            reason = f"la sección {row.section} ya aparece en la fila {first}"
            self._error(row.number, "SECCION", reason)
            ok = False
        municipality_key = (row.state, row.municipality)
        name, first = self.municipality_names.setdefault(
            municipality_key, (row.municipality_name, row.number)
        )
        if name != row.municipality_name:
            self._error(
                row.number,
                "NOMBRE_MUNICIPIO",
                f"el municipio {row.municipality} se llama {_show(name)} en la fila {first}",
            )
            ok = False
        return ok


def read_geo_rows(path):
    """Validate the whole file; return its rows, or raise GeoImportError listing every error."""
    table = open_table(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    validator = _Validator(set(State.objects.values_list("number", flat=True)))
    for number, values in table.rows():
        validator.add(number, dict(zip(table.fields, values, strict=True)))
    if validator.errors:
        raise GeoImportError(sorted(validator.errors, key=lambda error: error[0]))
    return validator.rows


# --- Writing ---


def _by_key(model, states):
    return {(obj.state_id, obj.number): obj for obj in model.objects.filter(state_id__in=states)}


def _save_municipalities(rows, states):
    names = {(row.state, row.municipality): row.municipality_name for row in rows}
    existing = _by_key(Municipality, states)
    new = [
        Municipality(state_id=state, number=number, name=name)
        for (state, number), name in names.items()
        if (state, number) not in existing
    ]
    changed = []
    for key, municipality in existing.items():
        name = better_name(municipality.name, names[key]) if key in names else municipality.name
        if municipality.name != name:
            municipality.name = name
            changed.append(municipality)
    Municipality.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Municipality.objects.bulk_update(changed, ["name"], batch_size=BATCH_SIZE)
    return _by_key(Municipality, states), len(new), len(changed)


def _save_districts(model, keys, states):
    existing = _by_key(model, states)
    new = [model(state_id=state, number=number) for state, number in keys - existing.keys()]
    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return _by_key(model, states), len(new)


def _section_values(row, municipalities, local_districts, federal_districts):
    return {
        "municipality_id": municipalities[(row.state, row.municipality)].pk,
        "local_district_id": local_districts[(row.state, row.local_district)].pk,
        "federal_district_id": federal_districts[(row.state, row.federal_district)].pk,
        "section_type": row.section_type,
    }


def _apply(section, values):
    """Set values on an existing section; True when anything changed."""
    if all(getattr(section, field) == value for field, value in values.items()):
        return False
    for field, value in values.items():
        setattr(section, field, value)
    return True


def _save_sections(rows, states, *lookups):
    existing = _by_key(Section, states)
    new, changed = [], []
    for row in rows:
        values = _section_values(row, *lookups)
        section = existing.get((row.state, row.section))
        if section is None:
            new.append(Section(state_id=row.state, number=row.section, **values))
        elif _apply(section, values):
            changed.append(section)
    Section.objects.bulk_create(new, batch_size=BATCH_SIZE)
    fields = ["municipality", "local_district", "federal_district", "section_type"]
    Section.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    return len(new), len(changed)


def import_geo(path) -> dict:
    """Import a catalogue file; raise FileRejected or GeoImportError when nothing can be imported.

    Returns the counts: `sections`, `municipalities`, `local_districts`, `federal_districts` (how
    many the file holds) and the `_created` / `_updated` of each (districts have nothing to update).
    """
    rows = read_geo_rows(path)
    states = {row.state for row in rows}
    local_keys = {(row.state, row.local_district) for row in rows}
    federal_keys = {(row.state, row.federal_district) for row in rows}
    with transaction.atomic():
        municipalities, municipalities_created, municipalities_updated = _save_municipalities(
            rows, states
        )
        local_districts, local_created = _save_districts(LocalDistrict, local_keys, states)
        federal_districts, federal_created = _save_districts(FederalDistrict, federal_keys, states)
        sections_created, sections_updated = _save_sections(
            rows, states, municipalities, local_districts, federal_districts
        )
    return {
        "sections": len(rows),
        "sections_created": sections_created,
        "sections_updated": sections_updated,
        "municipalities": len({(row.state, row.municipality) for row in rows}),
        "municipalities_created": municipalities_created,
        "municipalities_updated": municipalities_updated,
        "local_districts": len(local_keys),
        "local_districts_created": local_created,
        "federal_districts": len(federal_keys),
        "federal_districts_created": federal_created,
    }


def summary(counts):
    """The Spanish one-line report of a successful import."""
    return (
        f"Marco geográfico importado: {counts['sections']} secciones "
        f"({counts['sections_created']} nuevas, {counts['sections_updated']} actualizadas), "
        f"{counts['municipalities']} municipios, {counts['local_districts']} distritos locales, "
        f"{counts['federal_districts']} distritos federales."
    )

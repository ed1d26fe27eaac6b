"""How validation decides each row of a carga masiva (rejected, skipped as already registered or
repeated, or valid), and what a valid row stores besides its cells: the warnings manual capture
shows and the name as searches read it (Support.search_name).

Worked out while the file is validated, row after row in file order, so the transaction that
stores the upload (on SQLite, holding the database's only write lock) does nothing but insert.
"""

from apoyo.core.cells import cell_text
from apoyo.core.identity import elector_key_warnings
from apoyo.supports.models import Channel, IssueKind, Status, Support, search_name_of
from apoyo.supports.rules import COLUMNS, OPTIONAL_COLUMNS, RowError
from apoyo.supports.services import ASPIRANT_INCONSISTENCY_MESSAGE, REPEATED_KEY_WARNING


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


class RowClassifier:
    """Decides each validated row: rejected (its errors), skipped (already registered or repeated
    in the file) or valid; keeps the keys seen so far for the duplicate check."""

    def __init__(self, upload, fields, outcome):
        self.fields = fields
        self.outcome = outcome
        self.by_aspirant = upload.channel == Channel.ASPIRANT
        self.registered = registered_keys(upload.aspirant)
        self.seen = {}
        # Worked out here, not while storing: the storing transaction (on SQLite, the only write
        # lock) then only inserts.
        self.extras = None if upload.dry_run else RowExtras(upload.aspirant_id)

    def __call__(self, chunk, results):
        """Decide each row of a validated chunk (its results aligned with it), in file order."""
        outcome = self.outcome
        outcome.rows_read += len(chunk)
        registered, seen, by_aspirant = self.registered, self.seen, self.by_aspirant
        extras = self.extras.of if self.extras else lambda row: ()
        for (row_number, values), (row, errors) in zip(chunk, results, strict=True):
            if errors or (by_aspirant and row.inconsistency_code):
                self.reject(row_number, values, errors)
                continue
            key = (row.reference, row.elector_key)
            if key in registered or key in seen:
                outcome.skipped += 1
                reason = skip_reason(key, registered, seen)
                outcome.add_issue(IssueKind.SKIPPED, row_number, "", reason, self.shown(values))
                continue
            seen[key] = row_number
            outcome.add_valid(row_number, row, *extras(row))

    def reject(self, row_number, values, errors):
        # No errors: an aspirant's valid row that carries a tipo de inconsistencia.
        if self.by_aspirant and not errors:
            errors = [RowError("TIPO_INCONSISTENCIA", ASPIRANT_INCONSISTENCY_MESSAGE)]
        outcome, shown = self.outcome, self.shown(values)
        outcome.rejected += 1
        for error in errors:
            outcome.add_issue(IssueKind.REJECTED, row_number, error.column, error.message, shown)

    def shown(self, values):
        return shown_values(dict(zip(self.fields, values, strict=True)))


def registered_keys(aspirant):
    """(folio, clave) of the aspirant's active supports: a row matching one is already registered."""
    active = Support.objects.filter(aspirant=aspirant).exclude(status=Status.WITHDRAWN)
    return set(active.values_list("cedula__reference", "elector_key"))


def skip_reason(key, registered, seen):
    if key in registered:
        return f"Ya registrado para el aspirante (cédula {key[0]}, clave {key[1]})."
    if key in seen:
        return f"Repetida en el archivo: la fila {seen[key]} tiene la misma cédula y clave."
    return None


def shown_values(raw):
    """The row's original values as text, for the error report."""
    return {
        column: cell_text(raw.get(column)) for column in COLUMNS + OPTIONAL_COLUMNS if column in raw
    }

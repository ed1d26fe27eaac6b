"""Column-wise validation of a chunk of carga masiva rows with polars (issue 15, target 1).

The rules are those of apoyo.supports.rules (CONTRACT.md upload_supports), which stay the only
authority: this module only recognises, a column at a time, the rows that meet every rule in the
ordinary way (text cells, or a date cell, that are already valid) and normalises them. Every other
row goes through `validate_support_row` itself, which gives its exact messages. A property test
(tests/test_columnar.py) proves that both give the same result for any row.

Values that normalisation leaves as they are (already upper case ASCII words, a well-formed clave)
are recognised by one regular expression; the others are normalised by the very functions of
apoyo.core.identity, once per distinct value, so the two paths cannot disagree on a value.
"""

from functools import partial
from operator import itemgetter

import polars as pl

from apoyo.core.identity import normalize_key, normalize_text
from apoyo.supports.rules import (
    COMMENT_REQUIRED_CODES,
    MAX_COMMENT_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REFERENCE_LENGTH,
    SupportRow,
    common_date,
    is_blank,
    validate_support_row,
)

# Printable ASCII except lower case, plus Ñ, in words separated by single spaces: normalize_text
# returns such a text unchanged (no accents, no case to change, no spaces to collapse).
_NORMALISED_TEXT = r"^(?:[!-`{-~Ñ]+(?: [!-`{-~Ñ]+)*)?$"
_ELECTOR_KEY = r"^[A-Z]{6}[0-9]{8}[HM][0-9]{3}$"
_OCR = r"^[0-9]{13}$"
_NAMES = ("NOMBRE", "APELLIDO_PATERNO", "APELLIDO_MATERNO")


def _code_of(text):
    return normalize_text(text).replace(" ", "_")


def _collapsed(text):
    return " ".join(text.split())


class _Columns:
    """The chunk's cells by column, and which rows may still take the ordinary path."""

    def __init__(self, fields, chunk):
        self.size = len(chunk)
        columns = zip(*map(itemgetter(1), chunk), strict=True)
        self.cells = dict(zip(fields, columns, strict=True)) if chunk else {}
        self.ok = pl.Series([True] * self.size)

    def raw(self, name):
        return self.cells.get(name) or (None,) * self.size

    def text(self, name, required):
        """The column as a String series (null for a missing cell). A cell of another type (a
        number, a date, a logical value), or a missing required one, leaves the ordinary path."""
        cells = self.raw(name)
        if set(map(type, cells)) == {str}:  # the types of the column, gathered at C speed
            return pl.Series(cells, dtype=pl.String)
        texts = [cell if type(cell) is str else None for cell in cells]
        allowed = [type(cell) is str or (cell is None and not required) for cell in cells]
        self.ok &= pl.Series(allowed, dtype=pl.Boolean)
        return pl.Series(texts, dtype=pl.String)

    def require(self, condition):
        self.ok &= condition.fill_null(False)


def _normalised(values, ready, function):
    """`function` applied to the values not `ready` (those it would leave unchanged), once per
    distinct value."""
    pending = values.filter(~ready.fill_null(True)).unique()
    if pending.is_empty():
        return values
    old = pending.to_list()
    return values.replace(old, [function(value) for value in old])


def _names(columns):
    """NUMERO_REFERENCIA, NOMBRE and the surnames, normalised, with their rules."""
    reference = columns.text("NUMERO_REFERENCIA", required=True)
    reference = _normalised(reference, reference.str.contains(_NORMALISED_TEXT), normalize_text)
    columns.require((reference != "") & (reference.str.len_chars() <= MAX_REFERENCE_LENGTH))
    names = []
    for name in _NAMES:
        values = columns.text(name, required=name == "NOMBRE").fill_null("")
        values = _normalised(values, values.str.contains(_NORMALISED_TEXT), normalize_text)
        columns.require(values.str.len_chars() <= MAX_NAME_LENGTH)
        names.append(values)
    given, paternal, maternal = names
    columns.require((given != "") & ((paternal != "") | (maternal != "")))
    return reference, given, paternal, maternal


def _key(columns, name, pattern):
    values = columns.text(name, required=True)
    values = _normalised(values, values.str.contains(pattern), normalize_key)
    columns.require(values.str.contains(pattern))
    return values


def _code_and_comment(columns, codes):
    code = columns.text("TIPO_INCONSISTENCIA", required=False).fill_null("")
    known = pl.Series(sorted(codes), dtype=pl.String).implode()
    code = _normalised(code, (code == "") | code.is_in(known), _code_of)
    columns.require((code == "") | code.is_in(known))
    comment = columns.text("COMENTARIO", required=False).fill_null("")
    comment = _normalised(comment, comment == "", _collapsed)
    required = code.is_in(pl.Series(sorted(COMMENT_REQUIRED_CODES), dtype=pl.String).implode())
    columns.require((comment.str.len_chars() <= MAX_COMMENT_LENGTH) & ~((comment == "") & required))
    return code, comment


def _dates(columns, period, default_date):
    """FECHA_APOYO of each row (None when it leaves the ordinary path) and whether it was
    written; a file holds few distinct date cells, each read once."""
    seen = {}
    dates, written = [], []
    for cell in columns.raw("FECHA_APOYO"):
        key = (type(cell), cell)
        if key not in seen:
            blank = is_blank(cell)
            seen[key] = (default_date if blank else common_date(cell, period), not blank)
        day, was_written = seen[key]
        dates.append(day)
        written.append(was_written)
    columns.require(pl.Series([day is not None for day in dates], dtype=pl.Boolean))
    return dates, written


def validate_chunk(fields, chunk, inconsistency_codes, period, default_date):
    """Validate a list of (row_number, values) aligned with `fields`, as
    apoyo.supports.rules.validate_chunk does: [(row, errors)] in the chunk's order."""
    columns = _Columns(fields, chunk)
    if not columns.size:
        return []
    reference, given, paternal, maternal = _names(columns)
    key = _key(columns, "CLAVE_ELECTOR", _ELECTOR_KEY)
    ocr = _key(columns, "OCR", _OCR)
    code, comment = _code_and_comment(columns, inconsistency_codes)
    dates, written = _dates(columns, period, default_date)
    # The ordinary rows as built here, the others by the full rules (a SupportRow is built for
    # every row: cheaper than picking the ordinary ones out first).
    # tuple.__new__ builds each SupportRow without the Python frame of its __new__.
    built = map(
        partial(tuple.__new__, SupportRow),
        zip(
            reference.to_list(),
            given.to_list(),
            paternal.to_list(),
            maternal.to_list(),
            key.to_list(),
            ocr.to_list(),
            code.to_list(),
            comment.to_list(),
            dates,
            written,
            strict=True,
        ),
    )
    return [
        (row, [])
        if ok
        else validate_support_row(
            dict(zip(fields, values, strict=True)),
            inconsistency_codes=inconsistency_codes,
            period=period,
            default_date=default_date,
        )
        for (_, values), ok, row in zip(chunk, columns.ok.to_list(), built, strict=True)
    ]

"""Vectorised normalization and validation of roll rows with polars (CONTRACT.md import_roll).

A roll file has millions of rows and Python costs about 10 µs per row operation on the target
machine, so rows are never handled one by one here: each batch is a polars DataFrame of text
columns and every rule is a column expression. The rules are those of CONTRACT.md ("Running
commands": text normalization; "import_roll": columns, situations and removal causes) and
DOMAIN.md ("Identity formats").

Text normalization matches apoyo.core.identity: trim, collapse spaces, upper case, drop accents but
keep Ñ; keys also drop spaces and hyphens. Values already normalized (the usual case in INE's
files) are recognised by one regular expression; only the others go through the full work.
"""

from dataclasses import dataclass, field

import polars as pl

from apoyo.core.identity import accented_letters
from apoyo.roll.models import ROLL_SITUATIONS, RegistryStatus, RemovalCause

COLUMNS = [
    "CLAVE_ELECTOR",
    "OCR",
    "CIC",
    "NOMBRE",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "FECHA_NACIMIENTO",
    "SEXO",
    "ENTIDAD",
    "SECCION",
    "SITUACION",
    "CAUSA_BAJA",
]
COLUMN_LABELS = {
    "CLAVE_ELECTOR": "Clave de elector",
    "OCR": "OCR",
    "CIC": "CIC",
    "NOMBRE": "Nombre",
    "APELLIDO_PATERNO": "Apellido paterno",
    "APELLIDO_MATERNO": "Apellido materno",
    "FECHA_NACIMIENTO": "Fecha de nacimiento",
    "SEXO": "Sexo",
    "ENTIDAD": "Entidad",
    "SECCION": "Sección",
    "SITUACION": "Situación",
    "CAUSA_BAJA": "Causa de baja",
}
ROW = "__fila__"
ENTRY_COLUMNS = [
    "elector_key",
    "ocr",
    "cic",
    "name",
    "paternal_surname",
    "maternal_surname",
    "birth_date",
    "sex",
    "state_number",
    "section_number",
    "situation",
    "removal_cause",
]
ISSUE_FIELDS = [ROW, "column", "reason", *COLUMNS]

MAX_NAME_LENGTH = 120  # RollEntry name fields
MAX_STATE = 32
SHOWN_LENGTH = 40
SECTION_FACTOR = 100_000  # state * SECTION_FACTOR + section identifies a section
SEXES = ["", "H", "M", "X"]
SITUATIONS = [situation.value for situation in ROLL_SITUATIONS]
CAUSES = list(RemovalCause.values)

ELECTOR_KEY_PATTERN = r"[A-Z]{6}[0-9]{8}[HM][0-9]{3}"
OCR_PATTERN = r"[0-9]{13}"
CIC_PATTERN = r"[0-9]{9}"
# Printable ASCII except lower case, plus Ñ, in words separated by single spaces.
_NORMALISED_TEXT = r"^(?:[!-`{-~Ñ]+(?: [!-`{-~Ñ]+)*)?$"
# Python's str.split() also splits on the separators \x1c-\x1f, which \s lacks.
_WHITESPACE = r"[\s\x1c-\x1f]+"
_COMBINING_MARKS = r"[\u0300-\u036f]"
_KEY_SEPARATORS = r"[ \-]"
# CONTRACT "Settled cases": the dashes U+2010 to U+2015 are hyphens.
_UNICODE_DASHES = r"[\u2010-\u2015]"
_TIME_SUFFIX = r"[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$"


_ACCENTED, _PLAIN = map(list, zip(*accented_letters().items(), strict=True))


# --- Normalization ----------------------------------------------------------------------------


def _full_text(values: pl.Series) -> pl.Series:
    """The whole normalization of CONTRACT "Running commands"; NUL characters are dropped too
    (PostgreSQL text cannot hold them)."""
    return (
        values.str.replace_all("\x00", "", literal=True)
        .str.normalize("NFC")
        .str.to_uppercase()
        .str.replace_many(_ACCENTED, _PLAIN)
        .str.replace_all(_COMBINING_MARKS, "")
        .str.replace_all(_UNICODE_DASHES, "-")
        .str.replace_all(_WHITESPACE, " ")
        .str.strip_chars(" ")
    )


def _full_key(values: pl.Series) -> pl.Series:
    return _full_text(values).str.replace_all(_KEY_SEPARATORS, "")


def _full_code(values: pl.Series) -> pl.Series:
    return _full_text(values).str.replace_all(" ", "_", literal=True)


def _normalize(values: pl.Series, ready: pl.Series, full) -> pl.Series:
    """Apply `full` to the distinct values not `ready` (already normalized); a batch repeats
    names many times, and each distinct one is normalized once."""
    pending = ~ready
    if not pending.any():
        return values
    distinct = values.filter(pending).unique()
    mapping = pl.DataFrame({"value": distinct, "normalized": full(distinct)})
    joined = values.to_frame("value").join(mapping, on="value", how="left", maintain_order="left")
    return joined.select(pl.coalesce("normalized", "value")).to_series().alias(values.name)


def normalize_text_series(values: pl.Series) -> pl.Series:
    """normalize_text for a column of names (CONTRACT "Running commands")."""
    values = values.fill_null("")
    return _normalize(values, values.str.contains(_NORMALISED_TEXT), _full_text)


def normalize_key_series(values: pl.Series, pattern: str) -> tuple[pl.Series, pl.Series]:
    """normalize_key for a column of claves, OCRs or CICs (also drops spaces and hyphens), and
    whether each normalized value has the shape of `pattern`. Values that already have it, or
    are empty, are kept as they are."""
    values = values.fill_null("")
    shaped = values.str.contains(f"^(?:{pattern})$")
    ready = shaped | (values == "")
    if ready.all():
        return values, shaped
    keys = _normalize(values, ready, _full_key)
    return keys, shaped | (~ready & keys.str.contains(f"^(?:{pattern})$"))


def normalize_code_series(values: pl.Series, codes: list[str]) -> pl.Series:
    """A catalogue code (sexo, situación, causa de baja): values already among `codes` are kept;
    others are normalized, inner spaces written as "_" ("PERDIDA VIGENCIA")."""
    values = values.fill_null("")
    return _normalize(values, values.is_in(codes), _full_code)


def parse_integer(values: pl.Series) -> pl.Series:
    """Whole numbers, surrounding spaces allowed; "26.0" (a spreadsheet's number) is read as 26;
    anything else is null."""
    numbers = values.cast(pl.Int64, strict=False)
    failed = numbers.is_null() & values.is_not_null() & (values != "")
    if not failed.any():
        return numbers
    text = values.str.strip_chars().str.replace(r"\.0*$", "")
    return numbers.fill_null(text.cast(pl.Int64, strict=False))


def parse_date(values: pl.Series) -> pl.Series:
    """YYYY-MM-DD or DD/MM/YYYY, a midnight time after it allowed ("1980-05-17 00:00:00");
    anything else, or an impossible date, is null: an unreadable birth date is not an error."""
    text = values.fill_null("").str.strip_chars()
    iso = text.str.to_date("%Y-%m-%d", strict=False)
    if iso.null_count() == (text == "").sum():
        return iso
    text = text.str.replace(_TIME_SUFFIX, "")
    iso = iso.fill_null(text.str.to_date("%Y-%m-%d", strict=False))
    return iso.fill_null(text.str.to_date("%d/%m/%Y", strict=False))


def normalized_columns(raw: pl.DataFrame) -> pl.DataFrame:
    """The row number, the RollEntry columns of a batch of raw text rows, and whether the clave,
    OCR and CIC have their shape (key_ok, ocr_ok, cic_ok)."""
    key, key_ok = normalize_key_series(raw.get_column("CLAVE_ELECTOR"), ELECTOR_KEY_PATTERN)
    ocr, ocr_ok = normalize_key_series(raw.get_column("OCR"), OCR_PATTERN)
    cic, cic_ok = normalize_key_series(raw.get_column("CIC"), CIC_PATTERN)
    return pl.DataFrame(
        {
            ROW: raw.get_column(ROW),
            "elector_key": key,
            "ocr": ocr,
            "cic": cic,
            "name": normalize_text_series(raw.get_column("NOMBRE")),
            "paternal_surname": normalize_text_series(raw.get_column("APELLIDO_PATERNO")),
            "maternal_surname": normalize_text_series(raw.get_column("APELLIDO_MATERNO")),
            "birth_date": parse_date(raw.get_column("FECHA_NACIMIENTO")),
            "sex": normalize_code_series(raw.get_column("SEXO"), SEXES),
            "state_number": parse_integer(raw.get_column("ENTIDAD")),
            "section_number": parse_integer(raw.get_column("SECCION")),
            "situation": normalize_code_series(raw.get_column("SITUACION"), SITUATIONS),
            "removal_cause": normalize_code_series(raw.get_column("CAUSA_BAJA"), ["", *CAUSES]),
            "key_ok": key_ok,
            "ocr_ok": ocr_ok,
            "cic_ok": cic_ok,
        }
    )


# --- Rules ------------------------------------------------------------------------------------
#
# Each rule is a list of (condition, reason) cases for one column, the first true case giving the
# reason. The conditions are cheap and are evaluated on the whole batch; the reasons, which
# quote the received value, only on the rejected rows.


def _shown(column: str) -> pl.Expr:
    """The received value, trimmed and shortened, to quote inside a reason."""
    text = pl.col(column).fill_null("").str.strip_chars()
    return (
        pl.when(text.str.len_chars() > SHOWN_LENGTH)
        .then(text.str.slice(0, SHOWN_LENGTH) + "…")
        .otherwise(text)
    )


def _quoted(prefix: str, column: str, suffix: str) -> pl.Expr:
    return pl.concat_str(pl.lit(prefix + "«"), _shown(column), pl.lit("»" + suffix))


def _valid_state() -> pl.Expr:
    state = pl.col("state_number")
    return state.is_not_null() & (state >= 1) & (state <= MAX_STATE)


def _elector_key_cases():
    """DOMAIN "Identity formats": [A-Z]{6}[0-9]{8}[HM][0-9]{3} after normalization."""
    return [
        (pl.col("elector_key") == "", pl.lit("Falta la clave de elector.")),
        (
            ~pl.col("key_ok"),
            _quoted(
                "La clave de elector ",
                "CLAVE_ELECTOR",
                " no tiene el formato de 18 caracteres (6 letras, 8 dígitos, H o M y 3 dígitos).",
            ),
        ),
    ]


def _digits_cases(column: str, source: str, message: str):
    """OCR (13 digits) and CIC (9 digits) may be empty; otherwise they must have their shape."""
    failed = (pl.col(column) != "") & ~pl.col(f"{column}_ok")
    return [(failed, _quoted(f"{message}; se recibió ", source, "."))]


def _name_cases(column: str, label: str):
    """Names are stored in fields of MAX_NAME_LENGTH characters; a longer one is refused."""
    too_long = pl.col(column).str.len_chars() > MAX_NAME_LENGTH
    return [(too_long, pl.lit(f"{label} excede {MAX_NAME_LENGTH} caracteres."))]


def _sex_cases():
    failed = ~pl.col("sex").is_in(SEXES)
    return [(failed, _quoted("El sexo debe ser H, M o X; se recibió ", "SEXO", "."))]


def _state_cases():
    """DOMAIN: entities 01..32."""
    message = _quoted("La entidad debe ser un número del 1 al 32; se recibió ", "ENTIDAD", ".")
    return [(~_valid_state(), message)]


def _section_cases():
    """A section number and, in an entity whose geography is loaded, one of its sections
    (geo.Section); a row of another entity is stored as it comes (CONTRACT import_roll)."""
    section = pl.col("section_number")
    unknown = pl.concat_str(
        pl.lit("La sección "),
        section.cast(pl.String),
        pl.lit(" no existe en la entidad "),
        pl.col("state_number").cast(pl.String),
        pl.lit(" según el marco geográfico cargado."),
    )
    return [
        (
            section.is_null() | (section < 1),
            _quoted("La sección debe ser un número entero positivo; se recibió ", "SECCION", "."),
        ),
        (_valid_state() & ~pl.col("__known__"), unknown),
    ]


def _situation_cases():
    failed = ~pl.col("situation").is_in(SITUATIONS)
    message = _quoted("La situación debe ser LN, PADRON o BAJA; se recibió ", "SITUACION", ".")
    return [(failed, message)]


def _cause_cases():
    """CONTRACT import_roll: BAJA comes with one of the causes; LN and PADRON without one."""
    situation = pl.col("situation")
    cause = pl.col("removal_cause")
    is_baja = situation == RegistryStatus.BAJA.value
    return [
        (
            is_baja & (cause == ""),
            pl.lit("Falta la causa de baja: es obligatoria cuando la situación es BAJA."),
        ),
        (
            is_baja & ~cause.is_in(CAUSES),
            _quoted("La causa de baja ", "CAUSA_BAJA", " no está en el catálogo."),
        ),
        (
            ~is_baja & situation.is_in(SITUATIONS) & (cause != ""),
            pl.lit("La causa de baja solo se indica cuando la situación es BAJA."),
        ),
    ]


def _rules():
    """(column, cases) in report order."""
    return [
        ("CLAVE_ELECTOR", _elector_key_cases()),
        ("OCR", _digits_cases("ocr", "OCR", "El OCR debe tener 13 dígitos")),
        ("CIC", _digits_cases("cic", "CIC", "El CIC debe tener 9 dígitos")),
        ("NOMBRE", _name_cases("name", "El nombre")),
        ("APELLIDO_PATERNO", _name_cases("paternal_surname", "El apellido paterno")),
        ("APELLIDO_MATERNO", _name_cases("maternal_surname", "El apellido materno")),
        ("SEXO", _sex_cases()),
        ("ENTIDAD", _state_cases()),
        ("SECCION", _section_cases()),
        ("SITUACION", _situation_cases()),
        ("CAUSA_BAJA", _cause_cases()),
    ]


RULE_COLUMNS = [column for column, _ in _rules()]


def _failed(cases) -> pl.Expr:
    return pl.any_horizontal(condition for condition, _ in cases)


def _reason(cases) -> pl.Expr:
    (condition, message), *rest = cases
    chain = pl.when(condition).then(message)
    for condition, message in rest:
        chain = chain.when(condition).then(message)
    return chain


# --- Batches ----------------------------------------------------------------------------------


@dataclass
class CheckedBatch:
    """One batch after validation: the rows to store and the issues of the rejected ones."""

    valid: pl.DataFrame  # ROW + ENTRY_COLUMNS
    issues: pl.DataFrame  # ISSUE_FIELDS, ordered by row then column
    read: int = 0
    rejected: int = 0


@dataclass
class KnownSections:
    """The sections of the loaded geography, as state * SECTION_FACTOR + section codes, and the
    entities they belong to."""

    codes: pl.Series = field(default_factory=lambda: pl.Series([], dtype=pl.Int64))
    states: pl.Series = field(default_factory=lambda: pl.Series([], dtype=pl.Int64))

    @classmethod
    def from_pairs(cls, pairs):
        pairs = list(pairs)
        codes = pl.Series([s * SECTION_FACTOR + n for s, n in pairs], dtype=pl.Int64)
        return cls(codes, pl.Series(sorted({s for s, _ in pairs}), dtype=pl.Int64))


def _with_known_section(clean: pl.DataFrame, sections: KnownSections) -> pl.DataFrame:
    """__known__: the section is in the geography, or its entity has none loaded (a cut may hold
    several entities; their citizens are out of the territory of every office here)."""
    state = pl.col("state_number")
    code = state * SECTION_FACTOR + pl.col("section_number")
    known = code.is_in(sections.codes.implode()) | ~state.is_in(sections.states.implode())
    return clean.with_columns(known.fill_null(False).alias("__known__"))


def check_batch(raw: pl.DataFrame, sections: KnownSections) -> CheckedBatch:
    """Validate a batch of raw rows (ROW and COLUMNS as text, no blank rows)."""
    clean = normalized_columns(raw)
    both = pl.concat([raw.select(COLUMNS), _with_known_section(clean, sections)], how="horizontal")
    rules = _rules()
    failed = both.select(pl.any_horizontal(_failed(cases) for _, cases in rules)).to_series()
    rejected = int(failed.sum())
    if not rejected:
        return CheckedBatch(valid=_entries(clean), issues=empty_issues(), read=raw.height)
    reasons = both.filter(failed).select(
        pl.col(ROW), *[_reason(cases).alias(column) for column, cases in rules]
    )
    return CheckedBatch(
        valid=_entries(clean.filter(~failed)),
        issues=_issues(reasons, raw.filter(failed)),
        read=raw.height,
        rejected=rejected,
    )


def _entries(clean: pl.DataFrame) -> pl.DataFrame:
    return clean.select(ROW, *ENTRY_COLUMNS)


def _issues(reasons: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """One row per failing (row, column), in row order then in the order of COLUMNS."""
    long = (
        reasons.unpivot(index=ROW, on=RULE_COLUMNS, variable_name="column", value_name="reason")
        .drop_nulls("reason")
        .sort(ROW, maintain_order=True)
    )
    return long.join(raw.select(ROW, *COLUMNS), on=ROW, how="left", maintain_order="left")


def empty_issues(columns=COLUMNS) -> pl.DataFrame:
    """An issue frame with no rows: ROW, "column", "reason", then the file's columns."""
    schema = {ROW: pl.Int64, "column": pl.String, "reason": pl.String}
    schema.update(dict.fromkeys(columns, pl.String))
    return pl.DataFrame(schema=schema)


def repeated_key_issues(raw: pl.DataFrame, first_rows: pl.DataFrame) -> pl.DataFrame:
    """Issues for rows whose clave de elector already appeared in an earlier row of the file.

    `first_rows` maps ROW to "first", the row where the clave first appeared."""
    reason = pl.concat_str(
        pl.lit("La clave de elector ya aparece en la fila "),
        pl.col("first").cast(pl.String),
        pl.lit(" del archivo; solo se importa la primera."),
    )
    return (
        raw.join(first_rows, on=ROW, how="inner")
        .select(
            pl.col(ROW).cast(pl.Int64),
            pl.lit("CLAVE_ELECTOR").alias("column"),
            reason.alias("reason"),
            *COLUMNS,
        )
        .sort(ROW)
    )

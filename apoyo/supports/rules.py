"""The validation rules of a paper cédula row, shared by every capture channel.

The manual capture form, the bulk upload, the aspirant pre-capture and the app API all call
``validate_support_row``, so one row is accepted or rejected the same way everywhere. The rules come
from CONTRACT.md ("Running commands": text normalization; "upload_supports": rejection rules) and
DOMAIN.md ("Fields of a paper cédula row", "Identity formats"). Pure Python, no database access.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from apoyo.core import cells
from apoyo.core.cells import cell_text, date_from_text, is_native_number, read_date
from apoyo.core.identity import (
    CIC_RE,
    ELECTOR_KEY_RE,
    OCR_RE,
    normalize_key,
    normalize_text,
)

COLUMNS = [
    "NUMERO_REFERENCIA",
    "NOMBRE",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "CLAVE_ELECTOR",
    "OCR",
    "TIPO_INCONSISTENCIA",
    "COMENTARIO",
]
OPTIONAL_COLUMNS = ["FECHA_APOYO"]
COLUMN_LABELS = {
    "NUMERO_REFERENCIA": "Número de referencia",
    "NOMBRE": "Nombre",
    "APELLIDO_PATERNO": "Apellido paterno",
    "APELLIDO_MATERNO": "Apellido materno",
    "CLAVE_ELECTOR": "Clave de elector",
    "OCR": "OCR",
    "TIPO_INCONSISTENCIA": "Tipo de inconsistencia",
    "COMENTARIO": "Comentario",
    "FECHA_APOYO": "Fecha del apoyo",
}

# Codes whose meaning is the comment (DOMAIN.md catalogue: "OTRA ... ver comentario"): refused
# without one in every capture channel and in the mesa de control (review.services).
COMMENT_REQUIRED_CODES = frozenset({"OTRA"})
MAX_REFERENCE_LENGTH = 40
MAX_NAME_LENGTH = 120
MAX_COMMENT_LENGTH = 500
SHOWN_VALUE_LENGTH = 40

_SCIENTIFIC_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class RowError:
    """A failing column of a row and its Spanish reason (CONTRACT upload_supports)."""

    column: str
    message: str


class SupportRow(NamedTuple):
    """A validated, normalized paper cédula row (DOMAIN "Fields of a paper cédula row").

    A NamedTuple rather than a frozen dataclass: a bulk upload builds one per row, and this is
    several times cheaper to create."""

    reference: str
    name: str
    paternal_surname: str
    maternal_surname: str
    elector_key: str
    ocr: str
    inconsistency_code: str
    comment: str
    support_date: date
    # False when FECHA_APOYO was empty and support_date is the default (the upload date): CONTRACT
    # upload_supports, settled cases (first-wins sorts it after every written date).
    date_written: bool = True


# Raw cell values ----------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """A missing key, None or a text of only spaces is an empty cell."""
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: int | float) -> str:
    """An integral number is written without decimals (Excel stores 123 as 123.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: object) -> str:
    """The received value, trimmed and shortened, to quote inside a message."""
    text = cell_text(value).strip()
    if len(text) > SHOWN_VALUE_LENGTH:
        return text[:SHOWN_VALUE_LENGTH] + "…"
    return text


def _describe(value: object) -> str:
    """Say what kind of non-text value a cell held, in Spanish."""
    if isinstance(value, bool):
        return f"un valor lógico ({cell_text(value)})"
    if isinstance(value, datetime):
        return f"una fecha ({value:%d/%m/%Y %H:%M})"
    if isinstance(value, date):
        return f"una fecha ({value:%d/%m/%Y})"
    if isinstance(value, int | float):
        return f"un número ({_number_text(value)})"
    return f"«{_shown(value)}»"


# Columns ------------------------------------------------------------------------------------------


def _reference(value: object) -> str | RowError:
    """NUMERO_REFERENCIA is required (CONTRACT upload_supports); normalized as text, an Excel number
    becomes its integer digits, at most 40 characters."""
    column = "NUMERO_REFERENCIA"
    if isinstance(value, bool | date):
        return RowError(
            column, f"El número de referencia debe ser un folio; se recibió {_describe(value)}."
        )
    if isinstance(value, float) and not value.is_integer():
        return RowError(
            column,
            f"El número de referencia «{_shown(value)}» tiene decimales; "
            "capture el folio como texto.",
        )
    text = normalize_text(cell_text(value))
    if not text:
        return RowError(column, "El número de referencia es obligatorio.")
    if len(text) > MAX_REFERENCE_LENGTH:
        return RowError(
            column,
            f"El número de referencia no puede exceder {MAX_REFERENCE_LENGTH} caracteres "
            f"(tiene {len(text)}).",
        )
    return text


def _name_part(value: object, column: str, label: str) -> str | RowError:
    """A name or surname is text, normalized, at most 120 characters (DOMAIN "Identity formats")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return RowError(column, f"{label} debe ser texto; se recibió {_describe(value)}.")
    text = normalize_text(value)
    if len(text) > MAX_NAME_LENGTH:
        return RowError(
            column, f"{label} no puede exceder {MAX_NAME_LENGTH} caracteres (tiene {len(text)})."
        )
    return text


def _name(value: object) -> str | RowError:
    """NOMBRE is required (CONTRACT upload_supports)."""
    text = _name_part(value, "NOMBRE", "El nombre")
    if text == "":
        return RowError("NOMBRE", "El nombre es obligatorio.")
    return text


def _surnames_error(paternal: object, maternal: object) -> RowError | None:
    """At least one surname is required (DOMAIN "Fields of a paper cédula row"); reported on
    APELLIDO_PATERNO."""
    if paternal == "" and maternal == "":
        return RowError(
            "APELLIDO_PATERNO",
            "Se requiere al menos un apellido: capture el apellido paterno o el materno.",
        )
    return None


def _elector_key(value: object) -> str | RowError:
    """CLAVE_ELECTOR is required and must match [A-Z]{6}[0-9]{8}[HM][0-9]{3} after normalization
    (CONTRACT upload_supports)."""
    key = normalize_key(cell_text(value))
    if ELECTOR_KEY_RE.fullmatch(key) is not None:
        return key
    if key == "":
        return RowError("CLAVE_ELECTOR", "La clave de elector es obligatoria.")
    return RowError(
        "CLAVE_ELECTOR",
        "La clave de elector debe tener 18 caracteres: 6 letras, 8 dígitos, H o M y 3 dígitos "
        f"(se recibió «{_shown(value)}»).",
    )


def _ocr_length_error(value: object) -> RowError:
    """The ordinary OCR rejection: not 13 digits (CONTRACT upload_supports)."""
    hint = ""
    if is_native_number(value):
        hint = " Si empieza con cero, Excel pudo haberlo quitado: capture el OCR como texto."
    return RowError(
        "OCR", f"El OCR debe tener exactamente 13 dígitos (se recibió «{_shown(value)}»).{hint}"
    )


def _ocr_from_number(value: int | float) -> str | RowError:
    """An Excel number is accepted only when it is an integer of exactly 13 digits; anything else is
    reported, never altered (CONTRACT upload_supports: OCR is 13 digits)."""
    if isinstance(value, float) and not value.is_integer():
        return RowError(
            "OCR",
            f"El OCR «{_shown(value)}» tiene decimales: Excel lo guardó como número. "
            "Capture el OCR como texto de 13 dígitos.",
        )
    digits = str(int(value))
    if OCR_RE.fullmatch(digits) is None:
        return _ocr_length_error(value)
    return digits


def _ocr_text_error(value: object, ocr: str) -> RowError:
    """Why a text OCR was refused: empty, Excel's scientific notation (1.234E+12, 1,23457E+12) or
    not 13 digits (CONTRACT upload_supports)."""
    if ocr == "":
        return RowError("OCR", "El OCR es obligatorio.")
    if "E" in ocr and _SCIENTIFIC_RE.fullmatch(ocr) is not None:
        return RowError(
            "OCR",
            f"Excel convirtió el OCR a notación científica («{_shown(value)}»): capture la columna "
            "OCR con formato de texto, con sus 13 dígitos.",
        )
    return _ocr_length_error(value)


def _ocr(value: object) -> str | RowError:
    """OCR is required and exactly 13 digits after normalization (CONTRACT upload_supports). Numbers
    Excel mangled are reported, never silently altered."""
    if is_native_number(value):
        return _ocr_from_number(value)
    ocr = normalize_key(cell_text(value))
    if OCR_RE.fullmatch(ocr) is not None:
        return ocr
    return _ocr_text_error(value, ocr)


def validate_cic(value: object) -> str | RowError:
    """The CIC of credencial models D to H: exactly 9 digits after normalization (DOMAIN
    "Identity formats"). The capture app accepts it instead of the OCR."""
    cic = normalize_key(cell_text(value))
    if CIC_RE.fullmatch(cic) is not None:
        return cic
    if cic == "":
        return RowError("CIC", "El CIC es obligatorio.")
    return RowError(
        "CIC", f"El CIC debe tener exactamente 9 dígitos (se recibió «{_shown(value)}»)."
    )


def _inconsistency(value: object, codes: Collection[str]) -> str | RowError:
    """TIPO_INCONSISTENCIA is optional; when given it must be a code of the catalogue (CONTRACT
    upload_supports). Inner spaces become underscores."""
    code = normalize_text(cell_text(value)).replace(" ", "_")
    if code == "" or code in codes:
        return code
    message = f"El tipo de inconsistencia «{_shown(value)}» no está en el catálogo."
    if 0 < len(codes) <= 20:
        message += f" Códigos válidos: {', '.join(sorted(codes))}."
    return RowError("TIPO_INCONSISTENCIA", message)


def _comment(value: object, code: object) -> str | RowError:
    """COMENTARIO is free text: trimmed, inner whitespace collapsed, case kept, at most 500
    characters; required with a code of COMMENT_REQUIRED_CODES (the same rule as the mesa de
    control's)."""
    text = " ".join(cell_text(value).split())
    if len(text) > MAX_COMMENT_LENGTH:
        return RowError(
            "COMENTARIO",
            f"El comentario no puede exceder {MAX_COMMENT_LENGTH} caracteres (tiene {len(text)}).",
        )
    if not text and code in COMMENT_REQUIRED_CODES:
        return RowError(
            "COMENTARIO",
            f"El tipo de inconsistencia {code} requiere un comentario que la describa: llene la "
            "columna COMENTARIO.",
        )
    return text


# FECHA_APOYO --------------------------------------------------------------------------------------


def _support_date(value: object, period: tuple[date, date], default_date: date) -> date | RowError:
    """FECHA_APOYO is optional: empty (absent, or spaces only) means the default date, the
    upload date, unchecked against the period (CONTRACT upload_supports, settled cases);
    otherwise it must be readable and inside the collection period, bounds included. A date
    holding a time counts by its date."""
    if is_blank(value):
        return default_date
    found = read_date(value)
    if found is None:
        return RowError("FECHA_APOYO", _unread_date_message(value))
    start, end = period
    if not start <= found <= end:
        return RowError(
            "FECHA_APOYO",
            f"La fecha del apoyo ({found:%d/%m/%Y}) está fuera del periodo de obtención de apoyo "
            f"({start:%d/%m/%Y} al {end:%d/%m/%Y}).",
        )
    return found


def _unread_date_message(value: object) -> str:
    """A date not in the calendar (31/02/2021) is told apart from text that is no date at all."""
    if isinstance(value, str) and cells.is_written_date(value.strip()):
        return f"Fecha inexistente «{_shown(value)}»: revise el día y el mes."
    return f"Fecha ilegible «{_shown(value)}»: use AAAA-MM-DD o DD/MM/AAAA."


def _common_valid_row(get, codes, period, default_date) -> SupportRow | None:
    """The usual row in one pass: text cells (or a date cell) that meet every rule, normalized by
    the same functions as the full validation below. Returns None at the first thing out of the
    ordinary, and the full validation then says exactly what (a bulk upload validates 100,000
    rows; this path is about twice as fast)."""
    reference, name, key, ocr = (
        get("NUMERO_REFERENCIA"),
        get("NOMBRE"),
        get("CLAVE_ELECTOR"),
        get("OCR"),
    )
    if not (type(reference) is str and type(name) is str and type(key) is str and type(ocr) is str):
        return None
    paternal, maternal = get("APELLIDO_PATERNO"), get("APELLIDO_MATERNO")
    code, comment, day = get("TIPO_INCONSISTENCIA"), get("COMENTARIO"), get("FECHA_APOYO")
    for optional in (paternal, maternal, code, comment):
        if optional is not None and type(optional) is not str:
            return None
    reference = normalize_text(reference)
    name = normalize_text(name)
    paternal = normalize_text(paternal) if paternal else ""
    maternal = normalize_text(maternal) if maternal else ""
    if not (reference and name and (paternal or maternal)):
        return None
    if (
        len(reference) > MAX_REFERENCE_LENGTH
        or max(map(len, (name, paternal, maternal))) > MAX_NAME_LENGTH
    ):
        return None
    key, ocr = normalize_key(key), normalize_key(ocr)
    if ELECTOR_KEY_RE.fullmatch(key) is None or OCR_RE.fullmatch(ocr) is None:
        return None
    code = normalize_text(code).replace(" ", "_") if code else ""
    if code and code not in codes:
        return None
    comment = " ".join(comment.split()) if comment else ""
    if len(comment) > MAX_COMMENT_LENGTH or (not comment and code in COMMENT_REQUIRED_CODES):
        return None
    written = not is_blank(day)
    support_date = common_date(day, period) if written else default_date
    if support_date is None:
        return None
    row = (reference, name, paternal, maternal, key, ocr, code, comment, support_date, written)
    return SupportRow(*row)


def common_date(value, period):
    kind = type(value)
    if kind is str:
        found = date_from_text(value.strip())
    elif kind is date:
        found = value
    elif kind is datetime:
        found = value.date()
    else:
        return None
    if found is None or not period[0] <= found <= period[1]:
        return None
    return found


# The row ------------------------------------------------------------------------------------------


def validate_support_row(
    raw: Mapping[str, object],
    *,
    inconsistency_codes: Collection[str],
    period: tuple[date, date],
    default_date: date,
    ocr_required: bool = True,
) -> tuple[SupportRow | None, list[RowError]]:
    """Validate and normalize one paper cédula row (CONTRACT upload_supports). Returns the row and
    no errors, or None and an error for EVERY failing column, in column order.

    `ocr_required=False` is for the capture app, where the CIC may take the OCR's place: an empty
    OCR is then accepted (as ""), a non-empty one must still be 13 digits."""
    row = _common_valid_row(raw.get, inconsistency_codes, period, default_date)
    if row is not None:
        return row, []
    return _validate_in_full(raw, inconsistency_codes, period, default_date, ocr_required)


def _validate_in_full(raw, inconsistency_codes, period, default_date, ocr_required=True):
    """Every rule, column by column, with its Spanish message."""
    get = raw.get
    ocr = "" if not ocr_required and is_blank(get("OCR")) else _ocr(get("OCR"))
    paternal = _name_part(get("APELLIDO_PATERNO"), "APELLIDO_PATERNO", "El apellido paterno")
    maternal = _name_part(get("APELLIDO_MATERNO"), "APELLIDO_MATERNO", "El apellido materno")
    code = _inconsistency(get("TIPO_INCONSISTENCIA"), inconsistency_codes)
    results = (
        _reference(get("NUMERO_REFERENCIA")),
        _name(get("NOMBRE")),
        paternal,
        maternal,
        _surnames_error(paternal, maternal),
        _elector_key(get("CLAVE_ELECTOR")),
        ocr,
        code,
        _comment(get("COMENTARIO"), code),
        _support_date(get("FECHA_APOYO"), period, default_date),
    )
    errors = [result for result in results if type(result) is RowError]
    if errors:
        return None, errors
    reference, name, _, _, _, elector_key, ocr, code, comment, support_date = results
    written = not is_blank(get("FECHA_APOYO"))
    fields = (paternal, maternal, elector_key, ocr, code, comment, support_date, written)
    return SupportRow(reference, name, *fields), errors


def validate_chunk(fields, chunk, inconsistency_codes, period, default_date):
    """Validate a list of (row_number, values) aligned with `fields`; for a pool of processes.

    Returns [(row, errors)] in the chunk's order. Module-level and free of Django, so a worker
    process can run it without setting up the project.
    """
    return [
        validate_support_row(
            dict(zip(fields, values, strict=True)),
            inconsistency_codes=inconsistency_codes,
            period=period,
            default_date=default_date,
        )
        for _, values in chunk
    ]

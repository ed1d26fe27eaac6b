"""Reading one cell of a spreadsheet or CSV file: as text, as a number, as a date (native, an Excel
serial, or written as YYYY-MM-DD or DD/MM/YYYY). Pure Python, no database access."""

import datetime
import functools
import math
import re
from datetime import date, timedelta

EXCEL_SERIAL_MIN = 20000
EXCEL_SERIAL_MAX = 80000
TIME_SUFFIX = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + TIME_SUFFIX)
_DMY_DATE_RE = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})" + TIME_SUFFIX)
_SERIAL_DATE_RE = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")

_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system: serial 44197 is 2021-01-01.


def real_date(year: str, month: str, day: str) -> date | None:
    """A calendar date from its digits, or None when it does not exist (31/02)."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def cell_text(value) -> str:
    """A cell as the text a CSV would hold: 26.0 is "26", a date is YYYY-MM-DD, a date with a time
    of day is YYYY-MM-DD HH:MM:SS, a logical value is VERDADERO or FALSO (as Excel in Spanish)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def is_native_number(value: object) -> bool:
    """int or float cells, but not booleans (bool is an int in Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def date_from_serial(serial: float) -> date | None:
    """An Excel serial date of the 1900 date system; the time of day is ignored. Serials outside
    20000..80000 (1954..2119) are not dates anyone captured."""
    if not math.isfinite(serial) or not EXCEL_SERIAL_MIN <= serial < EXCEL_SERIAL_MAX + 1:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


@functools.lru_cache(maxsize=4096)
def date_from_text(text: str) -> date | None:
    """YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY or an Excel serial written as text (CONTRACT
    upload_supports: FECHA_APOYO)."""
    match = _ISO_DATE_RE.fullmatch(text)
    if match:
        return real_date(match[1], match[2], match[3])
    match = _DMY_DATE_RE.fullmatch(text)
    if match:
        return real_date(match[4], match[3], match[1])
    if _SERIAL_DATE_RE.fullmatch(text):
        return date_from_serial(float(text))
    return None


def is_written_date(text: str) -> bool:
    """Whether a text has the shape of a written date (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY), real
    or not: 31/02/2021 is a date that does not exist, "mañana" is not a date at all."""
    return bool(_ISO_DATE_RE.fullmatch(text) or _DMY_DATE_RE.fullmatch(text))


def read_date(value: object) -> date | None:
    """A native XLSX date, an Excel serial number or a date written as text; None if unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_native_number(value):
        return date_from_serial(value)
    if isinstance(value, str):
        return date_from_text(value.strip())
    return None

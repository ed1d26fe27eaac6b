"""The one writer of the CSV and XLSX files the system writes: web downloads, the batch
commands' files (CONTRACT.md export_results, export_for_ine, --errors reports) and reports.

Every cell goes through ``safe_cell`` so a value captured by someone (a name, a comment, a folio)
can never run as a spreadsheet formula when the file is opened in Excel or LibreOffice (OWASP "CSV
injection"). XLSX strings are also always written as string cells, never interpreted. Files
written to disk are created readable by their owner only (apoyo.core.private_files).
"""

import codecs
import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from apoyo.core.private_files import open_private

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed decimal number written as text ("-3", "-0.25"): a spreadsheet reads it as a number,
# never as a formula, so it is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")
CSV_CHUNK_CHARS = 64 * 1024
MAX_EXACT_DIGITS = 15
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60
WIDTH_SAMPLE_ROWS = 1000

_SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

Sheet = tuple[str, Sequence[str], Iterable[Sequence]]


def safe_cell(value):
    """Neutralise a text that a spreadsheet would read as a formula by prefixing "'" (OWASP CSV
    injection: texts starting with =, +, -, @, tab or carriage return, also after leading spaces,
    which spreadsheets skip). The one such function: every CSV and XLSX writer uses it.

    None becomes ""; numbers, dates and booleans are returned unchanged (a number cell is never a
    formula), and so is a text that is just a signed number ("-5"), which stays a number when
    the file is opened."""
    if value is None:
        return ""
    if isinstance(value, str) and _reads_as_formula(value):
        return "'" + value
    return value


def _reads_as_formula(text: str) -> bool:
    stripped = text.lstrip()
    if not (text.startswith(FORMULA_PREFIXES) or stripped.startswith(FORMULA_PREFIXES)):
        return False
    return not _PLAIN_NUMBER.fullmatch(stripped)


# CSV ----------------------------------------------------------------------------------------------


def _csv_cell(value):
    r"""safe_cell, then line breaks inside a text made "\n". With "\n" as line terminator the csv
    module of Python 3.11 quotes "\n" but not a bare "\r", which readers take as the end of the
    row; "\r\n" and "\r" are shown as the same line break by every spreadsheet."""
    value = safe_cell(value)
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _csv_row(row: Sequence) -> list:
    return [_csv_cell(value) for value in row]


def write_csv(fileobj, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write a comma-separated file with a header to a text file object opened with newline="";
    returns the rows written (header apart).

    The encoding is the caller's: open the file with "utf-8-sig" for a file Excel reads well."""
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow(_csv_row(header))
    count = 0
    for row in rows:
        writer.writerow(_csv_row(row))
        count += 1
    return count


def write_csv_file(path, header: Sequence[str], rows: Iterable[Sequence], *, bom=False) -> int:
    """write_csv to a new file at `path`, created 0600 (it holds personal data), UTF-8 (with a
    BOM for Excel when `bom`); returns the rows written. Raises OSError when it cannot write."""
    encoding = "utf-8-sig" if bom else "utf-8"
    with open_private(path, "w", encoding=encoding, newline="") as out:
        return write_csv(out, header, rows)


class _Echo:
    """A file object whose write() returns the text, so csv.writer hands back each line."""

    def write(self, text: str) -> str:
        return text


def _csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The BOM (so Excel reads accents and Ñ as UTF-8), then the lines in chunks of about 64 KB."""
    yield codecs.BOM_UTF8
    writer = csv.writer(_Echo(), lineterminator="\n")
    pending = [writer.writerow(_csv_row(header))]
    size = len(pending[0])
    for row in rows:
        line = writer.writerow(_csv_row(row))
        pending.append(line)
        size += len(line)
        if size >= CSV_CHUNK_CHARS:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """Stream a CSV download; rows are consumed lazily, the file is never built in memory."""
    return StreamingHttpResponse(
        _csv_chunks(header, rows),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


# XLSX ---------------------------------------------------------------------------------------------


class _Formats:
    """The cell formats shared by every sheet of one workbook."""

    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})


def _sheet_title(title: str) -> str:
    """A title Excel accepts: no []:*?/\\, no surrounding apostrophes, at most 31 characters."""
    text = str(title).translate(_SHEET_TITLE_FORBIDDEN).strip().strip("'")
    return text[:_SHEET_TITLE_MAX].strip() or "Hoja"


def _naive(value: datetime) -> datetime:
    """Excel has no time zones: an aware datetime is written in the project's local time."""
    if timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _is_exact_number(value) -> bool:
    """Excel keeps 15 significant digits: a longer integer (an ID) is written as text, unrounded;
    NaN and infinities have no cell value and are written as text too."""
    if isinstance(value, int):
        return len(str(abs(value))) <= MAX_EXACT_DIGITS
    return math.isfinite(value)


def _write_cell(sheet, row: int, col: int, value, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal) and _is_exact_number(value):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, _naive(value), formats.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats.date)
    else:
        sheet.write_string(row, col, safe_cell(str(value)))


def _cell_width(value) -> int:
    if isinstance(value, date):
        return len(DATETIME_FORMAT) if isinstance(value, datetime) else len(DATE_FORMAT)
    return len(str(value)) if value is not None else 0


def _widen(widths: list[int], row: Sequence) -> None:
    """Grow the per-column widths with one row's values."""
    for col, value in enumerate(row):
        if col == len(widths):
            widths.append(0)
        widths[col] = max(widths[col], _cell_width(value))


def _write_sheet(workbook, formats: _Formats, sheet: Sheet) -> None:
    """One worksheet; rows are written in order, as constant_memory mode requires.

    Column widths follow the header and the first rows (WIDTH_SAMPLE_ROWS)."""
    title, header, rows = sheet
    worksheet = workbook.add_worksheet(_sheet_title(title))
    widths = [len(str(name)) + 3 for name in header]  # room for the autofilter arrow
    for col, name in enumerate(header):
        worksheet.write_string(0, col, safe_cell(str(name)), formats.header)
    last_row = 0
    for last_row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            _write_cell(worksheet, last_row, col, value, formats)
        if last_row <= WIDTH_SAMPLE_ROWS:
            _widen(widths, values)
    worksheet.freeze_panes(1, 0)
    if header:
        worksheet.autofilter(0, 0, last_row, len(header) - 1)
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH))


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with one worksheet per (title, header, rows), header bold and frozen, autofilter,
    dates as dd/mm/yyyy date cells, numbers as numbers and every text as a plain string cell."""
    output = io.BytesIO()
    # Imported here: only the XLSX download needs it, not every command and worker start-up.
    import xlsxwriter

    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    formats = _Formats(workbook)
    for sheet in sheets:
        _write_sheet(workbook, formats, sheet)
    workbook.close()
    return output.getvalue()


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    """An XLSX download built by xlsx_bytes."""
    return HttpResponse(
        xlsx_bytes(sheets),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


# Lists as files -----------------------------------------------------------------------------------

LIST_FORMATS = ("csv", "xlsx")


def local_time(value: datetime | None) -> datetime | None:
    """A date and time as the pages show it: the project's local time, to the second, without a
    zone, so the CSV reads "2021-01-05 10:30:00" like the page and XLSX gets a date-time cell."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def list_response(fmt: str, filename: str, title: str, header: Sequence[str], rows: Iterable):
    """A list page's rows as the file it offers: `fmt` "csv" (streamed) or "xlsx" (one sheet named
    `title`); `filename` without its extension. Another format is a 404."""
    if fmt == "csv":
        return csv_response(f"{filename}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", [(title, header, rows)])
    raise Http404("Formato de exportación desconocido.")

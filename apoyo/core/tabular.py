"""The one reader of data files (CSV, gzip-compressed CSV, XLSX) for batch commands and uploads.

`open_table(path, required=[...])` checks the file as a whole (format, size, encoding, header)
and raises `FileRejected` with a one-line Spanish message when it is unusable; `Table.rows()`
then streams the data rows with their row numbers. Cell values are not validated here: callers
do that and report per row. What a compressed file may expand to, and how many rows a file may
hold, is checked on the bytes and rows actually read (apoyo.core.readlimits).
"""

import codecs
import contextlib
import csv
import gzip
import io
import operator
import os
import re
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

from python_calamine import CalamineWorkbook

from apoyo.core.readlimits import (
    MAX_UNCOMPRESSED_BYTES,
    FileRejected,
    check_zip_expansion,
    format_megabytes,
    open_gzip,
)

# Defaults when open_table is given no limit; read when a file is opened, so tests may change them.
XLSX_MAX_UNCOMPRESSED = MAX_UNCOMPRESSED_BYTES
GZIP_MAX_UNCOMPRESSED = MAX_UNCOMPRESSED_BYTES
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WORKBOOK_PART = "xl/workbook.xml"
_LINE_BREAK = re.compile(rb"[\r\n]")
_SEPARATORS = re.compile(r"[\s_-]+")

EMPTY_FILE = "El archivo está vacío."
_CORRUPT_XLSX = "El archivo XLSX está dañado o incompleto; ábralo en Excel y guárdelo de nuevo."
_CORRUPT_GZIP = "El archivo comprimido (.gz) está dañado o incompleto."
_CSV_ERRORS = (csv.Error, OSError, EOFError, zlib.error, UnicodeDecodeError)


def _latin1_fallback(exc):
    """Decode the bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as Latin-1."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


_FALLBACK_ERRORS = "apoyo.core.tabular.latin1"
codecs.register_error(_FALLBACK_ERRORS, _latin1_fallback)


def _strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def canonical_header(text) -> str:
    """Upper case, accents dropped except in Ñ, runs of spaces, hyphens and "_" made one "_"."""
    if text is None:
        return ""
    upper = unicodedata.normalize("NFC", str(text).replace("\ufeff", "")).upper()
    plain = "Ñ".join(_strip_accents(part) for part in upper.split("Ñ"))
    return _SEPARATORS.sub("_", plain).strip("_")


def _is_blank_row(cells):
    """No cell but None or blank text; one loop, no call per cell (it runs for every row)."""
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _is_blank_text_row(cells):
    """Fast path for CSV rows, whose cells are all strings."""
    return not "".join(cells).strip()


# --- CSV ------------------------------------------------------------------------------------------


def _check_text_head(head):
    """Refuse, from its first bytes, a "CSV" that is really a workbook, a zip or other binary."""
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise FileRejected(
            "El archivo no es un CSV aunque su extensión lo diga: es un libro de Excel o un ZIP. "
            "Súbalo con extensión .xlsx o guárdelo como CSV."
        )
    if head.startswith(_UTF16_BOMS):
        raise FileRejected(
            "El archivo está en UTF-16; guárdelo como «CSV UTF-8 (delimitado por comas)»."
        )
    if b"\x00" in head:
        raise FileRejected("El archivo no es un CSV de texto: contiene datos binarios.")


def _delimiter(first_chunk):
    """`;` when the header line has more `;` than `,`; else `,`; tab only when neither appears."""
    header = _LINE_BREAK.split(first_chunk, maxsplit=1)[0]
    semicolons, commas = header.count(b";"), header.count(b",")
    if semicolons > commas:
        return ";"
    if commas == 0 and b"\t" in header:
        return "\t"
    return ","


def _decodes_as_utf8(raw, chunk):
    """Feed the rest of the stream, from `chunk` on, to an incremental UTF-8 decoder."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk:
            decoder.decode(chunk)
            chunk = raw.read(CHUNK_BYTES)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class _CsvSource:
    """A CSV file, possibly gzip-compressed, re-read from disk on every pass."""

    file_format = "csv"
    is_blank = staticmethod(_is_blank_text_row)

    def __init__(self, path, compressed, max_uncompressed):
        self.path = path
        self.compressed = compressed
        self.max_uncompressed = max_uncompressed
        self.encoding, self.delimiter = self._sniff()

    def _open_binary(self):
        """Every pass counts what it decompresses afresh: a bomb is refused on any pass."""
        if self.compressed:
            return open_gzip(self.path, self.max_uncompressed)
        return open(self.path, "rb")

    def _sniff(self):
        """One streaming pass: binary check, delimiter, and UTF-8 if the whole file decodes as such.

        Anything that is not valid UTF-8 is read as Windows-1252, the encoding Excel uses for
        "CSV (delimitado por comas)" on Spanish Windows.
        """
        with self._open_binary() as raw:
            chunk = raw.read(CHUNK_BYTES)
            _check_text_head(chunk[:SNIFF_BYTES])
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
            delimiter = _delimiter(chunk)
            encoding = "utf-8" if _decodes_as_utf8(raw, chunk) else "cp1252"
        return encoding, delimiter

    def estimated_rows(self):
        """Lines in the file (an upper bound of its rows), counted without decoding."""
        lines = 0
        with self._open_binary() as raw:
            for chunk in iter(lambda: raw.read(CHUNK_BYTES), b""):
                lines += chunk.count(b"\n")
                last = chunk
        return lines + (0 if lines and last.endswith(b"\n") else 1)

    def iter_rows(self):
        with self._open_binary() as raw:
            if raw.peek(len(codecs.BOM_UTF8)).startswith(codecs.BOM_UTF8):
                raw.read(len(codecs.BOM_UTF8))
            decoded = io.TextIOWrapper(raw, self.encoding, errors=_FALLBACK_ERRORS, newline="")
            with decoded as text:
                yield from _guard(csv.reader(text, delimiter=self.delimiter), _CSV_ERRORS)


def _open_csv(path, compressed, max_uncompressed):
    if compressed:
        with open(path, "rb") as raw:
            if raw.read(len(_GZIP_MAGIC)) != _GZIP_MAGIC:
                raise FileRejected(
                    "El archivo no está comprimido con gzip aunque su extensión sea .gz."
                )
    try:
        return _CsvSource(path, compressed, max_uncompressed)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise FileRejected(_CORRUPT_GZIP) from exc


def _guard(rows, errors):
    """Turn a read error in the middle of the file into FileRejected naming the row reached."""
    reached = 1
    try:
        for cells in rows:
            yield cells
            reached += 1
    except errors as exc:
        raise FileRejected(_midway_message(exc, reached)) from exc


def _midway_message(exc, number):
    if isinstance(exc, csv.Error):
        return f"El CSV está mal formado cerca de la fila {number}; revise las comillas."
    return f"No se pudo leer el archivo a partir de la fila {number}: está dañado o incompleto."


# --- XLSX -----------------------------------------------------------------------------------------


def _check_is_xlsx(path):
    with open(path, "rb") as raw:
        head = raw.read(len(_OLE_MAGIC))
    if head.startswith(_OLE_MAGIC):
        raise FileRejected(
            "El archivo no es un XLSX: es un libro de Excel antiguo (.xls) o está protegido con "
            "contraseña. Guárdelo como XLSX sin contraseña."
        )
    if not head.startswith(_ZIP_MAGIC):
        raise FileRejected(
            "El archivo no es un XLSX aunque su extensión lo diga; si es un CSV, súbalo con "
            "extensión .csv."
        )


def _zip_entries(path):
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise FileRejected(_CORRUPT_XLSX) from exc


class _XlsxSource:
    """The first sheet of a workbook, loaded once by calamine; each pass converts rows lazily."""

    file_format = "xlsx"
    encoding = None
    delimiter = None
    is_blank = staticmethod(_is_blank_row)

    def __init__(self, path, max_uncompressed):
        _check_is_xlsx(path)
        entries = _zip_entries(path)
        if _WORKBOOK_PART not in {entry.filename for entry in entries}:
            raise FileRejected("El archivo no es un XLSX: es un ZIP que no contiene un libro.")
        try:
            check_zip_expansion(path, entries, max_uncompressed)
        except (zipfile.BadZipFile, zlib.error, OSError) as exc:
            raise FileRejected(_CORRUPT_XLSX) from exc
        self.sheet = _first_sheet(path)

    def estimated_rows(self):
        return self.sheet.total_height

    def iter_rows(self):
        # calamine yields every row from the first one, blank rows included, padded to the sheet
        # width; it may raise anything on a malformed cell, hence the broad guard.
        yield from _guard(self.sheet.iter_rows(), Exception)


def _first_sheet(path):
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise FileRejected(_CORRUPT_XLSX)
            return workbook.get_sheet_by_index(0)
    except FileRejected:
        raise
    except Exception as exc:  # a parser of untrusted input: any failure means a bad file
        raise FileRejected(_CORRUPT_XLSX) from exc


# --- Header and table -----------------------------------------------------------------------------


def _first_row(source):
    """The header row (row 1); refuse a file with no rows, or whose row 1 is blank."""
    with contextlib.closing(source.iter_rows()) as rows:
        header = next(rows, None)
        if header is None:
            raise FileRejected(EMPTY_FILE)
        if source.is_blank(header):
            if all(source.is_blank(cells) for cells in rows):
                raise FileRejected(EMPTY_FILE)
            raise FileRejected(
                "La fila 1 está vacía: los nombres de las columnas deben ir en la primera fila."
            )
    return header


def _column_positions(header, wanted):
    """Map each wanted canonical name to its column; a wanted name present twice is refused.

    Unknown columns are ignored, even when repeated, since they are never read.
    """
    positions = {}
    for index, cell in enumerate(header):
        name = canonical_header(cell)
        if name not in wanted:
            continue
        if name in positions:
            raise FileRejected(f"La columna {name} aparece más de una vez en el encabezado.")
        positions[name] = index
    return positions


def _check_required(required, positions):
    missing = [name for name in required if name not in positions]
    if len(missing) == 1:
        raise FileRejected(f"Falta la columna obligatoria {missing[0]}.")
    if missing:
        raise FileRejected(f"Faltan las columnas obligatorias {', '.join(missing)}.")


def _picker(indexes):
    """A function from a row's cells to the tuple of the wanted ones; short rows padded with ""."""
    if not indexes:
        return lambda cells: ()
    getter = operator.itemgetter(*indexes)
    width = max(indexes) + 1
    single = len(indexes) == 1

    def pick(cells):
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        values = getter(cells)
        return (values,) if single else values

    return pick


class Table:
    """An opened data file: `fields`, `source_columns` and a `rows()` generator.

    `source_columns` maps each field to its header as written in the file (surrounding spaces
    removed). Empty cells come back as "" (CSV and XLSX alike); CSV values are the raw strings,
    XLSX values keep calamine's types (str, float, int, bool, date, datetime, time, timedelta).
    """

    def __init__(self, source, required, optional, max_rows=None):
        self._source = source
        self._max_rows = sys.maxsize if max_rows is None else max_rows
        self.file_format = source.file_format
        self.encoding = source.encoding
        self.delimiter = source.delimiter
        header = _first_row(source)
        wanted = list(dict.fromkeys([*required, *optional]))
        positions = _column_positions(header, set(wanted))
        _check_required(required, positions)
        self.fields = [name for name in wanted if name in positions]
        self.source_columns = {name: str(header[positions[name]]).strip() for name in self.fields}
        self._pick = _picker([positions[name] for name in self.fields])

    def estimated_rows(self):
        """Data rows the file may hold (blank rows included): for progress bars, not counts."""
        return max(self._source.estimated_rows() - 1, 0)

    def rows(self):
        """Yield (row_number, values) for every non-blank data row; row 1 is the header.

        Every call reads the file again from the start. A file that turns out unreadable midway,
        or that holds more non-blank rows than `max_rows`, raises FileRejected on the first row
        past the limit: nothing beyond it is read.
        """
        is_blank = self._source.is_blank
        pick = self._pick
        limit, counted = self._max_rows, 0
        with contextlib.closing(self._source.iter_rows()) as rows:
            next(rows, None)
            for number, cells in enumerate(rows, start=2):
                if is_blank(cells):
                    continue
                counted += 1
                if counted > limit:
                    raise FileRejected(
                        f"El archivo tiene más filas con datos que el límite de {limit:,}; "
                        "divídalo en varios archivos."
                    )
                yield number, pick(cells)


def _file_kind(path):
    name = path.name.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise FileRejected("Formato no admitido: use CSV o XLSX.")


def _file_size(path):
    try:
        return os.stat(path).st_size
    except FileNotFoundError as exc:
        raise FileRejected(f"No se encontró el archivo {path.name}.") from exc


def _check_size(size, max_bytes):
    if max_bytes is not None and size > max_bytes:
        raise FileRejected(
            f"El archivo pesa {format_megabytes(size, round_up=True)} MB; "
            f"el límite es {format_megabytes(max_bytes, round_up=False)} MB."
        )
    if size == 0:
        raise FileRejected(EMPTY_FILE)


def _open_source(path, kind, max_uncompressed):
    if kind == "xlsx":
        return _XlsxSource(path, max_uncompressed or XLSX_MAX_UNCOMPRESSED)
    if kind == "gzip":
        return _open_csv(path, True, max_uncompressed or GZIP_MAX_UNCOMPRESSED)
    return _open_csv(path, False, None)


def open_table(
    path, *, required, optional=(), max_bytes=None, max_uncompressed_bytes=None, max_rows=None
) -> Table:
    """Open a CSV (.csv, .txt), gzip-compressed CSV (.csv.gz, .gz) or XLSX file for reading.

    The extension chooses the format and the content must agree with it. `max_bytes` limits the
    size on disk (compressed size for .gz) and is checked before anything is read.
    `max_uncompressed_bytes` (default XLSX_MAX_UNCOMPRESSED, GZIP_MAX_UNCOMPRESSED) limits what a
    gzip or XLSX file may decompress to, counted on the bytes really decompressed by each pass;
    `max_rows` limits the non-blank data rows Table.rows() yields. `required` and `optional` are
    canonical column names; `Table.fields` lists the required ones, then the optional ones found.
    """
    path = Path(path)
    kind = _file_kind(path)
    required = [canonical_header(name) for name in required]
    optional = [canonical_header(name) for name in optional]
    try:
        _check_size(_file_size(path), max_bytes)
        source = _open_source(path, kind, max_uncompressed_bytes)
        return Table(source, required, optional, max_rows)
    except IsADirectoryError as exc:
        raise FileRejected(f"No se encontró el archivo {path.name}.") from exc
    except OSError as exc:
        raise FileRejected(f"No se pudo leer el archivo {path.name}.") from exc


# END

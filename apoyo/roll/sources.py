"""Reading a roll file in batches of raw text rows (CONTRACT.md "Running commands", import_roll).

apoyo.core.tabular checks the file as a whole first (format, encoding, delimiter, header, required
columns), so a roll file is accepted or refused with the same messages as every other file.
The rows are then read by polars, not by Python's csv module: a cut of millions of rows must be
read in seconds. polars reads UTF-8 only, so a Windows-1252 or gzip-compressed file is first
copied, decoded and decompressed, to a temporary UTF-8 file in one streaming pass.
XLSX files (rarely used for a roll, and at most about a million rows) go through tabular.
What a gzip roll file may decompress to is bounded by APOYO_ROLL_MAX_UNCOMPRESSED_BYTES, counted
on the bytes really decompressed by every pass (tabular's checks and the UTF-8 copy alike); an
XLSX one by tabular's own limit.
"""

import codecs
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from django.conf import settings

from apoyo.core.cells import cell_text
from apoyo.core.private_files import open_private
from apoyo.core.readlimits import open_gzip
from apoyo.core.tabular import CHUNK_BYTES, FileRejected, Table, canonical_header, open_table
from apoyo.roll.frames import COLUMNS, ROW

# A national cut is about 100 million rows, some 9 GB as CSV: 20 GB leaves room for long names
# while refusing a bomb long before it fills the disk with its UTF-8 copy.
BATCH_ROWS = 250_000
XLSX_BATCH_ROWS = 20_000
# Registered by apoyo.core.tabular: bytes Windows-1252 leaves undefined are read as Latin-1, exactly as
# tabular reads the same file.
_CP1252_ERRORS = "apoyo.core.tabular.latin1"
_MALFORMED = "El CSV está mal formado (revise las comillas y los separadores); no se importó nada."


def max_uncompressed_bytes():
    """What a gzip roll file may expand to (APOYO_ROLL_MAX_UNCOMPRESSED_BYTES, default 20 GB)."""
    return settings.APOYO_ROLL_MAX_UNCOMPRESSED_BYTES


def open_roll_table(path, columns=COLUMNS) -> Table:
    """Check the file as a whole; FileRejected names the problem (missing column, encoding...).

    The roll's own expansion limit is for gzip; an XLSX keeps tabular's (calamine holds the whole
    sheet in memory, and a sheet holds at most about a million rows anyway)."""
    compressed = _is_gzip(Path(path))
    limit = max_uncompressed_bytes() if compressed else None
    return open_table(path, required=columns, max_uncompressed_bytes=limit)


def _is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


class CsvRows:
    """A CSV roll file read by polars from a UTF-8 copy (the file itself when it already is one)."""

    def __init__(self, path: Path, table: Table, workdir: Path):
        self.path = Path(path)
        self.separator = table.delimiter
        self.utf8_path, self.estimated_rows = _utf8_copy(self.path, table, workdir)
        self.names = _column_names(self.utf8_path, self.separator)

    def batches(self, rows=None) -> Iterator[pl.DataFrame]:
        """Non-blank rows as DataFrames of ROW (file row number) and COLUMNS (text, "" if empty).

        `rows`, a Series of row numbers, limits the reading to those rows."""
        query = self._query()
        if rows is not None:
            query = query.filter(pl.col(ROW).is_in(rows.implode()))
        try:
            yield from query.collect_batches(chunk_size=BATCH_ROWS)
        except pl.exceptions.PolarsError as exc:
            raise FileRejected(_MALFORMED) from exc

    def _query(self) -> pl.LazyFrame:
        positions = _positions(self.names, COLUMNS)
        data = [pl.col(name) for name in self.names]
        filled = [pl.col(self.names[positions[column]]).fill_null("") for column in COLUMNS]
        return (
            pl.scan_csv(
                self.utf8_path,
                separator=self.separator,
                infer_schema=False,
                truncate_ragged_lines=True,
                row_index_name=ROW,
                row_index_offset=2,
                raise_if_empty=False,
            )
            .filter(_not_blank(data))
            .select(
                pl.col(ROW).cast(pl.Int64),
                *[expr.alias(column) for expr, column in zip(filled, COLUMNS, strict=True)],
            )
        )


def _not_blank(columns) -> pl.Expr:
    """CONTRACT: a row whose every cell is empty or spaces is not a row."""
    return pl.any_horizontal(
        column.fill_null("").str.strip_chars().str.len_bytes() > 0 for column in columns
    )


def _column_names(path: Path, separator: str) -> list[str]:
    try:
        return pl.scan_csv(path, separator=separator, infer_schema=False).collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise FileRejected(_MALFORMED) from exc


def _positions(names: list[str], wanted: list[str]) -> dict[str, int]:
    """Where each wanted column is, matched like apoyo.core.tabular (case, accents, spaces)."""
    positions = {}
    for index, name in enumerate(names):
        canonical = canonical_header(name)
        if canonical in wanted and canonical not in positions:
            positions[canonical] = index
    return positions


def _utf8_copy(path: Path, table: Table, workdir: Path) -> tuple[Path, int]:
    """The file polars will read and an estimate of its rows (for the progress bar)."""
    compressed = _is_gzip(path)
    if not compressed and table.encoding == "utf-8":
        return path, _estimate_rows(path)
    target = workdir / "padron-utf8.csv"
    try:
        with _open_source(path, compressed) as source, open_private(target, "wb") as out:
            lines = _copy_decoded(source, out, table.encoding)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise FileRejected("El archivo comprimido (.gz) está dañado o incompleto.") from exc
    return target, max(lines - 1, 0)


def _open_source(path: Path, compressed: bool):
    """The roll file in binary; a gzip one refused as soon as it expands past the limit."""
    return open_gzip(path, max_uncompressed_bytes()) if compressed else open(path, "rb")


def _copy_decoded(source, out, encoding: str) -> int:
    """Copy in 1 MB blocks, transcoding Windows-1252 to UTF-8; returns the lines copied."""
    if encoding == "utf-8":
        lines = 0
        for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
            out.write(chunk)
            lines += chunk.count(b"\n")
        return lines
    decoder = codecs.getincrementaldecoder("cp1252")(errors=_CP1252_ERRORS)
    lines = 0
    for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
        out.write(decoder.decode(chunk).encode("utf-8"))
        lines += chunk.count(b"\n")
    return lines


def _estimate_rows(path: Path) -> int:
    """Data rows of a plain file, estimated from the length of its first lines."""
    size = path.stat().st_size
    with open(path, "rb") as raw:
        head = raw.read(CHUNK_BYTES)
    lines = head.count(b"\n")
    if lines and len(head) < size:
        lines = size * lines // len(head)
    return max(lines - 1, 0)


class XlsxRows:
    """The first sheet of a workbook, read through apoyo.core.tabular in batches."""

    def __init__(self, table: Table):
        self.table = table
        self.estimated_rows = table.estimated_rows()

    def batches(self, rows=None) -> Iterator[pl.DataFrame]:
        wanted = None if rows is None else set(rows.to_list())
        numbers, cells = [], []
        for number, values in self.table.rows():
            if wanted is not None and number not in wanted:
                continue
            numbers.append(number)
            cells.append([cell_text(value) for value in values])
            if len(numbers) == XLSX_BATCH_ROWS:
                yield _frame(numbers, cells, self.table.fields)
                numbers, cells = [], []
        if numbers:
            yield _frame(numbers, cells, self.table.fields)


def _frame(numbers, cells, fields) -> pl.DataFrame:
    columns = dict(zip(fields, zip(*cells, strict=True), strict=True))
    data = {ROW: pl.Series(numbers, dtype=pl.Int64)}
    data.update({column: pl.Series(columns[column], dtype=pl.String) for column in COLUMNS})
    return pl.DataFrame(data)


def roll_rows(path, workdir: Path, columns=COLUMNS):
    """The reader for a roll file: CsvRows or XlsxRows. Raises FileRejected."""
    table = open_roll_table(path, columns)
    if table.file_format == "xlsx":
        return XlsxRows(table)
    return CsvRows(Path(path), table, workdir)

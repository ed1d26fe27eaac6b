"""Decompression bombs and oversized files (apoyo.core.readlimits through open_table): the limits
hold on the bytes really decompressed and the rows really read, never on declared sizes."""

import gzip
import random
import struct
import zipfile

import pytest
import xlsxwriter

from apoyo.core import tabular
from apoyo.core.tabular import FileRejected, open_table

MEGABYTE = 1024 * 1024
# What may be decompressed past a limit before the check sees it: one read of each buffer.
READ_SLACK = 2 * MEGABYTE


@pytest.fixture
def gzip_bytes_out(monkeypatch):
    """Counts every byte gzip decompresses, whoever asks for it."""
    counted = {"bytes": 0}
    real_read = gzip._GzipReader.read

    def read(self, size=-1):
        data = real_read(self, size)
        counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(gzip._GzipReader, "read", read)
    return counted


def write_gzip(path, header, line, count):
    """A gzip-compressed CSV of `count` copies of `line`, written without holding it in memory."""
    with gzip.open(path, "wb") as out:
        out.write(header)
        for _ in range(count // 10_000):
            out.write(line * 10_000)
        out.write(line * (count % 10_000))
    return path


def varied_rows(count, seed=7):
    """CSV rows of random digits: they compress about 2:1, like real data (no ratio alarm)."""
    rng = random.Random(seed)
    return b"".join(b"%d,%d\n" % (rng.getrandbits(60), rng.getrandbits(60)) for _ in range(count))


def refusal(path, **limits):
    with pytest.raises(FileRejected) as caught:
        table = open_table(path, required=["A"], **limits)
        for _ in table.rows():
            pass
    return str(caught.value)


# --- gzip ---


def test_gzip_expanding_past_the_limit_is_refused_after_reading_about_the_limit(
    tmp_path, gzip_bytes_out
):
    path = tmp_path / "grande.csv.gz"
    path.write_bytes(gzip.compress(b"A,B\n" + varied_rows(200_000)))  # ~7.5 MB decompressed
    message = refusal(path, max_uncompressed_bytes=MEGABYTE)
    assert message == "El archivo comprimido (.gz) se descomprime a más de 1 MB; no se procesa."
    assert gzip_bytes_out["bytes"] <= MEGABYTE + READ_SLACK


def test_a_22_kb_gzip_of_200000_rows_is_refused_as_a_bomb_before_it_is_expanded(
    tmp_path, gzip_bytes_out
):
    line = b"F-1,=HYPERLINK(1),JUAN,GARCIA,MAL,1,X,COMENTARIO\n"
    path = write_gzip(tmp_path / "bomba.csv.gz", b"A,B,C,D,E,F,G,H\n", line, 200_000)
    expanded = 200_000 * len(line)
    assert path.stat().st_size < 30_000
    message = refusal(path)
    assert "posible bomba de descompresión" in message
    assert gzip_bytes_out["bytes"] <= 200 * path.stat().st_size + READ_SLACK < expanded


def test_gzip_within_the_limits_is_read_whole(tmp_path):
    path = tmp_path / "normal.csv.gz"
    path.write_bytes(gzip.compress(b"A,B\n" + varied_rows(30_000)))
    table = open_table(path, required=["A"], max_uncompressed_bytes=2 * MEGABYTE)
    assert sum(1 for _ in table.rows()) == 30_000


# --- XLSX ---


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def declare_size(path, part, size):
    """Make the zip's central directory and local header lie about one part's size."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
            local = struct.unpack_from("<I", data, central + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def sheet(rows):
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c></row>' for n in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


@pytest.fixture
def calamine_never_opens(monkeypatch):
    class Refuses:
        @staticmethod
        def from_path(path):
            raise AssertionError("calamine opened a workbook that should have been refused")

    monkeypatch.setattr(tabular, "CalamineWorkbook", Refuses)


def test_xlsx_whose_directory_understates_a_part_is_refused_before_calamine_reads_it(
    tmp_path, calamine_never_opens
):
    path = write_zip(
        tmp_path / "miente.xlsx",
        {"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": sheet(range(1, 3000))},
    )
    declare_size(path, "xl/worksheets/sheet1.xml", 100)
    assert "posible bomba ZIP" in refusal(path)


def test_xlsx_bomb_with_lying_sizes_is_refused_by_the_bytes_really_inflated(
    tmp_path, monkeypatch, calamine_never_opens
):
    from apoyo.core.readlimits import Expansion

    inflated = []
    real_spend = Expansion.spend

    def spend(self, count, produced, compressed_size):
        inflated.append(count)
        return real_spend(self, count, produced, compressed_size)

    monkeypatch.setattr(Expansion, "spend", spend)
    bomb = "<worksheet>" + "<row/>" * (30 * MEGABYTE // 6) + "</worksheet>"
    path = write_zip(tmp_path / "bomba.xlsx", {"xl/workbook.xml": "<workbook/>", "s.xml": bomb})
    declare_size(path, "s.xml", 100)
    message = refusal(path, max_uncompressed_bytes=4 * MEGABYTE)
    assert message in (
        "El archivo XLSX se descomprime a más de 4 MB; no se procesa.",
        "El archivo XLSX tiene un contenido comprimido anómalo (posible bomba ZIP); no se procesa.",
    )
    assert sum(inflated) <= 4 * MEGABYTE + READ_SLACK < len(bomb)


def test_xlsx_expanding_past_the_callers_limit_is_refused(tmp_path):
    path = write_zip(
        tmp_path / "grande.xlsx",
        {"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": sheet(range(1, 50_000))},
    )
    assert refusal(path, max_uncompressed_bytes=MEGABYTE) == (
        "El archivo XLSX se descomprime a más de 1 MB; no se procesa."
    )


# --- Rows ---


def test_rows_past_the_limit_refuse_the_file_and_nothing_beyond_is_read(tmp_path):
    path = tmp_path / "filas.csv"
    path.write_text("A\n" + "\n".join(str(n) for n in range(30)) + "\n", encoding="utf-8")
    table = open_table(path, required=["A"], max_rows=20)
    read = []
    with pytest.raises(FileRejected) as caught:
        for number, _values in table.rows():
            read.append(number)
    assert len(read) == 20
    assert str(caught.value) == (
        "El archivo tiene más filas con datos que el límite de 20; divídalo en varios archivos."
    )


def test_blank_lines_do_not_count_towards_the_row_limit(tmp_path):
    path = tmp_path / "filas.csv"
    path.write_text("A\n" + "\n\n".join(str(n) for n in range(20)) + "\n\n\n", encoding="utf-8")
    table = open_table(path, required=["A"], max_rows=20)
    assert len(list(table.rows())) == 20


def test_xlsx_rows_past_the_limit_refuse_the_file(tmp_path):
    path = tmp_path / "filas.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet()
    for row in range(40):
        worksheet.write(row, 0, "A" if row == 0 else row)
    workbook.close()
    assert "límite de 10" in refusal(path, max_rows=10)

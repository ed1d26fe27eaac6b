"""safe_cell, the one formula guard of every CSV and XLSX the system writes (OWASP "CSV
injection"): formulas hidden behind leading spaces, numbers that must stay numbers, and the file
writer the batch commands use."""

import csv
import io
import os
import stat

import pytest
from python_calamine import CalamineWorkbook

from apoyo.core.exports import csv_response, safe_cell, write_csv, xlsx_bytes

HIDDEN_FORMULAS = [
    ' =HYPERLINK("http://evil.example","Clic")',
    "   @SUM(A1)",
    "\u00a0+1+1",
    " \t=1+1",
    "\n-2+3",
]
NUMBERS_AS_TEXT = ["-5", "-0.25", "+3", "-1,5", "0", "12.5"]


@pytest.mark.parametrize("value", HIDDEN_FORMULAS)
def test_a_formula_after_leading_spaces_is_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", NUMBERS_AS_TEXT)
def test_a_signed_number_written_as_text_stays_as_it_is(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", ["-5+1", "-5 ", "+52 662 123 4567", "-A1", "- 5"])
def test_texts_that_only_start_like_a_number_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_every_writer_neutralises_hidden_formulas_and_keeps_numbers():
    rows = [[value, -5, "-5"] for value in HIDDEN_FORMULAS]
    expected = [["'" + value.replace("\r", "\n"), "-5", "-5"] for value in HIDDEN_FORMULAS]
    text = io.StringIO(newline="")
    write_csv(text, ["V", "N", "T"], rows)
    assert list(csv.reader(io.StringIO(text.getvalue(), newline="")))[1:] == expected
    body = b"".join(csv_response("a.csv", ["V", "N", "T"], rows).streaming_content)
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert parsed[1:] == expected
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_bytes([("H", ["V", "N"], rows)])))
    sheet = workbook.get_sheet_by_index(0).to_python()
    assert [row[:2] for row in sheet[1:]] == [["'" + value, -5.0] for value in HIDDEN_FORMULAS]


@pytest.fixture
def server_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_write_csv_file_creates_an_owner_only_file_and_counts_the_rows(tmp_path, server_umask):
    from apoyo.core.exports import write_csv_file

    path = tmp_path / "reporte.csv"
    assert write_csv_file(path, ["A", "B"], [["=1", 2], ["x", -3]]) == 2
    assert path.read_text(encoding="utf-8") == "A,B\n'=1,2\nx,-3\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_csv_file_makes_an_existing_readable_file_private_before_writing(
    tmp_path, server_umask
):
    from apoyo.core.exports import write_csv_file

    path = tmp_path / "reporte.csv"
    path.write_text("antes, muy largo " * 100)
    path.chmod(0o644)
    write_csv_file(path, ["A"], [["x"]], bom=True)
    assert path.read_bytes() == b"\xef\xbb\xbfA\nx\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

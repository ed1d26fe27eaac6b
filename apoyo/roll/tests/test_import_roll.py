import datetime

import pytest
import xlsxwriter
from django.db import connection

from apoyo.core.tabular import FileRejected
from apoyo.roll import loading
from apoyo.roll.frames import COLUMNS, ROW
from apoyo.roll.models import NominalListStat, RollCut, RollEntry
from apoyo.roll.services import has_cut, import_roll, nominal_list_by_section
from apoyo.roll.tests.files import elector_key, roll_row, write_roll
from apoyo.testing.factories import make_sections

pytestmark = pytest.mark.django_db

CUT = datetime.date(2020, 8, 31)
OTHER_CUT = datetime.date(2021, 2, 28)


@pytest.fixture(autouse=True)
def sections():
    return make_sections()


def issues_by_row(result):
    return {(row[ROW], row["column"]): row for row in result["issues"].iter_rows(named=True)}


def entries(cut_date=CUT):
    return RollEntry.objects.filter(cut__cut_date=cut_date)


def index_exists():
    """The key (clave de elector, cut) is in place."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "roll_rollentry")
    keys = [details["columns"] for details in constraints.values() if details["primary_key"]]
    return keys == [["elector_key", "cut_id"]]


def test_every_rejection_reason_is_reported_with_row_column_and_original_values(tmp_path):
    long_name = "A" * 121
    rows = [
        roll_row(1),  # row 2: valid
        roll_row(2, clave_elector="ABC123"),  # 3
        roll_row(3, clave_elector=""),  # 4
        roll_row(4, ocr="12345"),  # 5
        roll_row(5, cic="12AB"),  # 6
        roll_row(6, situation="ACTIVO"),  # 7
        roll_row(7, situation="BAJA"),  # 8
        roll_row(8, situation="BAJA", cause="MUDANZA"),  # 9
        roll_row(9, cause="DEFUNCION"),  # 10
        roll_row(10, state=40),  # 11
        roll_row(11, entidad="x"),  # 12
        roll_row(12, seccion="abc"),  # 13
        roll_row(13, section=4),  # 14: no section 4 in the geography
        roll_row(14, sexo="Z"),  # 15
        roll_row(15, nombre=long_name),  # 16
        roll_row(16, situation="BAJA", cause="DEFUNCION"),  # 17: valid
        [""] * len(COLUMNS),  # 18: blank, not a row
        roll_row(1, ocr=""),  # 19: repeats row 2's clave
    ]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows), CUT)

    assert (result["read"], result["imported"], result["rejected"]) == (17, 2, 15)
    issues = issues_by_row(result)
    expected = {
        (3, "CLAVE_ELECTOR"): "no tiene el formato",
        (4, "CLAVE_ELECTOR"): "Falta la clave de elector",
        (5, "OCR"): "13 dígitos",
        (6, "CIC"): "9 dígitos",
        (7, "SITUACION"): "LN, PADRON o BAJA",
        (8, "CAUSA_BAJA"): "Falta la causa de baja",
        (9, "CAUSA_BAJA"): "«MUDANZA» no está en el catálogo",
        (10, "CAUSA_BAJA"): "solo se indica cuando la situación es BAJA",
        (11, "ENTIDAD"): "del 1 al 32",
        (12, "ENTIDAD"): "del 1 al 32",
        (13, "SECCION"): "entero positivo",
        (14, "SECCION"): "La sección 4 no existe en la entidad 26",
        (15, "SEXO"): "H, M o X",
        (16, "NOMBRE"): "excede 120 caracteres",
        (19, "CLAVE_ELECTOR"): "ya aparece en la fila 2",
    }
    assert set(issues) == set(expected)
    for key, words in expected.items():
        assert words in issues[key]["reason"], key
    assert issues[(3, "CLAVE_ELECTOR")]["CLAVE_ELECTOR"] == "ABC123"
    assert issues[(16, "NOMBRE")]["NOMBRE"] == long_name
    assert issues[(19, "CLAVE_ELECTOR")]["OCR"] == ""
    assert list(result["issues"].get_column(ROW)) == sorted(result["issues"].get_column(ROW))
    assert entries().count() == 2
    assert not entries().filter(elector_key=elector_key(2)).exists()


def test_values_are_normalized_and_dates_read_in_both_formats(tmp_path):
    rows = [
        roll_row(
            1,
            clave_elector=" " + elector_key(1).lower()[:6] + "-" + elector_key(1)[6:] + " ",
            ocr="0000 0000 0000 1",
            nombre="  maría   josé ",
            apellido_paterno="muñoz",
            apellido_materno="Núñez Güemes",
            fecha_nacimiento="17/05/1980",
            sexo="m",
            entidad="026",
            seccion=" 1 ",
            situacion="baja",
            causa_baja="defunción",
        ),
        roll_row(2, fecha_nacimiento="31/02/1980"),
        roll_row(3, fecha_nacimiento="", ocr="", cic="", situacion="Padron"),
        roll_row(4, causa_baja="perdida vigencia", situacion="BAJA"),
    ]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows), CUT)

    assert result["rejected"] == 0, result["issues"].to_dicts()
    first = entries().get(elector_key=elector_key(1))
    assert (first.name, first.paternal_surname, first.maternal_surname) == (
        "MARIA JOSE",
        "MUÑOZ",
        "NUÑEZ GUEMES",
    )
    assert (first.ocr, first.sex, first.state_number, first.section_number) == (
        "0000000000001",
        "M",
        26,
        1,
    )
    assert (first.situation, first.removal_cause) == ("BAJA", "DEFUNCION")
    assert first.birth_date == datetime.date(1980, 5, 17)
    assert entries().get(elector_key=elector_key(2)).birth_date is None
    third = entries().get(elector_key=elector_key(3))
    assert (third.birth_date, third.ocr, third.cic, third.situation) == (None, "", "", "PADRON")
    assert entries().get(elector_key=elector_key(4)).removal_cause == "PERDIDA_VIGENCIA"


def test_headers_match_like_every_other_file_and_extra_columns_are_ignored(tmp_path):
    header = [name.lower().replace("_", " ") for name in COLUMNS]
    header[5] = "Apellido Materno "
    header.append("OBSERVACIONES")
    rows = [[*roll_row(1), "nota"], [*roll_row(2), ""]]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows, header=header), CUT)
    assert (result["imported"], result["rejected"]) == (2, 0)


def test_a_missing_column_refuses_the_whole_file_naming_it(tmp_path):
    header = [name for name in COLUMNS if name != "SITUACION"]
    path = write_roll(tmp_path / "padron.csv", [roll_row(1)[:-1]], header=header)
    with pytest.raises(FileRejected, match="Falta la columna obligatoria SITUACION"):
        import_roll(path, CUT)
    assert not has_cut(CUT)


def test_gzip_file(tmp_path):
    rows = [roll_row(n, section=(n % 3) + 1) for n in range(1, 31)]
    result = import_roll(write_roll(tmp_path / "padron.csv.gz", rows), CUT)
    assert (result["read"], result["imported"]) == (30, 30)
    assert sum(nominal_list_by_section(CUT, 26).values()) == 30


def test_windows_1252_file_keeps_enye_and_drops_accents(tmp_path):
    rows = [roll_row(1, nombre="IÑIGO", apellido_paterno="Peña", apellido_materno="ÁVILA")]
    path = write_roll(tmp_path / "padron.csv", rows, encoding="cp1252")
    assert "Ñ".encode("cp1252") in path.read_bytes()
    result = import_roll(path, CUT)
    assert result["imported"] == 1
    entry = entries().get()
    assert (entry.name, entry.paternal_surname, entry.maternal_surname) == (
        "IÑIGO",
        "PEÑA",
        "AVILA",
    )


def test_gzip_of_a_windows_1252_file(tmp_path):
    rows = [roll_row(1, nombre="MARÍA"), roll_row(2, apellido_paterno="NÚÑEZ")]
    result = import_roll(write_roll(tmp_path / "p.csv.gz", rows, encoding="cp1252"), CUT)
    assert result["imported"] == 2
    assert set(entries().values_list("name", "paternal_surname")) == {
        ("MARIA", "PEREZ"),
        ("JUAN", "NUÑEZ"),
    }


def test_semicolon_delimiter(tmp_path):
    rows = [roll_row(1, apellido_materno="DE LA O, SOTO"), roll_row(2)]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows, delimiter=";"), CUT)
    assert (result["imported"], result["rejected"]) == (2, 0)
    assert entries().get(elector_key=elector_key(1)).maternal_surname == "DE LA O, SOTO"


def test_xlsx_file(tmp_path):
    path = tmp_path / "padron.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    row = roll_row(1)
    sheet.write_row(1, 0, row[:6])
    sheet.write_datetime(
        1, 6, datetime.datetime(1980, 5, 17), workbook.add_format({"num_format": "yyyy-mm-dd"})
    )
    sheet.write_row(1, 7, ["H", 26, 3, "LN", ""])
    sheet.write_row(3, 0, roll_row(2, clave_elector="MAL"))  # after a blank row 3
    workbook.close()

    result = import_roll(path, CUT)

    assert (result["read"], result["imported"], result["rejected"]) == (2, 1, 1)
    assert list(result["issues"].get_column(ROW)) == [4]
    entry = entries().get()
    assert (entry.birth_date, entry.section_number) == (datetime.date(1980, 5, 17), 3)


def test_statistics_count_only_lista_nominal_rows_per_section(tmp_path):
    rows = [
        roll_row(1, section=1),
        roll_row(2, section=1),
        roll_row(3, section=1, situation="PADRON"),
        roll_row(4, section=1, situation="BAJA", cause="DEFUNCION"),
        roll_row(5, section=900),
        roll_row(6, section=2, situation="PADRON"),
    ]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows), CUT)

    assert result["ln_sections"] == 2
    assert nominal_list_by_section(CUT, 26) == {1: 2, 900: 1}
    assert set(NominalListStat.objects.values_list("source", flat=True)) == {"roll"}


def test_importing_the_same_cut_date_again_replaces_entries_and_statistics(tmp_path):
    first = [roll_row(n, section=1) for n in range(1, 4)]
    import_roll(write_roll(tmp_path / "a.csv", first), CUT)
    import_roll(write_roll(tmp_path / "b.csv", [roll_row(9, section=2)]), OTHER_CUT)
    second = [roll_row(n, section=3) for n in range(4, 6)]

    result = import_roll(write_roll(tmp_path / "c.csv", second), CUT)

    assert result["imported"] == 2
    assert set(entries().values_list("elector_key", flat=True)) == {elector_key(4), elector_key(5)}
    assert nominal_list_by_section(CUT, 26) == {3: 2}
    assert RollCut.objects.get(cut_date=CUT).entries == 2
    assert RollCut.objects.get(cut_date=CUT).source_name == "c.csv"
    assert list(entries(OTHER_CUT).values_list("elector_key", flat=True)) == [elector_key(9)]
    assert nominal_list_by_section(OTHER_CUT, 26) == {2: 1}
    assert RollCut.objects.count() == 2
    assert index_exists()


def test_replacing_the_only_cut_empties_the_table_first(tmp_path):
    import_roll(write_roll(tmp_path / "a.csv", [roll_row(1), roll_row(2)]), CUT)
    import_roll(write_roll(tmp_path / "b.csv", [roll_row(3)]), CUT)
    assert list(RollEntry.objects.values_list("elector_key", flat=True)) == [elector_key(3)]
    assert index_exists()


def test_a_failure_while_storing_leaves_the_previous_cut_and_its_index(tmp_path, monkeypatch):
    import_roll(write_roll(tmp_path / "a.csv", [roll_row(1), roll_row(2)]), CUT)
    import_roll(write_roll(tmp_path / "b.csv", [roll_row(7)]), OTHER_CUT)
    real_insert = loading.insert_entries if connection.vendor == "sqlite" else loading.copy_entries
    target = "insert_entries" if connection.vendor == "sqlite" else "copy_entries"

    def insert_then_fail(*args, **kwargs):
        real_insert(*args, **kwargs)
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(loading, target, insert_then_fail)
    with pytest.raises(RuntimeError):
        import_roll(write_roll(tmp_path / "c.csv", [roll_row(5), roll_row(6)]), CUT)

    assert set(entries().values_list("elector_key", flat=True)) == {elector_key(1), elector_key(2)}
    assert nominal_list_by_section(CUT, 26) == {1: 2}
    assert RollCut.objects.get(cut_date=CUT).source_name == "a.csv"
    assert entries(OTHER_CUT).count() == 1
    assert index_exists()


def test_rows_need_the_geography(tmp_path):
    from apoyo.geo.models import Section

    Section.objects.all().delete()
    with pytest.raises(FileRejected, match="marco geográfico"):
        import_roll(write_roll(tmp_path / "a.csv", [roll_row(1)]), CUT)


def test_a_malformed_csv_changes_nothing(tmp_path):
    import_roll(write_roll(tmp_path / "a.csv", [roll_row(1)]), CUT)
    path = tmp_path / "b.csv"
    path.write_text(",".join(COLUMNS) + '\n"ABC,1,2\n', encoding="utf-8")
    with pytest.raises(FileRejected):
        import_roll(path, CUT)
    assert list(entries().values_list("elector_key", flat=True)) == [elector_key(1)]


def test_issue_storage_is_capped_but_every_issue_is_counted(tmp_path):
    rows = [roll_row(n, clave_elector=f"MAL{n}") for n in range(1, 8)]
    result = import_roll(write_roll(tmp_path / "a.csv", rows), CUT, limit=5)
    assert (result["rejected"], result["issues_total"], result["issues"].height) == (7, 7, 5)


def test_progress_is_reported_while_reading(tmp_path):
    seen = []
    rows = [roll_row(n) for n in range(1, 4)]
    import_roll(write_roll(tmp_path / "a.csv", rows), CUT, progress=lambda **f: seen.append(f))
    assert {"rows_read": 3, "rejected": 0} in seen
    assert any("rows_total" in fields for fields in seen)


def test_helpers_for_other_apps(tmp_path):
    assert not has_cut(CUT)
    assert nominal_list_by_section(CUT, 26) == {}
    import_roll(write_roll(tmp_path / "a.csv", [roll_row(1, section=900)]), CUT)
    assert has_cut(CUT)
    assert nominal_list_by_section(CUT, 26) == {900: 1}
    assert nominal_list_by_section(CUT, 25) == {}


def test_rows_of_an_entity_whose_geography_is_not_loaded_are_stored_with_their_statistics(
    tmp_path,
):
    # CONTRACT import_roll: a cut may hold several entities; only Sonora's geography is loaded.
    rows = [
        roll_row(1, state=5, section=300),  # row 2: Coahuila
        roll_row(2, state=5, section=300),
        roll_row(3, state=5, section=301, situation="PADRON"),
        roll_row(4, section=1),
        roll_row(5, section=4),  # row 6: Sonora's geography is loaded and has no section 4
    ]
    result = import_roll(write_roll(tmp_path / "padron.csv", rows), CUT)

    assert (result["read"], result["imported"], result["rejected"]) == (5, 4, 1)
    assert (
        "La sección 4 no existe en la entidad 26" in issues_by_row(result)[6, "SECCION"]["reason"]
    )
    coahuila = entries().get(elector_key=elector_key(1))
    assert (coahuila.state_number, coahuila.section_number, coahuila.situation) == (5, 300, "LN")
    assert nominal_list_by_section(CUT, 5) == {300: 2}
    assert nominal_list_by_section(CUT, 26) == {1: 1}

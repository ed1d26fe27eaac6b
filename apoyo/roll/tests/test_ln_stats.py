import datetime

import pytest

from apoyo.core.tabular import FileRejected
from apoyo.roll.frames import ROW
from apoyo.roll.models import NominalListStat
from apoyo.roll.services import import_ln_stats, import_roll, nominal_list_by_section
from apoyo.roll.tests.files import roll_row, write_roll, write_stats
from apoyo.testing.factories import make_sections

pytestmark = pytest.mark.django_db

CUT = datetime.date(2020, 8, 31)


@pytest.fixture(autouse=True)
def sections():
    return make_sections()


def test_published_counts_are_stored_and_bad_rows_reported(tmp_path):
    rows = [
        ["26", "1", "1200"],  # 2
        ["26", "2", "1.300"],  # 3: not a whole number
        ["26", "4", "10"],  # 4: unknown section
        ["26", "1", "1250"],  # 5: section repeated
        ["33", "1", "5"],  # 6: no such entity
        ["26", "x", "5"],  # 7
        ["", "", ""],  # blank line: not a row
        ["026", " 900 ", "17437"],  # 9
    ]
    result = import_ln_stats(write_stats(tmp_path / "ln.csv", rows), CUT)

    assert (result["read"], result["imported"], result["rejected"]) == (7, 2, 5)
    assert result["ln_sections"] == 2
    assert nominal_list_by_section(CUT, 26) == {1: 1200, 900: 17437}
    issues = {(r[ROW], r["column"]): r["reason"] for r in result["issues"].iter_rows(named=True)}
    assert "número entero no negativo" in issues[(3, "LISTA_NOMINAL")]
    assert "La sección 4 no existe en la entidad 26" in issues[(4, "SECCION")]
    assert "ya aparece en la fila 2" in issues[(5, "SECCION")]
    assert "del 1 al 32" in issues[(6, "ENTIDAD")]
    assert (6, "SECCION") not in issues
    assert "entero positivo" in issues[(7, "SECCION")]
    assert set(NominalListStat.objects.values_list("source", flat=True)) == {"published"}


def test_published_counts_replace_the_cut_date_and_the_last_import_wins(tmp_path):
    import_roll(write_roll(tmp_path / "padron.csv", [roll_row(1), roll_row(2)]), CUT)
    assert nominal_list_by_section(CUT, 26) == {1: 2}

    import_ln_stats(write_stats(tmp_path / "ln.csv", [["26", "3", "800"]]), CUT)
    assert nominal_list_by_section(CUT, 26) == {3: 800}

    import_ln_stats(write_stats(tmp_path / "ln2.csv", [["26", "2", "90"]]), CUT)
    assert nominal_list_by_section(CUT, 26) == {2: 90}

    import_roll(write_roll(tmp_path / "padron2.csv", [roll_row(3, section=900)]), CUT)
    assert nominal_list_by_section(CUT, 26) == {900: 1}
    assert set(NominalListStat.objects.values_list("source", flat=True)) == {"roll"}


def test_other_cut_dates_are_kept(tmp_path):
    other = datetime.date(2017, 8, 31)
    import_ln_stats(write_stats(tmp_path / "a.csv", [["26", "1", "5"]]), other)
    import_ln_stats(write_stats(tmp_path / "b.csv", [["26", "1", "7"]]), CUT)
    assert nominal_list_by_section(other, 26) == {1: 5}


def test_a_missing_column_refuses_the_file(tmp_path):
    path = write_stats(tmp_path / "ln.csv", [["26", "1"]], header=("ENTIDAD", "SECCION"))
    with pytest.raises(FileRejected, match="LISTA_NOMINAL"):
        import_ln_stats(path, CUT)


def test_published_counts_of_an_entity_whose_geography_is_not_loaded_are_stored(tmp_path):
    # As import_roll stores them for its own cut (CONTRACT import_ln_stats: the same counts).
    rows = [["5", "300", "1500"], ["26", "1", "1200"], ["26", "4", "10"]]
    result = import_ln_stats(write_stats(tmp_path / "ln.csv", rows), CUT)

    assert (result["imported"], result["rejected"]) == (2, 1)
    assert nominal_list_by_section(CUT, 5) == {300: 1500}
    assert nominal_list_by_section(CUT, 26) == {1: 1200}


def test_a_later_import_replaces_the_statistics_of_every_entity_of_the_cut(tmp_path):
    # CONTRACT import_ln_stats: whichever ran last replaces that cut's statistics as a whole.
    rows = [roll_row(1, state=5, section=300), roll_row(2, section=1)]
    import_roll(write_roll(tmp_path / "padron.csv", rows), CUT)
    assert nominal_list_by_section(CUT, 5) == {300: 1}

    import_ln_stats(write_stats(tmp_path / "ln.csv", [["26", "2", "90"]]), CUT)

    assert nominal_list_by_section(CUT, 5) == {}
    assert nominal_list_by_section(CUT, 26) == {2: 90}
    import_ln_stats(write_stats(tmp_path / "ln2.csv", [["5", "301", "7"]]), CUT)
    assert (nominal_list_by_section(CUT, 5), nominal_list_by_section(CUT, 26)) == ({301: 7}, {})

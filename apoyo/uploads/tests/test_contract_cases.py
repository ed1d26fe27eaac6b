"""The cases CONTRACT.md settles for upload_supports, each as a row would meet them in a real file
(its "Settled cases"); what they mean for the compulsa is proved on both of its routes in
apoyo/verification/tests/test_contract_cases.py."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from apoyo.supports.models import IssueKind, Support, Upload
from apoyo.supports.rules import COLUMNS
from apoyo.testing.factories import PERIOD_END, elector_key, make_aspirant
from apoyo.testing.files import HEADER, good_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(code="A-01")


def upload(tmp_path, rows, header=HEADER, name="a.csv"):
    """upload_supports of a CSV (or XLSX by its name); the issues of the upload it made."""
    path = tmp_path / name
    if name.endswith(".xlsx"):
        write_xlsx(path, rows, header=header, date_columns={8})
    else:
        write_csv(path, rows, header=header)
    call_command("upload_supports", "--aspirant", "A-01", str(path))
    issues = Upload.objects.latest("id").issues
    return {(i.row_number, i.kind, i.column): i.reason for i in issues.all()}


def stored(n):
    return Support.objects.get(elector_key=elector_key(n))


def test_an_undated_row_has_the_upload_date_unchecked_against_the_collection_period(
    aspirant, tmp_path
):
    # The office's period (15/12/2020 to 23/01/2021) closed long before today's upload.
    today = timezone.localdate()
    without_column = [good_row(1)[:8]]
    assert upload(tmp_path, without_column, header=COLUMNS) == {}
    empty_cells = [good_row(2, date=""), good_row(3, date="   "), good_row(4)]
    assert upload(tmp_path, empty_cells, name="b.csv") == {}

    for n in (1, 2, 3):
        assert (stored(n).support_date, stored(n).date_written) == (today, False)
    assert (stored(4).support_date, stored(4).date_written) == (datetime.date(2020, 12, 20), True)


def test_a_date_cell_holding_a_time_counts_by_its_date(aspirant, tmp_path):
    last_evening = datetime.datetime.combine(PERIOD_END, datetime.time(18, 45))
    rows = [
        [*good_row(1)[:8], last_evening],
        [*good_row(2)[:8], "23/01/2021 23:59"],
        [*good_row(3)[:8], "2021-01-23T23:59:59"],
    ]
    assert upload(tmp_path, rows, name="a.xlsx") == {}
    for n in (1, 2, 3):
        assert (stored(n).support_date, stored(n).date_written) == (PERIOD_END, True)


def test_folio_names_and_type_are_normalized_before_any_rule(aspirant, tmp_path):
    upload(tmp_path, [good_row(1, reference="A-01")])
    rows = [
        [" a-01 ", "juan", "garcía", "", elector_key(1), f"{1:013d}", "", "", "2020-12-20"],
        [" a-01 ", " maría ", "peña", "", elector_key(2), f"{2:013d}", "simulacion", "", ""],
        ["   ", "JUAN", "GARCIA", "", elector_key(3), f"{3:013d}", "", "", ""],
        ["A-01", "   ", "GARCIA", "", elector_key(4), f"{4:013d}", "", "", ""],
        ["A-01", "JUAN", "  ", "   ", elector_key(5), f"{5:013d}", "", "", ""],
    ]
    issues = upload(tmp_path, rows, name="b.csv")

    assert "Ya registrado" in issues[2, IssueKind.SKIPPED, ""]  # ` a-01 ` is A-01
    second = stored(2)
    assert (second.cedula.reference, second.name, second.paternal_surname) == (
        "A-01",
        "MARIA",
        "PEÑA",
    )
    assert second.inconsistency.code == "SIMULACION"
    assert "obligatorio" in issues[4, IssueKind.REJECTED, "NUMERO_REFERENCIA"]
    assert "obligatorio" in issues[5, IssueKind.REJECTED, "NOMBRE"]
    assert "al menos un apellido" in issues[6, IssueKind.REJECTED, "APELLIDO_PATERNO"]


def test_tabs_and_non_breaking_spaces_are_spaces(aspirant, tmp_path):
    key = elector_key(1)
    rows = [
        [
            "\u00a0a-01\t",
            "juan\tcarlos",
            "garcía\u00a0\u00a0lópez",
            "",
            f"{key[:6]}\u00a0{key[6:14]}\t{key[14:]}",
            "1234\u00a0567890\t123",
            "",
            "Firma\u00a0\tborrosa",
            "",
        ],
        ["A-01", "\u00a0\t", "GARCIA", "", elector_key(2), f"{2:013d}", "", "", ""],
    ]
    issues = upload(tmp_path, rows)

    support = stored(1)
    assert (support.cedula.reference, support.name, support.paternal_surname) == (
        "A-01",
        "JUAN CARLOS",
        "GARCIA LOPEZ",
    )
    assert (support.ocr, support.comment) == ("1234567890123", "Firma borrosa")
    assert list(issues) == [(3, IssueKind.REJECTED, "NOMBRE")]


def test_a_row_that_breaks_a_rule_is_rejected_even_when_its_key_is_stored(
    aspirant, tmp_path, capsys
):
    upload(tmp_path, [good_row(1, reference="A-01")])
    broken = [
        [*good_row(1, reference="A-01")[:5], "12", "", "", "2020-12-20"],  # the OCR
        [*good_row(1, reference="a-01")[:6], "OTRA", "", "2020-12-20"],  # OTRA without comment
        good_row(1, reference="A-01", date="2030-01-01"),  # the date
    ]
    issues = upload(tmp_path, broken, name="b.csv")

    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last == {"stored": 0, "skipped": 0, "rejected": 3}
    assert set(issues) == {
        (2, IssueKind.REJECTED, "OCR"),
        (3, IssueKind.REJECTED, "COMENTARIO"),
        (4, IssueKind.REJECTED, "FECHA_APOYO"),
    }
    assert "COMENTARIO" in issues[3, IssueKind.REJECTED, "COMENTARIO"]


def test_otra_without_a_comment_is_rejected_and_with_one_is_stored(aspirant, tmp_path):
    rows = [
        [*good_row(1)[:6], "otra", "  ", "2020-12-20"],
        [*good_row(2)[:6], "OTRA", "Huella en lugar de firma", "2020-12-20"],
    ]
    issues = upload(tmp_path, rows)

    assert list(issues) == [(2, IssueKind.REJECTED, "COMENTARIO")]
    assert stored(2).inconsistency.code == "OTRA"

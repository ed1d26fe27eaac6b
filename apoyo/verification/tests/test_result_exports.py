"""The results as people read them: the results workbook (with its dispersion sheet, numbers as
numbers), the aspirant's own download from the portal, the per-office table and the OCR column."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog
from apoyo.core.display import percent
from apoyo.supports.models import Support
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.verification.models import UnitResult
from apoyo.verification.results import DISPERSION_HEADER, PORTAL_HEADER, aspirant_rows
from apoyo.verification.services import run_check
from apoyo.verification.tests.test_views import data, logged, office, text  # noqa: F401
from apoyo.verification.views import threshold_percent

pytestmark = pytest.mark.django_db


def test_the_results_workbook_has_the_dispersion_sheet_and_numbers_as_numbers(
    client,
    office,  # noqa: F811
    data,  # noqa: F811
):
    run = run_check(office)
    logged(client)
    url = reverse("verification:export", args=[office.pk, "resultados", "xlsx"])
    sheets = xlsx_sheets(client.get(url))
    aspirants = sheets["Aspirantes"]
    percent = aspirants[1][aspirants[0].index("PORCENTAJE")]
    assert isinstance(percent, float) and percent == pytest.approx(4 / 120 * 100, abs=0.005)
    dispersion = sheets["Dispersión"]
    assert dispersion[0] == DISPERSION_HEADER
    units = UnitResult.objects.filter(run=run)
    assert len(dispersion) - 1 == units.count()
    first = units.order_by("aspirant__code", "unit_number").first()
    assert dispersion[1][:3] == [first.aspirant.code, first.unit_number, first.unit_name]
    assert all(isinstance(value, int | float) for value in dispersion[1][3:])


def test_the_contract_csv_keeps_the_percentage_with_two_decimals(office, data):  # noqa: F811
    run = run_check(office)
    rows = list(aspirant_rows(run))
    assert rows[0][6] == Decimal("3.33") and str(rows[0][6]) == "3.33"


def test_the_aspirant_downloads_their_own_results_with_the_motivo_filter(
    client,
    office,  # noqa: F811
    data,  # noqa: F811
):
    run = run_check(office)
    a = data["a"]
    client.force_login(a.user)
    url = reverse("verification:portal_export", args=["csv"])
    rows = csv_rows(client.get(url))
    assert rows[0] == PORTAL_HEADER
    keys = [row[1] for row in rows[1:]]
    assert len(keys) == 6 and data["keys"][5] not in keys  # B's support is not there
    not_found = csv_rows(client.get(url, {"motivo": "NO_ENCONTRADO"}))
    assert [row[1] for row in not_found[1:]] == [data["missing"]]
    assert not_found[1][-1] == "No encontrado en el padrón" and not_found[1][-2] == "No"
    workbook = xlsx_sheets(client.get(reverse("verification:portal_export", args=["xlsx"])))
    assert len(workbook["Mis apoyos"]) == 7
    entry = AccessLog.objects.filter(user=a.user, action="exportar").last()
    assert entry.object_type == "resultados propios" and f"compulsa {run.pk}" in entry.detail


def test_the_portal_download_needs_a_run_and_an_aspirant(client, office, data):  # noqa: F811
    client.force_login(data["a"].user)
    assert client.get(reverse("verification:portal_export", args=["csv"])).status_code == 404
    run_check(office)
    logged(client)
    assert client.get(reverse("verification:portal_export", args=["csv"])).status_code == 403


def test_the_office_table_folds_the_motivos_into_one_column(client, office, data):  # noqa: F811
    run_check(office)
    logged(client)
    page = text(client.get(reverse("verification:office", args=[office.pk])))
    assert "No cuentan" in page and '<details class="motives">' in page
    assert "No encontrado en el padrón</a>: 1" in page
    assert "3.33%" in page and "Duplicado (mismo)</th>" not in page


def test_a_valid_row_without_an_ocr_says_there_was_nothing_to_compare(
    client,
    office,  # noqa: F811
    data,  # noqa: F811
):
    Support.objects.filter(elector_key=data["keys"][1]).update(ocr="", cic="123456789")
    run_check(office)
    logged(client)
    page = text(client.get(reverse("verification:aspirant", args=[data["a"].pk])))
    assert "Sin OCR" in page and "se capturó el CIC" in page
    # The others differ from the roll's OCR: said, and said not to invalidate.
    assert 'No <span class="help">(se informa; no invalida)</span>' in page
    assert "no invalida</strong> el apoyo" in page


def test_the_chart_names_both_axes(client, office, data):  # noqa: F811
    run_check(office)
    logged(client)
    page = text(client.get(reverse("verification:aspirant", args=[data["a"].pk])))
    assert 'data-axis="y">Válidos / requeridos</text>' in page
    assert 'data-axis="x">Municipio</text>' in page


@pytest.mark.parametrize(
    ("valid", "required", "shown"),
    [(4, 1440, "0.27%"), (1439, 1440, "99.93%"), (1440, 1440, "100.00%"), (2000, 1440, "100.00%")],
)
def test_the_progress_towards_the_threshold_reads_with_two_decimals_and_never_rounds_up_to_met(
    valid, required, shown
):
    assert percent(threshold_percent(valid, required)) == shown

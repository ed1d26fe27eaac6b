"""Capture warnings (DOMAIN "Identity formats"): they never refuse a support, they are stored with
it whatever the channel, and the mesa de control and the support's page show them."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.supports.models import Support
from apoyo.supports.services import capture_support, correct_support, open_cedula
from apoyo.testing.factories import PERIOD_START, make_aspirant, make_user
from apoyo.testing.files import write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db

GOOD_KEY = "GRLPJN85010126H001"
IMPOSSIBLE_DATE_KEY = "GRLPJN85023026H001"
ROW = {
    "NOMBRE": "JUAN",
    "APELLIDO_PATERNO": "GARCIA",
    "APELLIDO_MATERNO": "LOPEZ",
    "CLAVE_ELECTOR": GOOD_KEY,
    "OCR": "1234567890123",
}


@pytest.fixture
def capturist():
    return make_user(Role.OPL_CAPTURIST)


@pytest.fixture
def cedula(capturist):
    cedula, _ = open_cedula(capturist, make_aspirant(), "F-001", PERIOD_START)
    return cedula


def test_a_clean_capture_stores_no_warning(capturist, cedula):
    support = capture_support(capturist, cedula, ROW).support
    assert support.warnings == ""
    assert support.warning_list == []


def test_manual_capture_stores_impossible_birth_date_and_letter_mismatch(capturist, cedula):
    row = dict(ROW, CLAVE_ELECTOR=IMPOSSIBLE_DATE_KEY, NOMBRE="PEDRO")
    support = Support.objects.get(pk=capture_support(capturist, cedula, row).support.pk)
    assert len(support.warning_list) == 2
    assert "no coinciden con el nombre" in support.warning_list[0]
    assert "no forman una fecha real" in support.warning_list[1]


def test_the_same_clave_twice_warns_on_the_second_support_only(capturist, cedula):
    first = capture_support(capturist, cedula, ROW).support
    other, _ = open_cedula(capturist, cedula.aspirant, "F-002", PERIOD_START)
    second = capture_support(capturist, other, ROW).support
    assert first.warnings == ""
    assert "F-001" in second.warnings


def test_a_correction_recomputes_the_warnings(capturist, cedula):
    support = capture_support(capturist, cedula, dict(ROW, NOMBRE="PEDRO")).support
    assert support.warning_list
    result = correct_support(capturist, support, {"NOMBRE": "JUAN"})
    assert result.errors == []
    support.refresh_from_db()
    assert support.warnings == ""


def test_bulk_rows_store_their_warnings_and_a_repeated_clave(tmp_path):
    aspirant = make_aspirant()
    rows = [
        ["F-1", "JUAN", "GARCIA", "LOPEZ", GOOD_KEY, "1111111111111", "", "", "2020-12-20"],
        ["F-2", "JUAN", "GARCIA", "LOPEZ", GOOD_KEY, "2222222222222", "", "", "2020-12-20"],
        [
            "F-3",
            "JUAN",
            "GARCIA",
            "LOPEZ",
            IMPOSSIBLE_DATE_KEY,
            "3333333333333",
            "",
            "",
            "2020-12-20",
        ],
    ]
    path = write_csv(tmp_path / "w.csv", rows)
    with open(path, "rb") as source:
        upload = run_upload(register_upload(None, aspirant, source, path.name, False))
    assert upload.stored == 3
    warnings = dict(Support.objects.values_list("cedula__reference", "warnings"))
    assert warnings["F-1"] == ""
    assert "ya está capturada" in warnings["F-2"]
    assert "no forman una fecha real" in warnings["F-3"]


def test_the_mesa_de_control_and_support_page_show_the_warnings(capturist, cedula, client):
    support = capture_support(capturist, cedula, dict(ROW, NOMBRE="PEDRO")).support
    client.force_login(make_user(Role.OPL_REVIEWER))
    for url in (
        reverse("review:support", args=[support.pk]),
        reverse("supports:detail", args=[support.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Advertencias de captura" in page
        assert "no coinciden con el nombre" in page

"""Corregir never changes a mesa de control outcome: only the mesa's rules or a hearing ruling do."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.review import services as review
from apoyo.supports.models import Inconsistency, Status
from apoyo.supports.services import capture_support, correct_support, open_cedula
from apoyo.testing.factories import (
    PERIOD_START,
    make_aspirant,
    make_office,
    make_user,
    precaptured,
    row,
)

pytestmark = pytest.mark.django_db


def code(value):
    return Inconsistency.objects.get(code=value)


@pytest.fixture
def aspirant():
    return make_aspirant(make_office(), with_user=True)


@pytest.fixture
def capturist():
    return make_user(Role.OPL_CAPTURIST)


@pytest.fixture
def confirmed_simulation(aspirant):
    """A pre-captured support whose SIMULACION rejection a second revisor confirmed."""
    support = precaptured(aspirant, [1])[0]
    review.record_inconsistency(make_user(Role.OPL_REVIEWER), support, code("SIMULACION"), "")
    review.confirm_rejection(make_user(Role.OPL_REVIEWER), support)
    support.refresh_from_db()
    assert support.inconsistency.code == "SIMULACION"
    return support


def test_a_capturist_cannot_clear_a_confirmed_four_eyes_rejection(capturist, confirmed_simulation):
    result = correct_support(capturist, confirmed_simulation, {"TIPO_INCONSISTENCIA": ""})
    assert result.errors[0].column == "TIPO_INCONSISTENCIA"
    assert "mesa de control" in result.errors[0].message
    confirmed_simulation.refresh_from_db()
    assert confirmed_simulation.inconsistency.code == "SIMULACION"


def test_a_capturist_cannot_reject_an_accepted_support(capturist, aspirant):
    support = precaptured(aspirant, [1])[0]
    review.accept_support(make_user(Role.OPL_REVIEWER), support)
    result = correct_support(capturist, support, {"TIPO_INCONSISTENCIA": "FOTOCOPIA"})
    assert result.errors[0].column == "TIPO_INCONSISTENCIA"
    support.refresh_from_db()
    assert support.inconsistency is None
    assert support.status == Status.PRELIMINARY


def test_a_four_eyes_type_cannot_be_set_by_correction_without_a_second_revisor(capturist, aspirant):
    cedula, _ = open_cedula(capturist, aspirant, "F-1", PERIOD_START)
    support = capture_support(capturist, cedula, row(1)).support
    result = correct_support(capturist, support, {"TIPO_INCONSISTENCIA": "SIMULACION"})
    assert result.errors[0].column == "TIPO_INCONSISTENCIA"
    assert "segundo revisor" in result.errors[0].message
    support.refresh_from_db()
    assert support.inconsistency is None


def test_a_pending_supports_type_is_the_mesas_to_record(capturist, aspirant):
    support = precaptured(aspirant, [1])[0]
    result = correct_support(capturist, support, {"TIPO_INCONSISTENCIA": "FOTOCOPIA"})
    assert result.errors[0].column == "TIPO_INCONSISTENCIA"
    support.refresh_from_db()
    assert support.inconsistency is None


def test_the_type_read_from_the_opls_own_paper_can_still_be_corrected(capturist, aspirant):
    cedula, _ = open_cedula(capturist, aspirant, "F-1", PERIOD_START)
    support = capture_support(capturist, cedula, row(1, TIPO_INCONSISTENCIA="FOTOCOPIA")).support
    result = correct_support(capturist, support, {"TIPO_INCONSISTENCIA": "ILEGIBLE"})
    assert result.errors == []
    support.refresh_from_db()
    assert support.inconsistency.code == "ILEGIBLE"


def test_other_data_of_a_decided_support_can_still_be_corrected(capturist, confirmed_simulation):
    result = correct_support(capturist, confirmed_simulation, {"OCR": "9999999999999"})
    assert result.errors == []
    confirmed_simulation.refresh_from_db()
    assert confirmed_simulation.ocr == "9999999999999"
    assert confirmed_simulation.inconsistency.code == "SIMULACION"


def test_the_correction_page_refuses_to_clear_a_confirmed_rejection(
    client, capturist, confirmed_simulation
):
    client.force_login(capturist)
    url = reverse("supports:correct", args=[confirmed_simulation.pk])
    page = client.get(url).content.decode()
    assert "solo cambia en la mesa de control" in page
    assert 'name="TIPO_INCONSISTENCIA" disabled' in page
    data = {
        "NOMBRE": confirmed_simulation.name,
        "APELLIDO_PATERNO": confirmed_simulation.paternal_surname,
        "APELLIDO_MATERNO": confirmed_simulation.maternal_surname,
        "CLAVE_ELECTOR": confirmed_simulation.elector_key,
        "OCR": confirmed_simulation.ocr,
        "TIPO_INCONSISTENCIA": "",
        "COMENTARIO": "",
        "FECHA_APOYO": "",
    }
    client.post(url, data)
    confirmed_simulation.refresh_from_db()
    assert confirmed_simulation.inconsistency.code == "SIMULACION"

import datetime

import pytest

from apoyo.accounts.models import Role
from apoyo.supports.models import ChangeAction, Channel, Inconsistency, Status, Support
from apoyo.supports.services import (
    capture_support,
    correct_support,
    open_cedula,
    withdraw_support,
)
from apoyo.testing.factories import PERIOD_END, PERIOD_START, make_aspirant, make_user

pytestmark = pytest.mark.django_db

ROW = {
    "NOMBRE": " juan ",
    "APELLIDO_PATERNO": "García",
    "APELLIDO_MATERNO": "López",
    "CLAVE_ELECTOR": "grlpjn 85010126-h001",
    "OCR": "1234567890123",
    "TIPO_INCONSISTENCIA": "",
    "COMENTARIO": "",
}


@pytest.fixture
def capturist():
    return make_user(Role.OPL_CAPTURIST)


@pytest.fixture
def cedula(capturist):
    cedula, errors = open_cedula(capturist, make_aspirant(), "f-001", PERIOD_START)
    assert errors == []
    return cedula


def test_open_cedula_normalizes_folio_and_reuses_an_existing_one(capturist, cedula):
    assert cedula.reference == "F-001"
    again, errors = open_cedula(capturist, cedula.aspirant, "F-001", PERIOD_END)
    assert errors == [] and again == cedula


def test_open_cedula_outside_collection_period_is_refused(capturist):
    aspirant = make_aspirant()
    cedula, errors = open_cedula(capturist, aspirant, "F-9", PERIOD_END + datetime.timedelta(1))
    assert cedula is None
    assert errors[0].column == "FECHA_APOYO"
    assert "fuera del periodo" in errors[0].message


def test_capture_stores_normalized_row_as_preliminary_with_history(capturist, cedula):
    result = capture_support(capturist, cedula, ROW)
    assert result.errors == []
    support = result.support
    assert (support.name, support.paternal_surname, support.maternal_surname) == (
        "JUAN",
        "GARCIA",
        "LOPEZ",
    )
    assert support.elector_key == "GRLPJN85010126H001"
    assert support.channel == Channel.MANUAL
    assert support.status == Status.PRELIMINARY
    assert support.support_date == cedula.date
    assert support.captured_by == capturist
    assert list(support.changes.values_list("action", flat=True)) == [ChangeAction.CREATED]


def test_capture_reports_every_invalid_field_in_spanish_and_stores_nothing(capturist, cedula):
    bad = dict(
        ROW, NOMBRE="", APELLIDO_PATERNO="", APELLIDO_MATERNO="", CLAVE_ELECTOR="X1", OCR="12"
    )
    result = capture_support(capturist, cedula, bad)
    assert result.support is None
    columns = {error.column for error in result.errors}
    assert {"NOMBRE", "APELLIDO_PATERNO", "CLAVE_ELECTOR", "OCR"} <= columns
    assert not Support.objects.exists()


def test_same_key_twice_in_one_cedula_is_refused(capturist, cedula):
    capture_support(capturist, cedula, ROW)
    result = capture_support(capturist, cedula, ROW)
    assert result.support is None
    assert result.errors[0].column == "CLAVE_ELECTOR"
    assert Support.objects.count() == 1


def test_same_key_in_another_cedula_of_the_aspirant_warns_but_stores(capturist, cedula):
    capture_support(capturist, cedula, ROW)
    other, _ = open_cedula(capturist, cedula.aspirant, "F-002", PERIOD_START)
    result = capture_support(capturist, other, ROW)
    assert result.support is not None
    assert any("F-001" in warning for warning in result.warnings)


def test_letters_that_disagree_with_names_warn_but_store(capturist, cedula):
    result = capture_support(capturist, cedula, dict(ROW, NOMBRE="PEDRO"))
    assert result.support is not None
    assert result.warnings


def test_unknown_inconsistency_code_is_refused_and_known_one_stored(capturist, cedula):
    refused = capture_support(capturist, cedula, dict(ROW, TIPO_INCONSISTENCIA="NO_EXISTE"))
    assert refused.errors[0].column == "TIPO_INCONSISTENCIA"
    stored = capture_support(capturist, cedula, dict(ROW, TIPO_INCONSISTENCIA="fotocopia"))
    assert stored.support.inconsistency == Inconsistency.objects.get(code="FOTOCOPIA")


def test_correction_keeps_old_and_new_value_in_history(capturist, cedula):
    support = capture_support(capturist, cedula, ROW).support
    reviewer = make_user(Role.OPL_REVIEWER)
    result = correct_support(reviewer, support, {"OCR": "9999999999999", "COMENTARIO": "Revisado"})
    assert result.errors == []
    support.refresh_from_db()
    assert support.ocr == "9999999999999"
    corrections = support.changes.filter(action=ChangeAction.CORRECTED)
    assert {(c.field, c.old_value, c.new_value, c.user) for c in corrections} == {
        ("OCR", "1234567890123", "9999999999999", reviewer),
        ("comentario", "", "Revisado", reviewer),
    }


def test_invalid_correction_changes_nothing(capturist, cedula):
    support = capture_support(capturist, cedula, ROW).support
    result = correct_support(capturist, support, {"CLAVE_ELECTOR": "MAL"})
    assert result.errors[0].column == "CLAVE_ELECTOR"
    support.refresh_from_db()
    assert support.elector_key == "GRLPJN85010126H001"
    assert support.changes.count() == 1


def test_withdrawal_needs_a_reason_keeps_the_support_and_frees_the_key(capturist, cedula):
    support = capture_support(capturist, cedula, ROW).support
    assert withdraw_support(capturist, support, "  ")[0].message == "Indique el motivo del retiro."
    assert withdraw_support(capturist, support, "Cédula duplicada") == []
    support.refresh_from_db()
    assert support.status == Status.WITHDRAWN
    assert support.withdrawal_reason == "Cédula duplicada"
    assert support.changes.filter(action=ChangeAction.WITHDRAWN).exists()
    assert correct_support(capturist, support, {"OCR": "1111111111111"}).errors
    # The row can be captured again; the withdrawn one stays on record.
    assert capture_support(capturist, cedula, ROW).support is not None
    assert Support.objects.filter(elector_key=support.elector_key).count() == 2


def test_a_folio_written_with_a_unicode_dash_is_the_same_cedula(capturist):
    aspirant = make_aspirant()
    first, _ = open_cedula(capturist, aspirant, "CG1\u2013D05", PERIOD_START)
    second, _ = open_cedula(capturist, aspirant, "cg1-d05", PERIOD_START)
    assert first.pk == second.pk and first.reference == "CG1-D05"


def test_manual_capture_of_otra_without_a_comment_is_refused_naming_the_comentario_column(
    capturist, cedula
):
    # One rule for every channel: the mesa de control refuses OTRA without a comment too.
    result = capture_support(capturist, cedula, ROW | {"TIPO_INCONSISTENCIA": "otra"})
    assert result.support is None
    assert [error.column for error in result.errors] == ["COMENTARIO"]
    described = ROW | {"TIPO_INCONSISTENCIA": "otra", "COMENTARIO": "Sin huella"}
    assert capture_support(capturist, cedula, described).support.inconsistency.code == "OTRA"


def test_correcting_an_undated_support_keeps_its_upload_date_until_a_date_is_written(
    capturist, cedula
):
    # CONTRACT upload_supports, settled: a bulk row without FECHA_APOYO has the upload date, which
    # the collection period does not bound; the correction page sends that date back unchanged.
    support = capture_support(capturist, cedula, ROW).support
    uploaded = PERIOD_END + datetime.timedelta(days=40)
    Support.objects.filter(pk=support.pk).update(support_date=uploaded, date_written=False)
    support.refresh_from_db()

    kept = correct_support(capturist, support, {"NOMBRE": "Pedro", "FECHA_APOYO": uploaded})
    assert kept.errors == []
    support.refresh_from_db()
    assert (support.name, support.support_date, support.date_written) == ("PEDRO", uploaded, False)

    late = correct_support(capturist, support, {"FECHA_APOYO": uploaded.replace(day=1)})
    assert [error.column for error in late.errors] == ["FECHA_APOYO"]
    written = correct_support(capturist, support, {"FECHA_APOYO": PERIOD_END})
    assert written.errors == []
    support.refresh_from_db()
    assert (support.support_date, support.date_written) == (PERIOD_END, True)
    assert correct_support(capturist, support, {"FECHA_APOYO": ""}).errors == []
    support.refresh_from_db()
    assert (support.support_date, support.date_written) == (PERIOD_END, True)

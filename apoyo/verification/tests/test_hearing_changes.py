"""What changed in the garantía de audiencia: it never opens on a compulsa that missed later
decisions, each support of a hearing request gets its own ruling, and a window opened with a wrong
date can be re-dated or cancelled before it starts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Notification, Role
from apoyo.review import services as review
from apoyo.testing.factories import make_user, precaptured
from apoyo.verification.hearings import resolution
from apoyo.verification.hearings import services as hearings
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.models import ItemDecision, RequestStatus, WindowState
from apoyo.verification.services import run_check
from apoyo.verification.tests.hearing_data import build_hearing, opl

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return build_hearing()


@pytest.fixture
def admin():
    return opl()


def test_a_window_is_not_opened_on_a_compulsa_that_missed_later_decisions(h, admin):
    # Two supports of the app, decided in the mesa de control after the compulsa ran.
    late = precaptured(h.maria, [901, 902], reference="TARDE-1")
    reviewer = make_user(Role.OPL_REVIEWER)
    for support in late:
        review.record_inconsistency(reviewer, support, review_code("FOTOCOPIA"), "Copia")
    with pytest.raises(HearingError, match="ejecute una compulsa nueva"):
        hearings.open_window(admin, h.office, hearings.today())
    run_check(h.office)
    window = hearings.open_window(admin, h.office, hearings.today())
    assert window.run != h.run


def review_code(code):
    from apoyo.supports.models import Inconsistency

    return Inconsistency.objects.get(code=code)


def test_the_office_page_warns_before_opening_on_an_outdated_compulsa(client, h, admin):
    precaptured(h.maria, [903], reference="TARDE-2")
    client.force_login(admin)
    page = client.get(reverse("verification:hearing_office", args=[h.office.pk])).content.decode()
    assert "ejecute una compulsa nueva" in page and "Abrir audiencia" not in page


def test_each_support_of_a_request_gets_its_own_ruling(
    h, admin, django_capture_on_commit_callbacks
):
    window = hearings.open_window(admin, h.office, hearings.today())
    ids = [h.photocopy.pk, h.missing.pk]
    hearing_request = hearings.file_hearing_request(h.maria.user, window, ids, "Revisen ambos.")
    rulings = {
        h.photocopy.pk: resolution.SupportRuling(
            ItemDecision.UPHELD, "Se cotejó el original.", {"TIPO_INCONSISTENCIA": ""}
        ),
        h.missing.pk: resolution.SupportRuling(
            ItemDecision.REJECTED, "La clave no existe en el padrón."
        ),
    }
    with django_capture_on_commit_callbacks(execute=True):
        resolution.resolve_hearing_request(admin, hearing_request, rulings)
    hearing_request.refresh_from_db()
    assert hearing_request.status == RequestStatus.PARTIAL
    assert dict(hearing_request.items.values_list("support_id", "reason")) == {
        h.photocopy.pk: "Se cotejó el original.",
        h.missing.pk: "La clave no existe en el padrón.",
    }
    notice = Notification.objects.get(user=h.maria.user, title__contains="resuelta")
    assert "La clave no existe en el padrón." in notice.body
    assert "Se cotejó el original." in notice.body


def test_a_support_without_its_ruling_leaves_the_request_unresolved(h, admin):
    window = hearings.open_window(admin, h.office, hearings.today())
    ids = [h.photocopy.pk, h.missing.pk]
    hearing_request = hearings.file_hearing_request(h.maria.user, window, ids, "Revisen ambos.")
    only_one = {h.missing.pk: resolution.SupportRuling(ItemDecision.REJECTED, "No procede.")}
    with pytest.raises(HearingError, match="Resuelva cada apoyo"):
        resolution.resolve_hearing_request(admin, hearing_request, only_one)
    hearing_request.refresh_from_db()
    assert hearing_request.is_pending


def test_a_scheduled_window_is_re_dated_with_a_reason_and_the_aspirants_are_told(
    h, admin, django_capture_on_commit_callbacks
):
    start = hearings.today() + timedelta(days=20)
    window = hearings.open_window(admin, h.office, start)
    mail.outbox.clear()
    new_start = start + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        hearings.reschedule_window(admin, window, new_start, 3, "La fecha se capturó mal.")
    window.refresh_from_db()
    assert window.start_date == new_start
    assert window.end_date == hearings.window_end(h.office, new_start, 3)
    assert window.changes[0]["reason"] == "La fecha se capturó mal."
    assert AccessLog.objects.filter(action="audiencia reprogramada").exists()
    assert mail.outbox[0].subject == "[Apoyo] Cambio en la garantía de audiencia"
    assert f"Ahora va del {new_start:%d/%m/%Y}" in mail.outbox[0].body


def test_a_scheduled_window_is_cancelled_and_another_can_be_opened(
    h, admin, django_capture_on_commit_callbacks
):
    window = hearings.open_window(admin, h.office, hearings.today() + timedelta(days=20))
    with pytest.raises(HearingError, match="motivo"):
        hearings.cancel_window(admin, window, " ")
    with django_capture_on_commit_callbacks(execute=True):
        hearings.cancel_window(admin, window, "Se abrió por error.")
    window.refresh_from_db()
    assert hearings.window_state(window) == WindowState.CANCELLED
    assert hearings.unclosed_window(h.office) is None
    assert Notification.objects.filter(user=h.maria.user, title__contains="cancelada").exists()
    hearings.open_window(admin, h.office, hearings.today())


def test_an_open_window_can_be_neither_cancelled_nor_re_dated(h, admin):
    window = hearings.open_window(admin, h.office, hearings.today())
    with pytest.raises(HearingError, match="aún no inicia"):
        hearings.cancel_window(admin, window, "Ya no.")
    with pytest.raises(HearingError, match="aún no inicia"):
        hearings.reschedule_window(admin, window, hearings.today(), 5, "Otra fecha.")


def test_the_office_page_offers_the_change_of_a_scheduled_window(client, h, admin):
    window = hearings.open_window(admin, h.office, hearings.today() + timedelta(days=20))
    client.force_login(admin)
    url = reverse("verification:hearing_office", args=[h.office.pk])
    assert "Cambiar fechas" in client.get(url).content.decode()
    response = client.post(
        reverse("verification:hearing_cancel", args=[window.pk]), {"reason": "Error de fecha."}
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.cancelled_at is not None


def test_a_deadline_shows_which_days_it_skipped(client, h, admin, monkeypatch):
    from datetime import date

    from apoyo.verification.models import HearingWindow

    window = HearingWindow.objects.create(
        office=h.office,
        run=h.run,
        start_date=date(2026, 12, 21),
        working_days=10,
        end_date=hearings.window_end(h.office, date(2026, 12, 21), 10),
        opened_by=admin,
    )
    client.force_login(admin)
    page = client.get(reverse("verification:hearing_office", args=[h.office.pk])).content.decode()
    assert "25/12/2026 (Navidad), 01/01/2027 (Año Nuevo)" in page
    assert window.end_date == date(2027, 1, 5)

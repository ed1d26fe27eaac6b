"""Garantía de audiencia: opening a window, filing requests with evidence, resolving them, and who
may do each (verification.hearings and its pages)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Notification, Role
from apoyo.processes.models import Holiday
from apoyo.processes.workdays import national_days_of_rest
from apoyo.supports.models import ChangeAction, SupportChange
from apoyo.testing.factories import (
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
    support,
)
from apoyo.verification.hearings import resolution
from apoyo.verification.hearings import services as hearings
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.hearings.evidence import MAX_EVIDENCE_FILES
from apoyo.verification.models import (
    CheckRun,
    HearingEvidence,
    HearingItem,
    HearingRequest,
    HearingWindow,
    RequestStatus,
    RunStatus,
    SupportResult,
    WindowState,
)
from apoyo.verification.services import current_run, run_check
from apoyo.verification.tests.hearing_data import (
    EXECUTABLE,
    PDF,
    PNG,
    build_hearing,
    docx_bytes,
    opl,
    upload,
    valid_count,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return build_hearing()


@pytest.fixture
def admin():
    return opl()


@pytest.fixture
def window(h, admin):
    return hearings.open_window(admin, h.office, hearings.today())


def text(response):
    return response.content.decode()


def move_clock(monkeypatch, day):
    """The institute's calendar says `day` (hearings.today is the one clock of the hearing)."""
    monkeypatch.setattr(hearings, "today", lambda: day)


def file(h, window, supports, argument="La credencial es original; anexo copia certificada.", **kw):
    ids = [s.pk for s in supports]
    return hearings.file_hearing_request(h.maria.user, window, ids, argument, **kw)


def next_monday(after):
    return after + timedelta(days=7 - after.weekday())


def quiet_monday(after):
    """The first Monday after `after` with no national day of rest in the next two weeks, so a
    test's own holidays are the only ones (Christmas or 16 September would shift the count)."""
    monday = next_monday(after)
    fortnight = [monday + timedelta(days=n) for n in range(14)]
    while any(day in national_days_of_rest(day.year) for day in fortnight):
        monday = next_monday(monday)
        fortnight = [monday + timedelta(days=n) for n in range(14)]
    return monday


# Opening the window ------------------------------------------------------------------------------


def test_the_window_ends_after_five_working_days_skipping_weekends_and_holidays(h, admin):
    monday = quiet_monday(hearings.today() + timedelta(days=7))
    Holiday.objects.create(date=monday + timedelta(days=1), name="Día inhábil nacional")
    Holiday.objects.create(date=monday + timedelta(days=3), name="Día de Sonora", state_id=26)
    Holiday.objects.create(date=monday + timedelta(days=2), name="Otra entidad", state_id=14)
    window = hearings.open_window(admin, h.office, monday)
    # Mon, (Tue holiday), Wed, (Thu Sonora holiday), Fri, weekend, Mon, Tue.
    assert window.working_days == 5
    assert window.end_date == monday + timedelta(days=8)
    assert window.run == h.run and window.opened_by == admin


def test_a_window_started_on_a_saturday_counts_from_monday(h, admin):
    saturday = quiet_monday(hearings.today()) + timedelta(days=5)
    window = hearings.open_window(admin, h.office, saturday, working_days=3)
    assert window.end_date == saturday + timedelta(days=4)  # Mon, Tue, Wed


def test_window_state_includes_its_first_and_last_day():
    window = HearingWindow(start_date=date(2021, 3, 1), end_date=date(2021, 3, 5))
    assert window.state_on(date(2021, 2, 28)) == WindowState.SCHEDULED
    assert window.state_on(date(2021, 3, 1)) == WindowState.OPEN
    assert window.state_on(date(2021, 3, 5)) == WindowState.OPEN
    assert window.state_on(date(2021, 3, 6)) == WindowState.CLOSED


def test_a_window_needs_a_compulsa_first(admin):
    office = make_office()
    with pytest.raises(HearingError, match="ejecute la compulsa"):
        hearings.open_window(admin, office, hearings.today())


def test_a_window_cannot_start_in_the_past_nor_last_zero_days(h, admin):
    with pytest.raises(HearingError, match="anterior a hoy"):
        hearings.open_window(admin, h.office, hearings.today() - timedelta(days=1))
    with pytest.raises(HearingError, match="de 1 a 30 días hábiles"):
        hearings.open_window(admin, h.office, hearings.today(), working_days=0)


def test_one_window_at_a_time_and_another_after_it_closes(h, admin, window, monkeypatch):
    with pytest.raises(HearingError, match="Ya hay una garantía de audiencia"):
        hearings.open_window(admin, h.office, window.end_date + timedelta(days=30))
    move_clock(monkeypatch, window.end_date + timedelta(days=1))
    second = hearings.open_window(admin, h.office, window.end_date + timedelta(days=1))
    assert HearingWindow.objects.filter(office=h.office).count() == 2
    assert hearings.latest_window(h.office) == second


@pytest.mark.parametrize("role", [Role.OPL_REVIEWER, Role.OPL_CAPTURIST])
def test_only_an_opl_administrator_opens_a_window(h, role):
    with pytest.raises(HearingError, match="Solo un administrador"):
        hearings.open_window(make_user(role), h.office, hearings.today())
    with pytest.raises(HearingError, match="Solo un administrador"):
        hearings.open_window(h.maria.user, h.office, hearings.today())
    assert not HearingWindow.objects.exists()


def test_an_administrator_of_another_entity_cannot_open_a_window(h):
    with pytest.raises(HearingError, match="no es de su entidad"):
        hearings.open_window(opl(state_number=14), h.office, hearings.today())


def test_opening_notifies_each_aspirant_in_the_portal_and_by_email(
    h, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        window = hearings.open_window(admin, h.office, hearings.today())
    notices = Notification.objects.filter(title__startswith="Garantía de audiencia abierta")
    assert {n.user for n in notices} == {h.maria.user, h.pedro.user}
    maria = notices.get(user=h.maria.user)
    assert "sus 3 apoyos no válidos" in maria.body
    assert f"al {window.end_date:%d/%m/%Y}" in maria.body
    assert maria.url == reverse("verification:hearing_portal")
    assert (
        len(mail.outbox) == 2 and mail.outbox[0].subject == "[Apoyo] Garantía de audiencia abierta"
    )


def test_the_admin_opens_a_window_from_the_office_page(
    client, h, django_capture_on_commit_callbacks
):
    opl(client)
    page = text(client.get(reverse("verification:hearing_office", args=[h.office.pk])))
    assert "Abrir la garantía de audiencia" in page and f"N.º {h.run.pk}" in page
    start = hearings.today()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("verification:hearing_open", args=[h.office.pk]),
            {"start_date": start.isoformat(), "working_days": "5"},
        )
    assert response.status_code == 302
    window = HearingWindow.objects.get()
    page = text(client.get(response["Location"]))
    assert "Garantía de audiencia abierta del" in page and 'data-window-state="open"' in page
    assert "Abrir la garantía de audiencia" not in page  # one window at a time
    assert window.end_date == hearings.window_end(h.office, start, 5)
    bad = client.post(
        reverse("verification:hearing_open", args=[h.office.pk]),
        {"start_date": start.isoformat(), "working_days": "5"},
    )
    assert bad.status_code == 400 and "Ya hay una garantía de audiencia" in text(bad)


@pytest.mark.parametrize("role", [Role.OPL_REVIEWER, Role.OPL_CAPTURIST])
def test_reviewers_and_capturists_see_the_hearing_but_cannot_open_it(client, h, role):
    opl(client, role)
    page = text(client.get(reverse("verification:hearing_office", args=[h.office.pk])))
    assert "Solicitudes" in page and "Abrir la garantía de audiencia" not in page
    url = reverse("verification:hearing_open", args=[h.office.pk])
    response = client.post(url, {"start_date": hearings.today().isoformat(), "working_days": "5"})
    assert response.status_code == 403
    assert not HearingWindow.objects.exists()


# Filing ------------------------------------------------------------------------------------------


def test_the_aspirant_files_a_group_request_with_evidence(
    client, h, window, django_capture_on_commit_callbacks
):
    reviewer = opl(role=Role.OPL_REVIEWER, email="revisora@iee.example")
    client.force_login(h.maria.user)
    page = text(client.get(reverse("verification:hearing_portal")))
    assert "Mis apoyos no válidos en la compulsa" in page and "(3)" in page
    assert "Fotocopia" in page and "No encontrado en el padrón" in page
    assert h.valid.elector_key not in page and h.pedros.elector_key not in page
    assert f'value="{h.photocopy.pk}"' in page and "Presentar solicitud" in page

    files = [upload("acta.pdf", PDF), upload("foto.png", PNG)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("verification:hearing_file"),
            {
                "window": window.pk,
                "supports": [h.photocopy.pk, h.mistyped.pk],
                "argument": "Las credenciales son originales.",
                "evidence": files,
            },
        )
    hearing_request = HearingRequest.objects.get()
    assert response["Location"] == reverse(
        "verification:hearing_portal_request", args=[hearing_request.pk]
    )
    assert (hearing_request.aspirant, hearing_request.filed_by, hearing_request.status) == (
        h.maria,
        h.maria.user,
        RequestStatus.FILED,
    )
    items = {i.support_id: i.motive for i in hearing_request.items.all()}
    assert items == {h.photocopy.pk: "INCONSISTENCIA", h.mistyped.pk: "NO_ENCONTRADO"}
    evidence = list(hearing_request.evidence.order_by("id"))
    assert [(e.original_name, e.kind, e.size) for e in evidence] == [
        ("acta.pdf", "pdf", len(PDF)),
        ("foto.png", "png", len(PNG)),
    ]
    assert len(evidence[0].sha256) == 64 and evidence[0].file.name.startswith("audiencias/")
    assert "acta" not in evidence[0].file.name  # stored under a name of ours
    notice = Notification.objects.get(user=reviewer)
    assert notice.title == f"Nueva solicitud de audiencia N.º {hearing_request.pk}"
    assert mail.outbox[-1].to == ["revisora@iee.example"]

    portal = text(client.get(reverse("verification:hearing_portal")))
    assert f"Solicitud N.º {hearing_request.pk}" in portal and "Sin resolver" in portal
    assert f'value="{h.photocopy.pk}"' not in portal  # no second pending request for it
    assert f'value="{h.missing.pk}"' in portal


def test_a_single_support_request_without_evidence(h, window):
    hearing_request = file(h, window, [h.missing])
    assert hearing_request.items.count() == 1 and not hearing_request.evidence.exists()


def test_nothing_can_be_filed_after_the_window_closes(client, h, window, monkeypatch):
    move_clock(monkeypatch, window.end_date + timedelta(days=1))
    with pytest.raises(HearingError, match="terminó el .* ya no se pueden presentar"):
        file(h, window, [h.photocopy])
    client.force_login(h.maria.user)
    page = text(client.get(reverse("verification:hearing_portal")))
    assert 'data-window-state="closed"' in page and "ya no se pueden presentar" in page
    assert 'name="supports"' not in page and "Presentar solicitud" not in page
    response = client.post(
        reverse("verification:hearing_file"),
        {"window": window.pk, "supports": [h.photocopy.pk], "argument": "Tarde."},
    )
    assert response.status_code == 400 and "ya no se pueden presentar" in text(response)
    assert not HearingRequest.objects.exists()


def test_on_its_last_day_the_window_still_accepts_requests(h, window, monkeypatch):
    move_clock(monkeypatch, window.end_date)
    assert file(h, window, [h.photocopy]).pk


def test_nothing_can_be_filed_before_the_window_starts(h, admin):
    window = hearings.open_window(admin, h.office, hearings.today() + timedelta(days=10))
    with pytest.raises(HearingError, match="aún no se pueden presentar"):
        file(h, window, [h.photocopy])


def test_another_aspirants_support_is_refused(client, h, window):
    with pytest.raises(HearingError, match="no son suyos"):
        file(h, window, [h.photocopy, h.pedros])
    client.force_login(h.maria.user)
    response = client.post(
        reverse("verification:hearing_file"),
        {"window": window.pk, "supports": [h.pedros.pk], "argument": "Es mío."},
    )
    assert response.status_code == 400 and "no son suyos" in text(response)
    assert not HearingRequest.objects.exists()


def test_a_support_that_counted_cannot_be_argued(h, window):
    with pytest.raises(HearingError, match="no resultaron inválidos"):
        file(h, window, [h.valid])


def test_a_request_needs_supports_and_an_argument(h, window):
    with pytest.raises(HearingError, match="al menos un apoyo"):
        hearings.file_hearing_request(h.maria.user, window, [], "Argumento")
    with pytest.raises(HearingError, match="Escriba sus argumentos"):
        file(h, window, [h.photocopy], argument="   ")


def test_only_the_aspirant_files_requests(h, window, admin):
    with pytest.raises(HearingError, match="Solo la persona aspirante"):
        hearings.file_hearing_request(admin, window, [h.photocopy.pk], "Por la aspirante")


def test_an_aspirant_of_another_office_cannot_file_in_this_window(h, window):
    other = make_aspirant(make_office(process=h.office.process), with_user=True)
    with pytest.raises(HearingError, match="no es de su cargo"):
        hearings.file_hearing_request(other.user, window, [h.photocopy.pk], "Ajeno")


def test_a_support_is_in_at_most_one_pending_request(h, window, admin):
    first = file(h, window, [h.photocopy, h.missing])
    with pytest.raises(HearingError, match="ya están en una solicitud pendiente"):
        file(h, window, [h.missing])
    resolution.resolve_hearing_request(
        admin,
        first,
        resolution.same_ruling(first, RequestStatus.REJECTED, "Sin pruebas suficientes."),
    )
    again = file(h, window, [h.missing], argument="Anexo ahora la copia certificada.")
    assert again.items.get().support == h.missing


def test_the_database_keeps_one_pending_request_per_support(h, window):
    file(h, window, [h.photocopy])
    hearing_request = HearingRequest.objects.create(window=window, aspirant=h.maria, argument="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingItem.objects.create(
            request=hearing_request, support=h.photocopy, motive="INCONSISTENCIA"
        )
    HearingItem.objects.create(
        request=hearing_request, support=h.photocopy, motive="INCONSISTENCIA", pending=False
    )


def test_a_renamed_file_is_judged_by_its_content_and_refused(client, h, window):
    client.force_login(h.maria.user)
    response = client.post(
        reverse("verification:hearing_file"),
        {
            "window": window.pk,
            "supports": [h.photocopy.pk],
            "argument": "Anexo el acta.",
            "evidence": [upload("acta.pdf", EXECUTABLE, "application/pdf")],
        },
    )
    page = text(response)
    assert response.status_code == 400
    assert "«acta.pdf» no es de un tipo reconocido por su contenido" in page
    assert "Anexo el acta." in page  # the argument is kept for the next try
    assert not HearingRequest.objects.exists() and not HearingEvidence.objects.exists()


def test_a_picture_renamed_as_pdf_is_stored_as_the_picture_it_is(h, window):
    hearing_request = file(h, window, [h.photocopy], files=[upload("escrito.pdf", PNG)])
    evidence = hearing_request.evidence.get()
    assert evidence.kind == "png" and evidence.file.name.endswith(".png")


def test_evidence_size_and_count_are_bounded(h, window, settings):
    settings.APOYO_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(HearingError) as error:
        file(h, window, [h.photocopy], files=[upload("acta.pdf", PDF)])
    assert "el máximo es 10" in error.value.details[0]
    settings.APOYO_EVIDENCE_MAX_BYTES = 1024
    too_many = [upload(f"{n}.pdf", PDF) for n in range(MAX_EVIDENCE_FILES + 1)]
    with pytest.raises(HearingError, match="como máximo 10 archivos"):
        file(h, window, [h.photocopy], files=too_many)


# Resolving ---------------------------------------------------------------------------------------


def test_upheld_lifting_the_inconsistency_recomputes_and_the_valid_count_rises(
    h, window, django_capture_on_commit_callbacks
):
    reviewer = opl(role=Role.OPL_REVIEWER)
    hearing_request = file(h, window, [h.photocopy])
    assert valid_count(h.run, h.maria) == 3
    with django_capture_on_commit_callbacks(execute=True):
        resolution.resolve_hearing_request(
            reviewer,
            hearing_request,
            resolution.same_ruling(
                hearing_request,
                RequestStatus.UPHELD,
                "El original se cotejó en la audiencia.",
                {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
            ),
        )
    hearing_request.refresh_from_db()
    assert (hearing_request.status, hearing_request.resolved_by) == (RequestStatus.UPHELD, reviewer)
    run = hearing_request.recheck_run
    assert run.status == RunStatus.DONE and run == current_run(h.office) and run != h.run
    assert valid_count(run, h.maria) == 4
    assert SupportResult.objects.get(run=run, support=h.photocopy).valid
    h.photocopy.refresh_from_db()
    assert h.photocopy.inconsistency is None
    change = SupportChange.objects.get(support=h.photocopy, action=ChangeAction.CORRECTED)
    assert (change.user, change.old_value, change.new_value) == (reviewer, "FOTOCOPIA", "")
    item = hearing_request.items.get()
    assert item.changes == {"TIPO_INCONSISTENCIA": ["FOTOCOPIA", ""]} and not item.pending
    notice = Notification.objects.get(user=h.maria.user)
    assert (
        notice.title
        == f"Su solicitud de audiencia N.º {hearing_request.pk} fue resuelta: procedente"
    )
    assert "El original se cotejó" in notice.body
    assert mail.outbox[-1].to == [h.maria.user.email]


def test_requests_upheld_before_the_queued_compulsa_starts_share_it(h, window):
    reviewer = opl(role=Role.OPL_REVIEWER)
    first = file(h, window, [h.photocopy])
    second = file(h, window, [h.mistyped])
    resolution.resolve_hearing_request(
        reviewer,
        first,
        resolution.same_ruling(
            first,
            RequestStatus.UPHELD,
            "Original cotejado.",
            {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
        ),
    )
    resolution.resolve_hearing_request(
        reviewer,
        second,
        resolution.same_ruling(
            second,
            RequestStatus.UPHELD,
            "Clave corregida con la credencial.",
            {h.mistyped.pk: {"CLAVE_ELECTOR": h.right_key}},
        ),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.recheck_run == second.recheck_run
    assert first.recheck_run.status == RunStatus.QUEUED
    assert CheckRun.objects.filter(office=h.office, status=RunStatus.QUEUED).count() == 1


def test_each_support_gets_its_own_ruling_from_the_page_and_the_request_is_partially_upheld(
    client, h, window, django_capture_on_commit_callbacks
):
    hearing_request = file(
        h, window, [h.mistyped, h.missing], files=[upload("credencial.png", PNG)]
    )
    opl(client)
    page = text(client.get(reverse("verification:hearing_request", args=[hearing_request.pk])))
    assert "Las credenciales" not in page and "La credencial es original" in page
    assert "<img src=" in page and "credencial.png" in page and "Guardar resolución" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("verification:hearing_request", args=[hearing_request.pk]),
            {
                f"decision-{h.mistyped.pk}": "upheld",
                f"reason-{h.mistyped.pk}": "La clave se capturó mal; se corrige con la credencial.",
                f"CLAVE_ELECTOR-{h.mistyped.pk}": h.right_key,
                f"decision-{h.missing.pk}": "rejected",
                f"reason-{h.missing.pk}": "La clave no está en el padrón; la credencial lo confirma.",
                f"CLAVE_ELECTOR-{h.missing.pk}": h.missing.elector_key,  # unchanged
            },
        )
    assert response.status_code == 302
    hearing_request.refresh_from_db()
    assert hearing_request.status == RequestStatus.PARTIAL
    rulings = {
        item.support_id: (item.decision, item.reason) for item in hearing_request.items.all()
    }
    assert rulings == {
        h.mistyped.pk: ("upheld", "La clave se capturó mal; se corrige con la credencial."),
        h.missing.pk: ("rejected", "La clave no está en el padrón; la credencial lo confirma."),
    }
    run = current_run(h.office)
    assert run == hearing_request.recheck_run and valid_count(run, h.maria) == 4
    assert SupportResult.objects.get(run=run, support=h.mistyped).valid
    assert not SupportResult.objects.get(run=run, support=h.missing).valid
    h.mistyped.refresh_from_db()
    assert h.mistyped.elector_key == h.right_key
    corrected = hearing_request.items.get(support=h.mistyped)
    assert corrected.changes["CLAVE_ELECTOR"][1] == h.right_key
    assert hearing_request.items.get(support=h.missing).changes == {}
    page = text(client.get(response["Location"]))
    assert "Procedente" in page and f"N.º {run.pk}" in page and "Guardar resolución" not in page


def test_a_correction_that_fails_validation_changes_nothing(h, window, admin):
    hearing_request = file(h, window, [h.photocopy, h.mistyped])
    corrections = {
        h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""},
        h.mistyped.pk: {"CLAVE_ELECTOR": "NO-ES-CLAVE"},
    }
    with pytest.raises(HearingError) as error:
        resolution.resolve_hearing_request(
            admin,
            hearing_request,
            resolution.same_ruling(
                hearing_request, RequestStatus.UPHELD, "Se corrige con la credencial.", corrections
            ),
        )
    assert str(error.value) == "No se pudo aplicar la corrección."
    assert error.value.details == [
        f"Apoyo {h.mistyped.elector_key}: La clave de elector debe tener 18 caracteres: "
        "6 letras, 8 dígitos, H o M y 3 dígitos (se recibió «NO-ES-CLAVE»)."
    ]
    h.photocopy.refresh_from_db()
    assert h.photocopy.inconsistency.code == "FOTOCOPIA"
    hearing_request.refresh_from_db()
    assert hearing_request.status == RequestStatus.FILED
    assert not SupportChange.objects.filter(action=ChangeAction.CORRECTED).exists()
    assert CheckRun.objects.count() == 1


def test_upheld_needs_a_correction(h, window, admin):
    hearing_request = file(h, window, [h.missing])
    with pytest.raises(HearingError) as error:
        resolution.resolve_hearing_request(
            admin,
            hearing_request,
            resolution.same_ruling(hearing_request, RequestStatus.UPHELD, "Procede", {}),
        )
    assert "levante la inconsistencia o corrija" in error.value.details[0]


def test_only_the_requests_supports_can_be_corrected(h, window, admin):
    hearing_request = file(h, window, [h.missing])
    rulings = resolution.same_ruling(hearing_request, RequestStatus.UPHELD, "Procede")
    rulings[h.pedros.pk] = resolution.SupportRuling(
        "upheld", "Procede", {"TIPO_INCONSISTENCIA": ""}
    )
    with pytest.raises(HearingError, match="Solo pueden resolverse"):
        resolution.resolve_hearing_request(admin, hearing_request, rulings)


def test_rejected_needs_a_reason_and_changes_no_data(
    client, h, window, django_capture_on_commit_callbacks
):
    hearing_request = file(h, window, [h.photocopy])
    opl(client)
    url = reverse("verification:hearing_request", args=[hearing_request.pk])
    pk = h.photocopy.pk
    response = client.post(url, {f"decision-{pk}": "rejected", f"reason-{pk}": " "})
    assert response.status_code == 400 and "indique el fundamento" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {f"decision-{pk}": "rejected", f"reason-{pk}": "La copia no es legible."}
        )
    hearing_request.refresh_from_db()
    assert hearing_request.status == RequestStatus.REJECTED
    assert hearing_request.items.get().reason == "La copia no es legible."
    assert hearing_request.recheck_run is None and CheckRun.objects.count() == 1
    notice = Notification.objects.get(user=h.maria.user)
    assert notice.title.endswith("improcedente") and "La copia no es legible." in notice.body
    h.photocopy.refresh_from_db()
    assert h.photocopy.inconsistency.code == "FOTOCOPIA"


def test_a_resolved_request_cannot_be_resolved_again(h, window, admin):
    hearing_request = file(h, window, [h.photocopy])
    resolution.resolve_hearing_request(
        admin,
        hearing_request,
        resolution.same_ruling(hearing_request, RequestStatus.REJECTED, "No procede."),
    )
    with pytest.raises(HearingError, match="ya fue resuelta como improcedente"):
        resolution.resolve_hearing_request(
            admin,
            hearing_request,
            resolution.same_ruling(
                hearing_request,
                RequestStatus.UPHELD,
                "",
                {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
            ),
        )


def test_an_upheld_support_cannot_be_argued_again(h, window, admin):
    hearing_request = file(h, window, [h.photocopy])
    resolution.resolve_hearing_request(
        admin,
        hearing_request,
        resolution.same_ruling(
            hearing_request,
            RequestStatus.UPHELD,
            "Original cotejado.",
            {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
        ),
    )
    with pytest.raises(HearingError, match="ya fueron resueltos a su favor"):
        file(h, window, [h.photocopy])


def test_requests_are_resolved_after_the_window_closes(h, window, admin, monkeypatch):
    hearing_request = file(h, window, [h.photocopy])
    move_clock(monkeypatch, window.end_date + timedelta(days=3))
    resolution.resolve_hearing_request(
        admin,
        hearing_request,
        resolution.same_ruling(hearing_request, RequestStatus.REJECTED, "Fuera de lo previsto."),
    )
    assert HearingRequest.objects.get().status == RequestStatus.REJECTED


def test_an_aspirant_can_never_resolve(client, h, window):
    hearing_request = file(h, window, [h.photocopy])
    with pytest.raises(HearingError, match="Solo un administrador o un revisor"):
        resolution.resolve_hearing_request(
            h.maria.user,
            hearing_request,
            resolution.same_ruling(
                hearing_request,
                RequestStatus.UPHELD,
                "",
                {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
            ),
        )
    client.force_login(h.maria.user)
    url = reverse("verification:hearing_request", args=[hearing_request.pk])
    assert client.post(url, {"decision": "upheld", "lift_all": "1"}).status_code == 403
    assert client.get(url).status_code == 403
    assert HearingRequest.objects.get().status == RequestStatus.FILED


def test_a_capturist_sees_requests_but_cannot_resolve(client, h, window):
    hearing_request = file(h, window, [h.photocopy])
    opl(client, Role.OPL_CAPTURIST)
    url = reverse("verification:hearing_request", args=[hearing_request.pk])
    page = text(client.get(url))
    assert "Solo un administrador o un revisor del OPL resuelve" in page
    assert client.post(url, {"decision": "rejected", "reason": "No"}).status_code == 403
    with pytest.raises(HearingError):
        resolution.resolve_hearing_request(
            make_user(Role.OPL_CAPTURIST),
            hearing_request,
            resolution.same_ruling(hearing_request, "rejected", "No"),
        )


def test_a_resolver_of_another_entity_is_refused(h, window):
    hearing_request = file(h, window, [h.photocopy])
    with pytest.raises(HearingError, match="no es de su entidad"):
        resolution.resolve_hearing_request(
            opl(state_number=14),
            hearing_request,
            resolution.same_ruling(hearing_request, RequestStatus.REJECTED, "No"),
        )


def test_lift_all_in_the_page_lifts_every_inconsistency_of_the_group(
    client, h, window, django_capture_on_commit_callbacks
):
    hearing_request = file(h, window, [h.photocopy, h.missing])
    opl(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("verification:hearing_request", args=[hearing_request.pk]),
            {
                "decision_all": "upheld",
                "reason_all": "Se cotejaron los originales.",
                "lift_all": "1",
                f"decision-{h.missing.pk}": "rejected",
                f"reason-{h.missing.pk}": "No está en el padrón.",
            },
        )
    h.photocopy.refresh_from_db()
    assert h.photocopy.inconsistency is None
    assert hearing_request.items.get(support=h.photocopy).reason == "Se cotejaron los originales."
    assert hearing_request.items.get(support=h.photocopy).changes
    assert hearing_request.items.get(support=h.missing).changes == {}


# Who sees what -----------------------------------------------------------------------------------


def test_an_aspirant_cannot_see_another_aspirants_requests_or_evidence(client, h, window):
    hearing_request = file(h, window, [h.photocopy], files=[upload("acta.pdf", PDF)])
    evidence = hearing_request.evidence.get()
    client.force_login(h.pedro.user)
    own = reverse("verification:hearing_portal_request", args=[hearing_request.pk])
    assert client.get(own).status_code == 404
    assert (
        client.get(reverse("verification:hearing_evidence", args=[evidence.pk])).status_code == 404
    )
    portal = text(client.get(reverse("verification:hearing_portal")))
    assert h.photocopy.elector_key not in portal and "No ha presentado solicitudes" in portal
    assert h.pedros.elector_key in portal

    client.force_login(h.maria.user)
    page = text(client.get(own))
    assert "acta.pdf" in page and "La credencial es original" in page
    response = client.get(reverse("verification:hearing_evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_evidence_is_served_to_the_opl_with_its_type_and_logged(client, h, window):
    hearing_request = file(
        h,
        window,
        [h.photocopy],
        files=[upload("acta.pdf", PDF), upload("escrito.docx", docx_bytes())],
    )
    pdf, docx = hearing_request.evidence.order_by("id")
    user = opl(client, Role.OPL_CAPTURIST)
    response = client.get(reverse("verification:hearing_evidence", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    response = client.get(reverse("verification:hearing_evidence", args=[docx.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="escrito.docx"' in response["Content-Disposition"]
    assert AccessLog.objects.filter(
        user=user, object_type="prueba de audiencia", object_id=str(pdf.pk)
    ).exists()


def test_an_opl_user_of_another_entity_gets_404(client, h, window):
    hearing_request = file(h, window, [h.photocopy], files=[upload("acta.pdf", PDF)])
    evidence = hearing_request.evidence.get()
    opl(client, state_number=14)
    for url in [
        reverse("verification:hearing_office", args=[h.office.pk]),
        reverse("verification:hearing_request", args=[hearing_request.pk]),
        reverse("verification:hearing_evidence", args=[evidence.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("verification:hearing_open", args=[h.office.pk]),
        {"start_date": hearings.today().isoformat(), "working_days": "5"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("verification:hearing_request", args=[hearing_request.pk]),
        {"decision": "rejected", "reason": "No"},
    )
    assert response.status_code == 404
    assert HearingRequest.objects.get().status == RequestStatus.FILED


def test_ine_users_and_aspirants_get_403_on_opl_hearing_pages(client, h, window):
    for user in (make_user(Role.INE_UTVOPL), h.maria.user):
        client.force_login(user)
        url = reverse("verification:hearing_office", args=[h.office.pk])
        assert client.get(url).status_code == 403
    client.force_login(make_user(Role.INE_UTVOPL))
    assert client.get(reverse("verification:hearing_portal")).status_code == 403


def test_the_portal_says_when_there_is_no_window_yet(client, h):
    client.force_login(h.maria.user)
    page = text(client.get(reverse("verification:hearing_portal")))
    assert "aún no ha abierto la garantía de audiencia" in page
    results = text(client.get(reverse("verification:portal")))
    assert reverse("verification:hearing_portal") in results


def test_office_pages_link_to_the_hearing_and_the_rulings(client, h):
    opl(client)
    page = text(client.get(reverse("verification:office", args=[h.office.pk])))
    assert reverse("verification:hearing_office", args=[h.office.pk]) in page
    assert reverse("verification:rulings", args=[h.office.pk]) in page


def test_the_office_request_list_filters_by_status(client, h, window, admin):
    first = file(h, window, [h.photocopy])
    second = file(h, window, [h.missing])
    resolution.resolve_hearing_request(
        admin, first, resolution.same_ruling(first, RequestStatus.REJECTED, "No procede.")
    )
    opl(client, Role.OPL_REVIEWER)
    url = reverse("verification:hearing_office", args=[h.office.pk])
    page = text(client.get(url))
    assert 'data-count="total">2<' in page and 'data-count="filed">1<' in page
    filed = text(client.get(url, {"estado": "filed"}))
    assert reverse("verification:hearing_request", args=[second.pk]) in filed
    assert reverse("verification:hearing_request", args=[first.pk]) not in filed


def test_a_request_only_covers_supports_of_the_windows_compulsa(h, window):
    # A support captured after the compulsa has no result in it: it cannot be argued.
    late = support(h.maria, elector_key(), reference="F-9")
    with pytest.raises(HearingError, match="no resultaron inválidos"):
        file(h, window, [late])


def test_windows_of_another_process_do_not_mix(h, admin, window):
    other = make_office(make_process(state_number=26, roll_cut_date=h.office.process.roll_cut_date))
    run_check(other)
    # The open window of h's office does not block the other office's, nor the reverse.
    other_window = hearings.open_window(admin, other, hearings.today())
    assert other_window.run.office == other and window.run.office == h.office
    assert hearings.unclosed_window(h.office) == window
    assert hearings.unclosed_window(other) == other_window
    # Maria's supports are not the other office's: she cannot argue them in its window.
    with pytest.raises(HearingError):
        file(h, other_window, [h.photocopy])

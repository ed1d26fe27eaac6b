"""The SIVOPLE pages end to end with Django's test client: register, assign, answer, forward,
follow up; inbox, filters, search, exports and catalogues."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.liaison.answers import save_answer
from apoyo.liaison.assignments import assign
from apoyo.liaison.deadlines import due_soon_limit
from apoyo.liaison.mail import ASSIGNMENT_SUBJECT
from apoyo.liaison.models import (
    AnswerStatus,
    AreaMember,
    Consultation,
    DocumentType,
    Status,
)
from apoyo.liaison.tests.helpers import World, area, docx, pdf
from apoyo.liaison.workflow import close
from apoyo.testing.factories import make_user

SONORA = ZoneInfo("America/Hermosillo")


@pytest.fixture
def world(db):
    return World()


def as_user(client, user):
    client.force_login(user)
    return client


def test_opl_registers_a_consultation_with_attachments_through_the_page(world, client):
    as_user(client, world.opl)
    response = client.post(
        reverse("liaison:register"),
        {
            "doc_type": DocumentType.objects.get(code="CONSULTA").pk,
            "opl_folio": "IEE-PRESI-137-2020",
            "subject": "Captura de cédulas en papel",
            "description": "Se hace consulta en materia de candidaturas independientes.",
            "files": [pdf("oficio.pdf"), docx("anexo.docx")],
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:detail", args=[consultation.pk])
    assert consultation.folio == f"CONSULTA/SON/{timezone.localdate().year}/1"
    assert sorted(consultation.attachments.values_list("kind", flat=True)) == ["docx", "pdf"]
    detail = client.get(response["Location"]).content.decode()
    assert f"Registrada con el folio {consultation.folio}" in detail
    assert "oficio.pdf" in detail and "anexo.docx" in detail


def test_a_file_that_is_not_a_document_is_refused_with_the_form_kept(world, client):
    as_user(client, world.opl)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("liaison:register"),
        {
            "doc_type": DocumentType.objects.get(code="SOLICITUD").pk,
            "opl_folio": "IEE-1",
            "subject": "Asunto",
            "description": "Descripción",
            "files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 ejecutable")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«virus.pdf» no es de un tipo reconocido por su contenido" in page
    assert 'value="IEE-1"' in page
    assert not Consultation.objects.exists()


def test_utvopl_assigns_from_the_folio_page_and_the_area_is_mailed(world, client, mailoutbox):
    consultation = world.register()
    as_user(client, world.utvopl)
    page = client.get(reverse("liaison:detail", args=[consultation.pk])).content.decode()
    assert "Turnar a áreas" in page and "DERFE · Dirección Ejecutiva del Registro" in page
    mailoutbox.clear()
    response = client.post(
        reverse("liaison:assign", args=[consultation.pk]),
        {"areas": [area("DERFE").pk], "instruction": "Atender."},
    )
    assert response.status_code == 302
    subjects = [m.subject for m in mailoutbox]
    assert subjects.count(ASSIGNMENT_SUBJECT) == 2
    page = client.get(response["Location"]).content.decode()
    assert f"{consultation.folio} turnada a DERFE" in page
    assert "Notificación" in page and "2 correos enviados" in page


def test_assigning_without_choosing_an_area_shows_the_error(world, client):
    consultation = world.register()
    response = as_user(client, world.utvopl).post(
        reverse("liaison:assign", args=[consultation.pk]), {"areas": []}
    )
    assert response.status_code == 400
    assert "Este campo es obligatorio" in response.content.decode()


def test_utvopl_reassigns_with_a_reason_from_the_folio_page(world, client):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    as_user(client, world.utvopl)
    prefix = f"r{assignment.pk}"
    missing = client.post(
        reverse("liaison:reassign", args=[assignment.pk]), {f"{prefix}-area": area("DEPPP").pk}
    )
    assert missing.status_code == 400
    response = client.post(
        reverse("liaison:reassign", args=[assignment.pk]),
        {f"{prefix}-area": area("DEPPP").pk, f"{prefix}-reason": "Es de prerrogativas."},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Reasignada de DERFE a DEPPP" in page and "Es de prerrogativas." in page


def test_the_area_answers_the_head_approves_utvopl_forwards_and_the_opl_reads_it(world, client):
    consultation = world.assigned()
    assignment = consultation.assignments.get()

    as_user(client, world.derfe)
    detail = client.get(reverse("liaison:detail", args=[consultation.pk])).content.decode()
    assert "Redactar respuesta de DERFE" in detail
    response = client.post(
        reverse("liaison:answer", args=[assignment.pk]),
        {"text": "No existe un módulo de carga masiva.", "files": [pdf("respuesta.pdf")]},
    )
    assert response.status_code == 302
    answer = assignment.answers.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Aprobar respuesta" not in detail  # not the head

    as_user(client, world.derfe_head)
    client.post(reverse("liaison:approve", args=[answer.pk]))
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.APPROVED

    as_user(client, world.utvopl)
    inbox = client.get(reverse("liaison:inbox")).content.decode()
    assert "Respuestas por remitir" in inbox and consultation.folio in inbox
    response = client.post(reverse("liaison:forward", args=[answer.pk]))
    assert response.status_code == 302

    as_user(client, world.opl)
    inbox = client.get(reverse("liaison:inbox")).content.decode()
    assert "Respuestas recibidas" in inbox and consultation.folio in inbox
    detail = client.get(reverse("liaison:detail", args=[consultation.pk])).content.decode()
    assert "No existe un módulo de carga masiva." in detail
    assert "respuesta.pdf" in detail
    assert "Pedir un seguimiento en este folio" in detail


def test_a_returned_answer_shows_the_comments_to_the_area(world, client):
    consultation, answer = world.answered(forward=False)
    as_user(client, world.utvopl)
    response = client.post(
        reverse("liaison:return", args=[answer.pk]), {f"d{answer.pk}-comments": "Falta firma."}
    )
    assert response.status_code == 302
    as_user(client, world.derfe)
    form = client.get(reverse("liaison:answer", args=[answer.assignment_id])).content.decode()
    assert "Observaciones de la UTVOPL: Falta firma." in form
    assert "Respuesta de la DERFE." in form  # the text to correct


def test_a_step_in_the_wrong_state_is_an_error_message_not_a_crash(world, client):
    consultation, answer = world.answered()
    response = as_user(client, world.utvopl).post(reverse("liaison:forward", args=[answer.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Solo se remite una respuesta aprobada por el titular del área." in page


def test_the_opl_follows_up_from_the_page_and_the_folio_goes_back_to_the_area(world, client):
    consultation, _ = world.answered()
    as_user(client, world.opl)
    response = client.post(
        reverse("liaison:follow_up", args=[consultation.pk]),
        {"text": "¿Cuáles son los plazos?", "files": [pdf("nota.pdf")]},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Status.ASSIGNED
    as_user(client, world.derfe)
    inbox = client.get(reverse("liaison:inbox")).content.decode()
    assert consultation.folio in inbox and "Sin redactar" in inbox


def test_the_timeline_shows_every_step_to_ine(world, client):
    consultation, _ = world.answered()
    close(world.opl, consultation)
    page = as_user(client, world.utvopl).get(reverse("liaison:detail", args=[consultation.pk]))
    timeline = page.content.decode().split("Línea de tiempo")[-1]
    for label in [
        "Registro",
        "Turno a área",
        "Notificación",
        "Proyecto de respuesta",
        "Respuesta del área",
        "Respuesta remitida al OPL",
        "Conclusión",
    ]:
        assert label in timeline


def test_list_filters_by_opl_area_type_status_and_search(world, client):
    sonora = world.assigned("DERFE", subject="Cédulas en papel")
    chihuahua = world.register(user=world.other_opl, code="SOLICITUD", subject="Capacitación")
    as_user(client, world.utvopl)

    def folios(**params):
        page = client.get(reverse("liaison:list"), params).content.decode()
        return {c.folio for c in (sonora, chihuahua) if c.folio in page}

    assert folios() == {sonora.folio, chihuahua.folio}
    assert folios(state=8) == {chihuahua.folio}
    assert folios(area=area("DERFE").pk) == {sonora.folio}
    assert folios(doc_type=DocumentType.objects.get(code="SOLICITUD").pk) == {chihuahua.folio}
    assert folios(status=Status.REGISTERED) == {chihuahua.folio}
    assert folios(q="papel") == {sonora.folio}
    assert folios(q="SOLICITUD/CHIH") == {chihuahua.folio}
    assert folios(q="IEE-PRESI-137") == {sonora.folio, chihuahua.folio}


def test_overdue_and_due_soon_filters(world, client):
    today = timezone.localdate()
    long_ago = datetime.datetime(2020, 6, 1, 9, 0, tzinfo=SONORA)
    overdue = world.register(subject="Vencida")
    assign(world.utvopl, overdue, [area()], now=long_ago)
    soon = world.register(subject="Por vencer")
    (assignment,) = assign(world.utvopl, soon, [area()])
    assignment.due_date = due_soon_limit(today)
    assignment.save()
    later = world.register(subject="Con tiempo")
    (assignment,) = assign(world.utvopl, later, [area()])
    assignment.due_date = today + datetime.timedelta(days=30)
    assignment.save()
    as_user(client, world.derfe)

    def folios(due):
        page = client.get(reverse("liaison:list"), {"due": due}).content.decode()
        return {c.folio for c in (overdue, soon, later) if c.folio in page}

    assert folios("overdue") == {overdue.folio}
    assert folios("soon") == {soon.folio}
    listing = client.get(reverse("liaison:list")).content.decode()
    assert listing.count("Vencida</span>") == 1


def test_csv_and_xlsx_exports_follow_the_filters_and_neutralise_formulas(world, client):
    world.register(subject='=HYPERLINK("http://x")')
    world.register(code="SOLICITUD", subject="Solicitud normal")
    as_user(client, world.utvopl)
    consulta = DocumentType.objects.get(code="CONSULTA").pk
    response = client.get(reverse("liaison:export", args=["csv"]), {"doc_type": consulta})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().split("\n")
    assert lines[0].startswith("Folio SIVOPLE,Folio del documento del OPL,Tipo")
    assert len(lines) == 2 and "'=HYPERLINK" in lines[1]

    response = client.get(reverse("liaison:export", args=["xlsx"]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][0] == "Folio SIVOPLE"
    assert sorted(row[2] for row in rows[1:]) == ["CONSULTA", "SOLICITUD"]
    assert client.get(reverse("liaison:export", args=["pdf"])).status_code == 404


def test_inbox_shows_each_role_what_waits_for_it(world, client):
    new = world.register(subject="Nueva de Sonora")
    in_derfe = world.assigned(subject="En la DERFE")
    answer = save_answer(world.derfe, in_derfe.assignments.get(), "Proyecto.")

    utvopl = as_user(client, world.utvopl).get(reverse("liaison:inbox")).content.decode()
    assert new.folio in utvopl.split("Respuestas por remitir")[0]

    head = as_user(client, world.derfe_head).get(reverse("liaison:inbox")).content.decode()
    assert "Por aprobar (titular)" in head and in_derfe.folio in head and new.folio not in head
    member_page = as_user(client, world.derfe).get(reverse("liaison:inbox")).content.decode()
    assert "Por aprobar" not in member_page and answer.get_status_display() in member_page

    opl = as_user(client, world.opl).get(reverse("liaison:inbox")).content.decode()
    assert "En trámite" in opl and new.folio in opl and in_derfe.folio in opl


def test_utvopl_keeps_the_document_types(world, client):
    as_user(client, world.utvopl)
    response = client.post(
        reverse("liaison:types"),
        {"code": "OFICIO", "name": "Oficio", "due_days": 3, "active": "on"},
    )
    assert response.status_code == 302
    oficio = DocumentType.objects.get(code="OFICIO")
    bad = client.post(reverse("liaison:types"), {"code": "Con espacio", "name": "x", "due_days": 0})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Use solo letras mayúsculas" in page
    # The code is fixed once created: folios already given carry it.
    client.post(
        reverse("liaison:type_edit", args=[oficio.pk]),
        {"code": "OTRO", "name": "Oficio", "due_days": 7, "active": "on"},
    )
    oficio.refresh_from_db()
    assert (oficio.code, oficio.due_days) == ("OFICIO", 7)
    assert world.register(code="OFICIO").folio.startswith("OFICIO/SON/")


def test_utvopl_keeps_the_areas_and_who_is_their_head(world, client):
    as_user(client, world.utvopl)
    response = client.post(
        reverse("liaison:areas"),
        {"code": "UTSI", "name": "Unidad Técnica de Prueba", "active": "on"},
    )
    utsi = area("UTSI")
    assert response["Location"] == reverse("liaison:area", args=[utsi.pk])
    newcomer = make_user(Role.INE_AREA, first_name="Nora")
    opl_user = world.opl
    url = reverse("liaison:area", args=[utsi.pk])
    assert client.get(reverse("liaison:areas")).status_code == 200
    client.post(url, {"action": "add_member", "user": newcomer.pk})
    assert "Nora" in client.get(url).content.decode()
    assert client.post(url, {"action": "add_member", "user": opl_user.pk}).status_code == 400
    member = AreaMember.objects.get(area=utsi)
    assert not member.is_head
    client.post(url, {"action": "toggle_head", "member": member.pk})
    member.refresh_from_db()
    assert member.is_head
    client.post(url, {"action": "remove_member", "member": member.pk})
    assert not AreaMember.objects.filter(area=utsi).exists()
    client.post(url, {"action": "update", "code": "UTSI", "name": "Nuevo nombre", "active": ""})
    utsi.refresh_from_db()
    assert utsi.name == "Nuevo nombre" and not utsi.active


def test_home_sends_utvopl_and_area_users_to_the_inbox_and_the_menu_links_sivople(world, client):
    for user in (world.utvopl, world.deppp):
        response = as_user(client, user).get(reverse("home"))
        assert response["Location"] == reverse("liaison:inbox")
    page = as_user(client, world.opl).get(reverse("liaison:inbox")).content.decode()
    assert f'href="{reverse("liaison:inbox")}">SIVOPLE</a>' in page


def test_an_approved_answer_cannot_be_opened_for_editing(world, client):
    consultation, answer = world.answered(forward=False)
    response = as_user(client, world.derfe).get(
        reverse("liaison:answer", args=[answer.assignment_id])
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "no se puede editar ahora" in page


@pytest.mark.django_db
def test_an_assignment_deadline_says_which_days_it_skipped(client):
    from datetime import datetime

    from django.utils import timezone

    from apoyo.liaison.assignments import assign
    from apoyo.liaison.tests.helpers import World, area

    world = World()
    consultation = world.register()
    assign(world.utvopl, consultation, [area("DERFE")])
    assignment = consultation.assignments.get()
    assignment.assigned_at = timezone.make_aware(datetime(2026, 12, 23, 10))
    assignment.due_date = assignment.due_date.replace(year=2027, month=1, day=8)
    assignment.save()
    client.force_login(world.utvopl)
    page = client.get(reverse("liaison:detail", args=[consultation.pk])).content.decode()
    assert "25/12/2026 (Navidad)" in page and "01/01/2027 (Año Nuevo)" in page

"""The assignment e-mail, sent through a real SMTP server on loopback (aiosmtpd, started here)."""

import datetime
import email
import socket
from email import policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from apoyo.accounts.models import Notification
from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.assignments import assign, reassign
from apoyo.liaison.models import Assignment, Event, EventKind
from apoyo.liaison.tests.helpers import World, area, docx, member, pdf

SONORA = ZoneInfo("America/Hermosillo")
REGISTERED = datetime.datetime(2020, 6, 1, 19, 8, tzinfo=SONORA)
SUBJECT = "Se ha asignado una consulta o documento [Consultas y Documentos]"


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.received = []  # (envelope recipients, parsed message)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def about(self, subject):
        return [(to, m) for to, m in self.received if m["Subject"] == subject]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.APOYO_BASE_URL = "https://apoyo.ine.example"
    yield mailbox
    controller.stop()


@pytest.fixture
def world(db):
    return World()


def test_assignment_mail_goes_through_smtp_to_every_active_user_of_the_area_in_spanish(world, smtp):
    retired = member("DERFE")
    retired.is_active = False
    retired.save()
    without_address = member("DERFE", email="")
    consultation = world.register(now=REGISTERED)

    assign(
        world.utvopl,
        consultation,
        [area("DERFE")],
        instruction="Responder a la brevedad.",
        now=REGISTERED,
    )

    received = smtp.about(SUBJECT)
    recipients = sorted(address for to, _ in received for address in to)
    assert recipients == sorted([world.derfe.email, world.derfe_head.email])
    # Neither the DEPPP user nor UTVOPL gets the assignment mail.
    assert world.deppp.email not in recipients and world.utvopl.email not in recipients
    body = received[0][1].get_content()
    expected = [
        "Estimado usuario:",
        "A continuación se presenta la información de la asignación de un documento de un OPL.",
        "Folio SIVOPLE: CONSULTA/SON/2020/1",
        "Folio del documento del OPL: IEE-PRESI-137-2020",
        "Tipo de documento: CONSULTA",
        "Descripción del documento: Se hace consulta en materia de candidaturas independientes.",
        "Área asignada: DIRECCIÓN EJECUTIVA DEL REGISTRO FEDERAL DE ELECTORES",
        "Organismo Público Local que realiza la solicitud: "
        "INSTITUTO ESTATAL ELECTORAL Y DE PARTICIPACIÓN CIUDADANA DE SONORA",
        "Usuario que realizó la asignación del documento: Ulises Vinculación",
        "Fecha y hora de registro: 01/06/2020 19:08",
        "Instrucción: Responder a la brevedad.",
        "Fecha límite de atención: 15/06/2020",
        f"https://apoyo.ine.example/sivople/consultas/{consultation.pk}/",
    ]
    for line in expected:
        assert line in body
    # The user without an address still gets the in-app notice; the retired one nothing.
    notified = Notification.objects.filter(title="CONSULTA/SON/2020/1 asignada a DERFE")
    assert set(notified.values_list("user", flat=True)) == {
        world.derfe.pk,
        world.derfe_head.pk,
        without_address.pk,
    }
    assert notified.first().body.startswith("Estimado usuario:")
    event = Event.objects.get(kind=EventKind.NOTIFIED)
    assert event.detail == "Aviso en el sistema a 3 usuarios del área DERFE; 2 correos enviados."


def test_reassignment_mails_the_new_area_only(world, smtp):
    consultation = world.assigned()
    smtp.received.clear()
    reassign(world.utvopl, consultation.assignments.get(), area("DEPPP"), "Es de prerrogativas.")
    received = smtp.about(SUBJECT)
    assert [to for to, _ in received] == [[world.deppp.email]]
    assert "Área asignada: DIRECCIÓN EJECUTIVA DE PRERROGATIVAS Y PARTIDOS POLÍTICOS" in (
        received[0][1].get_content()
    )


def test_a_mail_server_that_is_down_does_not_undo_the_assignment(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    settings.EMAIL_TIMEOUT = 2
    consultation = world.register()
    assign(world.utvopl, consultation, [area("DERFE")])
    assert Assignment.objects.filter(consultation=consultation, active=True).exists()
    event = Event.objects.get(kind=EventKind.NOTIFIED)
    assert "el correo no pudo enviarse" in event.detail
    assert Notification.objects.filter(user=world.derfe).exists()


def test_an_area_without_users_is_recorded_as_nobody_notified(world, mailoutbox):
    assign(world.utvopl, world.register(), [area("DEOE")])
    assert not [m for m in mailoutbox if m.subject == SUBJECT]
    event = Event.objects.get(kind=EventKind.NOTIFIED)
    assert event.detail == "El área DEOE no tiene usuarios activos: nadie fue notificado."


def test_the_opl_hears_of_a_forwarded_answer_and_utvopl_of_new_and_approved_items(
    world, mailoutbox
):
    consultation = world.register()
    new = [m for m in mailoutbox if "por turnar" in m.subject]
    assert [m.to for m in new] == [[world.utvopl.email]]
    mailoutbox.clear()
    assign(world.utvopl, consultation, [area()])
    answer = save_answer(world.derfe, consultation.assignments.get(), "Respuesta.")
    to_approve = [m for m in mailoutbox if "por aprobar" in m.subject]
    assert [m.to for m in to_approve] == [[world.derfe_head.email]]
    approve_answer(world.derfe_head, answer)
    to_forward = [m for m in mailoutbox if "por remitir" in m.subject]
    assert [m.to for m in to_forward] == [[world.utvopl.email]]
    forward_answer(world.utvopl, answer)
    answered = [m for m in mailoutbox if m.subject.startswith("[SIVOPLE] Respuesta del INE")]
    # Whoever registered it and the OPL's administrators of the same entity, not other entities.
    assert sorted(address for m in answered for address in m.to) == sorted(
        [world.opl.email, world.opl_admin.email]
    )


def test_the_assignment_mail_lists_the_opl_attachments_with_their_links(
    world, mailoutbox, settings
):
    settings.APOYO_BASE_URL = "http://127.0.0.1:8102"
    consultation = world.register(files=[pdf("IEE-PRESI-137-2020.pdf"), docx("anexo.docx")])
    assign(world.utvopl, consultation, [area("DERFE")])
    (mail, *_) = [m for m in mailoutbox if m.subject == SUBJECT]
    files = consultation.attachments.order_by("pk")
    assert "Anexos del OPL: 2" in mail.body
    for attachment in files:
        link = f"http://127.0.0.1:8102/sivople/anexos/{attachment.pk}/"
        assert f"  - {attachment.original_name} (" in mail.body and link in mail.body


def test_an_assignment_without_attachments_says_so(world, mailoutbox):
    assign(world.utvopl, world.register(), [area("DERFE")])
    (mail, *_) = [m for m in mailoutbox if m.subject == SUBJECT]
    assert "Anexos del OPL: ninguno" in mail.body

"""«Yo no di este apoyo»: the report, the flag it raises for the mesa de control (a four-eyes
DESCONOCIDO rejection), the notice to the entity's administrators and the bitácora."""

import re

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied

from apoyo.accounts.audit import CITIZEN_USER
from apoyo.accounts.models import AccessLog, Notification, Role
from apoyo.citizens.forms import clean_contact
from apoyo.citizens.lookup import address_digest
from apoyo.citizens.models import CitizenReport, ContactKind
from apoyo.citizens.services import DISOWN_SALT
from apoyo.citizens.tests.conftest import KEY, OCR, look_up
from apoyo.review import services as review
from apoyo.review.queue import confirmation_queue, review_queue
from apoyo.supports.models import ChangeAction, Inconsistency, Status, Support
from apoyo.testing.factories import make_user, support

pytestmark = pytest.mark.django_db

STATEMENT = "No firmé ninguna cédula ni conozco a esta persona."


def pass_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def disown(client, support_id, token, contact="persona@Example.ORG", statement=STATEMENT):
    data = {"support": support_id, "token": token, "contact": contact, "statement": statement}
    return client.post("/consulta-ciudadana/desconocer/", data, REMOTE_ADDR="203.0.113.5")


def disowned(client, target):
    """Look the citizen up and disown `target` with the pass of that answer."""
    return disown(client, target.pk, pass_of(look_up(client)))


def test_desconocido_is_a_national_type_that_needs_a_second_revisor():
    code = Inconsistency.objects.get(code="DESCONOCIDO")

    assert code.name == "Desconocido por la persona ciudadana"
    assert code.needs_confirmation and code.state is None and code.active


def test_disowning_an_accepted_support_stores_the_report_and_sends_it_back_to_the_mesa(
    client, accepted, reviewers
):
    response = disowned(client, accepted)

    assert response.status_code == 200
    assert "Recibimos su aviso" in response.content.decode()
    report = CitizenReport.objects.get()
    assert report.support == accepted
    assert (report.contact_kind, report.contact) == (ContactKind.EMAIL, "persona@example.org")
    assert report.statement == STATEMENT
    assert report.address_hash == address_digest("203.0.113.5")
    accepted.refresh_from_db()
    assert accepted.status == Status.PENDING_REVIEW
    assert accepted in review_queue(reviewers[0])
    lines = {(c.action, c.field, c.old_value, c.new_value) for c in accepted.changes.all()}
    assert (ChangeAction.CITIZEN_DISOWNED, "estado", "Preliminar", "Pendiente de revisión") in lines


def test_one_revisor_cannot_reject_a_disowned_support_alone(client, accepted, reviewers):
    first, second = reviewers
    disowned(client, accepted)
    desconocido = Inconsistency.objects.get(code="DESCONOCIDO")

    review.record_inconsistency(first, accepted, desconocido, "La persona lo desconoce.")
    accepted.refresh_from_db()
    assert accepted.status == Status.PENDING_REVIEW  # only proposed: it counts for nothing yet
    assert [p.support for p in confirmation_queue(first)] == [accepted]
    with pytest.raises(PermissionDenied):
        review.confirm_rejection(first, accepted)

    review.confirm_rejection(second, accepted)
    accepted.refresh_from_db()
    assert accepted.status == Status.PRELIMINARY
    assert accepted.inconsistency == desconocido


def test_the_review_page_shows_the_citizens_statement_without_the_contact(
    client, accepted, reviewers
):
    disowned(client, accepted)
    client.force_login(reviewers[0])

    page = client.get(f"/mesa/apoyos/{accepted.pk}/").content.decode()

    assert "Desconocido por la persona ciudadana" in page
    assert STATEMENT in page
    assert "persona@example.org" not in page


def test_the_entitys_administrators_get_a_notice_and_an_email_without_the_citizens_data(
    client, accepted, admin
):
    other_entity = make_user(Role.OPL_ADMIN, state_number=14, email="otro@opl.example")

    disowned(client, accepted)

    report = CitizenReport.objects.get()
    notice = Notification.objects.get(user=admin)
    assert (
        notice.title
        == f"Desconocimiento ciudadano N.º {report.pk}: apoyo a {accepted.aspirant.code}"
    )
    assert notice.url == f"/consulta-ciudadana/desconocimientos/{report.pk}/"
    assert not Notification.objects.filter(user=other_entity).exists()
    (message,) = mail.outbox
    assert message.to == ["admin@opl.example"]
    assert "DESCONOCIDO requiere un segundo revisor" in message.body
    for private in (KEY, OCR, STATEMENT, "persona@example.org"):
        assert private not in message.body and private not in notice.body


def test_disowning_is_in_the_bitacora(client, accepted):
    disowned(client, accepted)

    entry = AccessLog.objects.get(action="desconocimiento ciudadano")
    assert (entry.username, entry.object_type, entry.object_id) == (
        CITIZEN_USER,
        "apoyo",
        str(accepted.pk),
    )
    assert entry.address == "203.0.113.5"


def test_a_pending_support_stays_pending_and_a_rejected_one_keeps_its_rejection(client, aspirant):
    pending = support(aspirant, KEY, ocr=OCR, status=Status.PENDING_REVIEW, reference="F-2")
    rejected = support(aspirant, KEY, ocr=OCR, inconsistency="FOTOCOPIA", reference="F-3")
    token = pass_of(look_up(client))

    disown(client, pending.pk, token)
    disown(client, rejected.pk, token)

    pending.refresh_from_db()
    rejected.refresh_from_db()
    assert pending.status == Status.PENDING_REVIEW
    assert (rejected.status, rejected.inconsistency.code) == (Status.PRELIMINARY, "FOTOCOPIA")
    assert CitizenReport.objects.count() == 2


def test_a_second_report_on_the_same_support_keeps_the_first(client, accepted):
    token = pass_of(look_up(client))
    disown(client, accepted.pk, token)

    again = disown(client, accepted.pk, token, statement="Otra vez.")

    assert "Ya teníamos su aviso" in again.content.decode()
    assert CitizenReport.objects.get().statement == STATEMENT
    assert "Usted avisó el" in look_up(client).content.decode()


def test_a_report_needs_the_pass_of_an_answer_that_listed_that_support(client, accepted, aspirant):
    other = support(aspirant, "PXRZAN90023026M002", ocr=OCR, reference="F-4")
    token = pass_of(look_up(client))
    forged = signing.dumps([other.pk], salt="otra")

    answers = [
        disown(client, other.pk, token),
        disown(client, accepted.pk, forged),
        disown(client, accepted.pk, ""),
        disown(client, "x", token),
    ]

    assert {a.status_code for a in answers} == {400}
    assert "Vuelva a hacer la consulta" in answers[0].content.decode()
    assert not CitizenReport.objects.exists()


def test_an_expired_pass_is_refused(client, accepted, settings):
    token = signing.dumps([accepted.pk], salt=DISOWN_SALT, compress=True)
    settings.APOYO_CITIZEN_DISOWN_MINUTES = -1

    assert disown(client, accepted.pk, token).status_code == 400
    assert not CitizenReport.objects.exists()


def test_a_withdrawn_support_cannot_be_reported(client, accepted):
    token = pass_of(look_up(client))
    Support.objects.filter(pk=accepted.pk).update(status=Status.WITHDRAWN)

    response = disown(client, accepted.pk, token)

    assert response.status_code == 400
    assert not CitizenReport.objects.exists()


def test_an_invalid_contact_or_statement_shows_the_form_again_with_spanish_errors(client, accepted):
    token = pass_of(look_up(client))

    bad_contact = disown(client, accepted.pk, token, contact="12345")
    too_long = disown(client, accepted.pk, token, statement="a" * 1001)

    assert bad_contact.status_code == too_long.status_code == 400
    assert "correo electrónico válido o un teléfono de 10 dígitos" in bad_contact.content.decode()
    assert "como máximo 1000 caracteres" in too_long.content.decode()
    assert 'aria-invalid="true"' in bad_contact.content.decode()
    assert not CitizenReport.objects.exists()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("persona@Correo.MX", (ContactKind.EMAIL, "persona@correo.mx")),
        ("662 123 4567", (ContactKind.PHONE, "6621234567")),
        ("+52 (662) 123-45-67", (ContactKind.PHONE, "6621234567")),
        ("52 662 123 4567", (ContactKind.PHONE, "6621234567")),
    ],
)
def test_a_contact_is_an_email_or_a_ten_digit_phone(typed, expected):
    assert clean_contact(typed) == expected


@pytest.mark.parametrize("typed", ["", "persona@", "12345", "662-123-456", "６６２１２３４５６７"])
def test_anything_else_is_not_a_contact(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        clean_contact(typed)

"""Auxiliaries: registered by their aspirant, invited to set a password, one aspirant per person
and process (refusals recorded and shown to the OPL), deactivated with their app tokens."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from apoyo.accounts.models import AccessLog, ApiToken, Notification, Role, User
from apoyo.accounts.tokens import check_key, issue_token
from apoyo.aspirants import services
from apoyo.aspirants.models import Auxiliary, AuxiliaryConflict
from apoyo.testing.capture_app import PROFILE_URL, SESSION_URL, auth, open_office
from apoyo.testing.factories import make_aspirant, make_process, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Hermosillo.Captura.2021"


@pytest.fixture
def office():
    return open_office()


@pytest.fixture
def aspirant(office):
    return make_aspirant(office, with_user=True)


@pytest.fixture
def rival(office):
    """Another aspirant to the same office, in the same process."""
    return make_aspirant(office, with_user=True)


@pytest.fixture
def opl_admin():
    return make_user(Role.OPL_ADMIN, email="admin@iee.example")


def person(**fields):
    return {
        "name": "Pedro Ramírez Soto",
        "email": "Pedro.Ramirez@example.org",
        "phone": "662 123 4567",
    } | fields


def register(client, aspirant, **fields):
    client.force_login(aspirant.user)
    return client.post(reverse("auxiliaries:create"), person(**fields))


def invitation_path():
    """The path of the invitation link in the last e-mail."""
    link = re.search(r"https?://\S+/auxiliares/invitacion/\S+/", mail.outbox[-1].body).group(0)
    return urlsplit(link).path


# Registration and invitation ----------------------------------------------------------------------


def test_an_aspirant_registers_an_auxiliary_who_is_invited_by_email(client, aspirant):
    response = register(client, aspirant)
    assert response.status_code == 302
    auxiliary = Auxiliary.objects.get()
    assert (auxiliary.aspirant, auxiliary.process) == (aspirant, aspirant.office.process)
    assert (auxiliary.email, auxiliary.phone) == ("pedro.ramirez@example.org", "6621234567")
    assert auxiliary.registered_by == aspirant.user and auxiliary.invited_at is not None
    user = auxiliary.user
    assert (user.role, user.username, user.state_id) == (
        Role.AUXILIARY,
        "pedro.ramirez@example.org",
        aspirant.office.process.state_id,
    )
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pedro.ramirez@example.org"]
    assert "Su usuario es: pedro.ramirez@example.org" in message.body
    assert "/auxiliares/invitacion/" in message.body
    page = client.get(reverse("auxiliaries:list")).content.decode()
    assert "Pedro Ramírez Soto" in page and "6621234567" in page


def test_the_invitation_link_sets_the_password_and_opens_the_app(client, aspirant):
    register(client, aspirant)
    client.logout()
    path = invitation_path()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Crear su contraseña" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert "Contraseña creada" in done.content.decode()
    assert User.objects.get(username="pedro.ramirez@example.org").check_password(PASSWORD)
    login = client.post(
        SESSION_URL,
        {"username": "pedro.ramirez@example.org", "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 201
    # The link is used up.
    again = client.get(path, follow=True).content.decode()
    assert "Este enlace ya no es válido" in again


def test_an_invitation_link_never_resets_another_role(client, aspirant):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from apoyo.aspirants.invitations import invitation_tokens

    user = aspirant.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    page = client.get(reverse("auxiliaries:invitation", args=[uid, token]), follow=True)
    assert "Este enlace ya no es válido" in page.content.decode()


def test_a_failing_mail_server_keeps_the_registration(client, aspirant, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("sin servidor de correo")

    monkeypatch.setattr(services, "send_mail", refuse)
    response = register(client, aspirant)
    assert response.status_code == 302
    auxiliary = Auxiliary.objects.get()
    assert auxiliary.invited_at is None
    page = client.get(reverse("auxiliaries:list")).content.decode()
    assert "el correo no pudo enviarse" in page and "Reenviar invitación" in page


def test_the_aspirant_may_send_the_invitation_again(client, aspirant):
    register(client, aspirant)
    auxiliary = Auxiliary.objects.get()
    client.post(reverse("auxiliaries:invite", args=[auxiliary.pk]))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("phone", ["662-12", "abc", "+1 662 123 4567 89"])
def test_the_phone_must_have_ten_digits(client, aspirant, phone):
    response = register(client, aspirant, phone=phone)
    assert response.status_code == 400
    assert "El teléfono debe tener 10 dígitos." in response.content.decode()
    assert not Auxiliary.objects.exists()


def test_phones_written_with_the_country_code_are_the_same_phone():
    assert services.normalize_phone("+52 1 (662) 123-4567") == "6621234567"
    assert services.normalize_phone("52 662 123 4567") == "6621234567"


def test_registering_never_tells_whether_a_username_exists(client, aspirant):
    make_user(Role.OPL_CAPTURIST, username="pedro.ramirez@example.org")
    response = register(client, aspirant)
    assert response.status_code == 302
    assert Auxiliary.objects.get().user.username == "pedro.ramirez@example.org-2"
    assert "Su usuario es: pedro.ramirez@example.org-2" in mail.outbox[-1].body


# One aspirant per person and process ---------------------------------------------------------------


def test_the_same_person_for_a_second_aspirant_is_refused_and_shown_to_the_opl(
    client, aspirant, rival, opl_admin
):
    register(client, aspirant)
    response = register(client, rival, name="PEDRO RAMIREZ", email="otro@example.org")
    assert response.status_code == 400
    page = response.content.decode()
    assert "ya es auxiliar de otro aspirante en este proceso" in page
    assert Auxiliary.objects.count() == 1
    conflict = AuxiliaryConflict.objects.get()
    assert (conflict.aspirant, conflict.existing.aspirant) == (rival, aspirant)
    assert (conflict.phone, conflict.matched_on) == ("6621234567", "teléfono")
    assert conflict.attempted_by == rival.user
    notice = Notification.objects.get(user=opl_admin)
    assert "ya trabaja para otro aspirante" in notice.title
    assert mail.outbox[-1].to == ["admin@iee.example"]
    client.force_login(opl_admin)
    listing = client.get(reverse("auxiliaries:opl_conflicts")).content.decode()
    assert "PEDRO RAMIREZ" in listing and rival.code in listing and aspirant.code in listing
    assert AccessLog.objects.filter(user=opl_admin, object_type="auxiliares rechazados").exists()


def test_a_match_by_email_alone_is_refused_too(client, aspirant, rival):
    register(client, aspirant)
    response = register(client, rival, email="PEDRO.RAMIREZ@example.org ", phone="6629999999")
    assert response.status_code == 400
    assert AuxiliaryConflict.objects.get().matched_on == "correo"


def test_the_aspirants_never_see_the_refusals(client, aspirant, rival):
    register(client, aspirant)
    register(client, rival)
    assert client.get(reverse("auxiliaries:opl_conflicts")).status_code == 403
    assert not AuxiliaryConflict.objects.visible_to(rival.user).exists()


def test_the_same_person_twice_for_the_same_aspirant_is_refused_without_a_record(client, aspirant):
    register(client, aspirant)
    response = register(client, aspirant, email="nuevo@example.org")
    assert response.status_code == 400
    assert "ya está registrado como su auxiliar (mismo teléfono)" in response.content.decode()
    assert not AuxiliaryConflict.objects.exists()


def test_the_same_person_may_work_in_another_process(client, aspirant):
    register(client, aspirant)
    later = make_aspirant(open_office(process=make_process()), with_user=True)
    response = register(client, later)
    assert response.status_code == 302
    assert Auxiliary.objects.count() == 2


def test_the_database_holds_the_rule_too(aspirant, rival):
    auxiliary = services.register_auxiliary(aspirant, registered_by=aspirant.user, **person())
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Auxiliary.objects.create(
            aspirant=rival,
            process=rival.office.process,
            user=make_user(Role.AUXILIARY),
            name="X",
            email=auxiliary.email,
            phone="6620000000",
        )


# Deactivation --------------------------------------------------------------------------------------


def test_deactivating_an_auxiliary_revokes_their_tokens_and_blocks_the_app(client, aspirant):
    auxiliary = services.register_auxiliary(aspirant, registered_by=aspirant.user, **person())
    auxiliary.user.set_password(PASSWORD)
    auxiliary.user.save()
    key, _ = issue_token(auxiliary.user)
    assert client.get(PROFILE_URL, **auth(key)).status_code == 200
    client.force_login(aspirant.user)
    client.post(reverse("auxiliaries:deactivate", args=[auxiliary.pk]))
    auxiliary.refresh_from_db()
    assert not auxiliary.active and not auxiliary.user.is_active
    assert ApiToken.objects.filter(user=auxiliary.user, revoked_at__isnull=True).count() == 0
    assert check_key(key)[0] is None
    refused = client.get(PROFILE_URL, **auth(key))
    assert (refused.status_code, refused.json()["code"]) == (403, "account_deactivated")
    body = {"username": auxiliary.user.username, "password": PASSWORD}
    login = client.post(SESSION_URL, body, content_type="application/json")
    assert login.status_code == 400
    assert "consulte al aspirante" in login.json()["detail"]
    client.post(reverse("auxiliaries:reactivate", args=[auxiliary.pk]))
    assert client.post(SESSION_URL, body, content_type="application/json").status_code == 201


def test_an_aspirant_manages_only_their_own_auxiliaries(client, aspirant, rival):
    auxiliary = services.register_auxiliary(aspirant, registered_by=aspirant.user, **person())
    client.force_login(rival.user)
    response = client.post(reverse("auxiliaries:deactivate", args=[auxiliary.pk]))
    assert response.status_code == 404
    assert "Pedro" not in client.get(reverse("auxiliaries:list")).content.decode()
    auxiliary.refresh_from_db()
    assert auxiliary.active


def test_the_opl_lists_the_auxiliaries_of_its_entity_only(client, aspirant):
    services.register_auxiliary(aspirant, registered_by=aspirant.user, **person())
    client.force_login(make_user(Role.OPL_REVIEWER))
    page = client.get(reverse("auxiliaries:opl_list")).content.decode()
    assert "Pedro Ramírez Soto" in page and aspirant.code in page
    client.force_login(make_user(Role.OPL_ADMIN, state_number=2))
    assert "Pedro" not in client.get(reverse("auxiliaries:opl_list")).content.decode()
    client.force_login(aspirant.user)
    assert client.get(reverse("auxiliaries:opl_list")).status_code == 403

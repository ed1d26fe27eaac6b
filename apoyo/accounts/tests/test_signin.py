"""Signing in: failed attempts throttled per account and address, strong passwords, password change
and recovery that end the other sessions and the app's tokens, and sessions that end when idle."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from apoyo.accounts.middleware import LAST_SEEN
from apoyo.accounts.models import AccessLog, ApiToken, Role
from apoyo.accounts.tokens import check_key, issue_token
from apoyo.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Desierto-de-Altar-2027"


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_fifty_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    make_user(Role.OPL_CAPTURIST, username="ana")
    for _ in range(50):
        sign_in(client, "ana", "equivocada-123")
    locked = sign_in(client, "ana", PASSWORD)
    assert locked.status_code == 429
    assert "Demasiados intentos fallidos" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_lock_it_for_other_accounts_too(client):
    make_user(Role.OPL_CAPTURIST, username="ana")
    make_user(Role.OPL_CAPTURIST, username="beto")
    for n in range(5):
        sign_in(client, f"inexistente{n}", "equivocada-123", REMOTE_ADDR="198.51.100.9")
    assert sign_in(client, "beto", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 429
    assert sign_in(client, "beto", PASSWORD, REMOTE_ADDR="198.51.100.10").status_code == 302


def test_the_capture_app_login_is_throttled_the_same_way(client):
    make_user(Role.AUXILIARY, username="aux")
    body = {"username": "aux", "password": "equivocada-123"}
    for _ in range(5):
        client.post("/api/v1/session/", body, content_type="application/json")
    body["password"] = PASSWORD
    locked = client.post("/api/v1/session/", body, content_type="application/json")
    assert locked.status_code == 429
    assert "Demasiados intentos fallidos" in locked.json()["detail"]
    assert AccessLog.objects.filter(action="inicio bloqueado").exists()


def test_a_sign_in_is_recorded_once_in_the_bitacora_not_again_by_the_lockout_library(client):
    """django-axes would keep its own log of every sign-in and sign-out, with address and browser:
    a second copy of personal data that no purge reaches, and one more write per sign-in."""
    from axes.models import AccessLog as LockoutLog

    user = make_user(Role.OPL_CAPTURIST, username="ana")
    assert sign_in(client, "ana", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
    client.post(reverse("logout"))

    entry = AccessLog.objects.get(action="inicio de sesión")
    assert (entry.user, entry.address) == (user, "198.51.100.9")
    assert AccessLog.objects.filter(action="cierre de sesión", user=user).exists()
    assert not LockoutLog.objects.exists()


@pytest.mark.parametrize("password", ["Sonora26", "Hermosillo1", "123456789012", "password1234"])
def test_short_or_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_twelve_character_uncommon_password_is_accepted():
    validate_password(NEW_PASSWORD)


def test_changing_the_password_ends_other_sessions_and_the_apps_tokens(client, django_user_model):
    from django.test import Client

    user = make_user(Role.AUXILIARY)
    other_browser = Client()
    other_browser.force_login(user)
    key, _ = issue_token(user)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert check_key(key)[0] is None
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert client.get(reverse("account")).status_code == 200
    assert other_browser.get(reverse("account")).status_code == 302
    assert AccessLog.objects.filter(action="contraseña cambiada", user=user).exists()


def reset_link(mailoutbox):
    return re.search(r"https?://\S+/contrasena/nueva/\S+/", mailoutbox[-1].body).group(0)


def test_a_forgotten_password_is_recovered_by_email_and_the_old_tokens_stop(client, mailoutbox):
    user = make_user(Role.OPL_CAPTURIST, email="ana@iee.example")
    key, _ = issue_token(user)
    client.post(reverse("password_reset"), {"email": "ana@iee.example"})
    link = reset_link(mailoutbox)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Establecer mi contraseña" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert check_key(key)[0] is None
    again = client.get("/" + path, follow=True).content.decode()
    assert "ya no es válido" in again


def test_the_recovery_page_never_says_whether_an_address_has_an_account(client, mailoutbox):
    make_user(Role.OPL_CAPTURIST, email="ana@iee.example")
    known = client.post(reverse("password_reset"), {"email": "ana@iee.example"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nadie@iee.example"}, follow=True)
    main = [page.content.decode().split("<main", 1)[1] for page in (known, unknown)]
    assert main[0] == main[1]
    assert len(mailoutbox) == 1


def test_the_recovery_link_points_at_the_configured_address_not_the_host_header(
    client, mailoutbox, settings
):
    settings.APOYO_BASE_URL = "https://apoyo.iee.example"
    settings.ALLOWED_HOSTS = ["*"]
    make_user(Role.OPL_CAPTURIST, email="ana@iee.example")
    client.post(reverse("password_reset"), {"email": "ana@iee.example"}, HTTP_HOST="evil.example")
    assert reset_link(mailoutbox).startswith("https://apoyo.iee.example/contrasena/nueva/")


def test_the_login_page_links_to_recovery_and_the_app_too(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in client.get("/app/").content.decode()


def idle(client, minutes):
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


def test_a_staff_session_ends_after_thirty_idle_minutes(client):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    client.get(reverse("account"))
    idle(client, 31)
    response = client.get(reverse("account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("account")).status_code == 302
    assert AccessLog.objects.filter(action="sesión vencida").exists()


def test_an_aspirant_has_a_longer_idle_time_and_activity_keeps_a_session(client, settings):
    client.force_login(make_user(Role.ASPIRANT))
    client.get(reverse("account"))
    idle(client, 31)
    assert client.get(reverse("account")).status_code == 200
    idle(client, settings.APOYO_IDLE_MINUTES + 1)
    assert client.get(reverse("account")).status_code == 302


def test_polling_by_htmx_is_not_activity(client):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    client.get(reverse("account"))
    idle(client, 20)
    client.get(reverse("account"), HTTP_HX_REQUEST="true")
    idle_since = time.time() - client.session[LAST_SEEN]
    assert idle_since > 19 * 60

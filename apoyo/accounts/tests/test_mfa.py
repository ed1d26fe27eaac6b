"""Two-step verification: required roles enrol on first sign-in with a QR code, every later sign-in
asks for a code, recovery codes work once, and the demo offers it without requiring it."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apoyo.accounts.models import AccessLog, Role
from apoyo.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.APOYO_MFA_REQUIRED = True


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(reverse("supports:dashboard"))


def enrol(client, user):
    setup = sign_in(client, user)
    assert setup["Location"].startswith(reverse("mfa_setup"))
    page = client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(reverse("mfa_setup"), {"code": code_of(device)})
    codes = client.get(confirmed["Location"]).context["codes"]
    return page, device, codes


@pytest.mark.parametrize("role", [Role.OPL_ADMIN, Role.OPL_REVIEWER, Role.INE_DERFE])
def test_a_required_role_is_sent_to_enrol_before_any_page(client, role):
    user = make_user(role)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_setup"))


def test_enrolment_shows_a_qr_code_and_gives_recovery_codes_once(client):
    user = make_user(Role.OPL_ADMIN)
    page, device, codes = enrol(client, user)
    html = page.content.decode()
    assert "<svg" in html and "Escanee este código QR" in html
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("supports:dashboard")).status_code == 200
    assert client.get(reverse("mfa_recovery_codes")).status_code == 302
    assert AccessLog.objects.filter(user=user, action="mfa: alta").exists()


def test_a_wrong_code_does_not_confirm_enrolment(client):
    user = make_user(Role.OPL_ADMIN)
    sign_in(client, user)
    client.get(reverse("mfa_setup"))
    response = client.post(reverse("mfa_setup"), {"code": "000000"})
    assert response.status_code == 400
    assert "no coincide" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_every_later_sign_in_asks_for_a_code(client):
    from django.test import Client

    user = make_user(Role.OPL_REVIEWER)
    _, device, _ = enrol(client, user)
    other = Client()
    response = sign_in(other, user)
    assert response["Location"].startswith(reverse("mfa_verify"))
    wrong = other.post(reverse("mfa_verify"), {"code": "123456"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    # The same code may not be used twice: wait for the next step instead.
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save()
    assert other.post(reverse("mfa_verify"), {"code": code_of(device)}).status_code == 302
    assert other.get(reverse("supports:dashboard")).status_code == 200
    actions = set(AccessLog.objects.filter(user=user).values_list("action", flat=True))
    assert {"mfa: fallo", "mfa: verificación"} <= actions


def test_a_recovery_code_works_once(client):
    from django.test import Client

    user = make_user(Role.OPL_ADMIN)
    _, _, codes = enrol(client, user)
    first, second = Client(), Client()
    sign_in(first, user)
    assert first.post(reverse("mfa_verify"), {"code": codes[0]}).status_code == 302
    sign_in(second, user)
    assert second.post(reverse("mfa_verify"), {"code": codes[0]}).status_code == 400
    assert AccessLog.objects.filter(action="mfa: código de recuperación").count() == 1


def test_optional_roles_are_not_forced_but_may_enrol(client):
    user = make_user(Role.OPL_CAPTURIST)
    assert sign_in(client, user).status_code == 200
    page = client.get(reverse("account")).content.decode()
    assert "Opcional para su rol" in page


def test_the_demo_offers_it_without_requiring_it_and_says_so(client, settings):
    settings.APOYO_MFA_REQUIRED = False
    page = client.get(reverse("login")).content.decode()
    assert "se ofrece" in page and "no se exige" in page
    assert sign_in(client, make_user(Role.OPL_ADMIN)).status_code == 200


def test_production_settings_require_it_unless_in_debug_mode():
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.APOYO_MFA_REQUIRED)"
    env = {k: v for k, v in os.environ.items() if k not in ("APOYO_DEBUG", "APOYO_MFA_REQUIRED")}
    env["DJANGO_SETTINGS_MODULE"] = "apoyo.settings"
    run = [sys.executable, "-c", "import django; django.setup(); " + code]
    production = subprocess.run(run, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    demo = subprocess.run(  # noqa: S603
        run, env=env | {"APOYO_DEBUG": "1"}, capture_output=True, text=True, check=True
    )
    assert (production.stdout.strip(), demo.stdout.strip()) == ("True", "False")

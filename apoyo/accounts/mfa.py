"""Two-step verification: an authenticator app's TOTP codes (django-otp), with one-time recovery
codes for a lost phone. Required of the roles in policies.MFA_ROLES outside debug mode, optional
for everyone else; SecondFactorMiddleware sends a signed-in person here until they verify."""

import io

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apoyo.accounts.audit import log_access

RECOVERY_CODES = 10
APP_DEVICE = "Aplicación de autenticación"
RECOVERY_DEVICE = "Códigos de recuperación"


def authenticator(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user):
    """A new, unconfirmed authenticator for `user` (a previous unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_code_svg(device):
    """The device's otpauth:// address as an SVG QR code, for the authenticator app to scan."""
    # One path in the SVG namespace: drawn inline in an HTML page (django-otp's own writer uses
    # prefixed svg:rect elements, which HTML does not draw).
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def secret_text(device):
    """The key in base32, in groups of four, for typing it when the camera cannot scan."""
    import base64

    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_enrolment(request, device, code):
    """Confirm the authenticator with a code it shows; returns the new recovery codes (shown
    once), or None when the code is wrong."""
    if not device.verify_token(clean(code)):
        log_access(request, "mfa: alta fallida", "cuenta", request.user.pk)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = replace_recovery_codes(device.user)
    django_otp.login(request, device)
    log_access(request, "mfa: alta", "cuenta", request.user.pk)
    return codes


def replace_recovery_codes(user):
    """A new set of recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request, code):
    """Check a code of the authenticator or a recovery code (used up once accepted) and mark the
    session verified. Returns True on success; every attempt goes to the bitácora."""
    user = request.user
    code = clean(code)
    for device, action in (
        (authenticator(user), "mfa: verificación"),
        (
            StaticDevice.objects.filter(user=user, confirmed=True).first(),
            "mfa: código de recuperación",
        ),
    ):
        if device is not None and django_otp.verify_token(user, device.persistent_id, code):
            django_otp.login(request, device)
            log_access(request, action, "cuenta", user.pk)
            return True
    log_access(request, "mfa: fallo", "cuenta", user.pk)
    return False


def remove(request):
    """Turn two-step verification off (only for those who may go without it)."""
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    log_access(request, "mfa: baja", "cuenta", request.user.pk)


def clean(code):
    return "".join(str(code or "").split()).lower()

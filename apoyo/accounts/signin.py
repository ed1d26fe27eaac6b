"""Signing in and out, passwords and their links, and what the bitácora keeps of each.

Failed sign-ins are counted by django-axes per account and per address (settings AXES_*); a locked
account or address is answered by `lockout_response`. Sign-ins, failures and sign-outs reach the
bitácora through Django's auth signals, connected in AccountsConfig.ready.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apoyo.accounts.audit import client_address, log_access, record
from apoyo.accounts.notifications import absolute_url
from apoyo.accounts.tokens import revoke_user_tokens

logger = logging.getLogger(__name__)

LOCKED_OUT = (
    "Demasiados intentos fallidos de inicio de sesión con esta cuenta o desde esta dirección. "
    "Espere {minutes} minutos y vuelva a intentarlo, o recupere su contraseña."
)


def cooloff_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a sign-in refused because of too many failures: a Spanish page for the web,
    the API's error body for the capture app (429 either way)."""
    message = LOCKED_OUT.format(minutes=cooloff_minutes())
    log_access(request, "inicio bloqueado", "sesión", detail=username_of(credentials))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": []}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


def username_of(credentials):
    return str((credentials or {}).get("username", ""))[:150]


# The bitácora of sign-ins (auth signals) -------------------------------------------------------


def signed_in(sender, request, user, **kwargs):
    address = client_address(request) if request is not None else None
    record(user, "inicio de sesión", "sesión", user.pk, address=address)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    address = client_address(request) if request is not None else None
    username = username_of(credentials)
    record(None, "inicio fallido", "sesión", detail=username, address=address, username=username)


def signed_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        record(user, "cierre de sesión", "sesión", user.pk, address=client_address(request))


# Passwords -------------------------------------------------------------------------------------------


def password_changed(request, user, how):
    """After a change or a reset: the capture app's tokens stop working, and Django's session
    hash (which includes the password) already ends every other session of the person."""
    revoked = revoke_user_tokens(user)
    detail = f"{how}; tokens de la app revocados: {revoked}"
    record(user, "contraseña cambiada", "cuenta", user.pk, detail, client_address(request))


def password_link(user):
    """A one-time link to set the password: Django's reset token, valid PASSWORD_RESET_TIMEOUT
    and used up once the password is set (or changed by any other way)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def send_password_link(request, user, new_account=False):
    """E-mail `user` a link to set their own password. An administrator sends it instead of ever
    typing another person's password. Returns True when sent."""
    if not user.email:
        return False
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    opening = "Se creó su cuenta en Apoyo" if new_account else "Se pidió restablecer su contraseña"
    body = (
        f"Hola, {user.get_full_name() or user.username}:\n\n"
        f"{opening}. Su usuario es: {user.username}\n\n"
        f"Establezca su contraseña en este enlace (vence en {days} días y sirve una sola vez):\n"
        f"{password_link(user)}\n\n"
        "Si usted no esperaba este correo, ignórelo: su contraseña actual sigue vigente."
    )
    try:
        send_mail("Apoyo: establezca su contraseña", body, None, [user.email])
    except OSError:
        logger.exception("Password link e-mail to user %s failed", user.pk)
        return False
    log_access(request, "enlace de contraseña", "cuenta", user.pk, user.username)
    return True

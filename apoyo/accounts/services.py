"""Accounts an OPL administrator manages: staff of their entity, and the aspirants' and
auxiliaries' accounts. Nobody types another person's password: a new account and a forgotten
password get a one-time link by e-mail. Every change goes to the bitácora."""

from django.db import transaction

from apoyo.accounts.audit import log_access
from apoyo.accounts.models import Role
from apoyo.accounts.signin import send_password_link
from apoyo.accounts.tokens import revoke_user_tokens


def create_staff(request, form):
    """A staff account of the administrator's entity, with no usable password until its owner sets
    one with the link e-mailed now. Returns (user, sent)."""
    with transaction.atomic():
        user = form.save(commit=False)
        user.state_id = request.user.state_id
        user.set_unusable_password()
        user.save()
        log_access(request, "cuenta creada", "cuenta", user.pk, f"{user.username}: {user.role}")
    return user, send_password_link(request, user, new_account=True)


def change_role(request, user, role, reason):
    """Change a staff member's OPL role: an explicit action with its reason in the bitácora."""
    old = user.get_role_display()
    user.role = role
    user.save(update_fields=["role"])
    detail = f"{user.username}: {old} → {user.get_role_display()}. {reason}"
    log_access(request, "cambio de rol", "cuenta", user.pk, detail)


def set_active(request, user, active):
    """Let an account sign in again, or stop it at once: a deactivated account's app tokens are
    revoked and its sessions end at their next request (Django refuses inactive users)."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoke_user_tokens(user)
    action = "cuenta activada" if active else "cuenta desactivada"
    log_access(request, action, "cuenta", user.pk, user.username)


MANAGED_ACCOUNT_ROLES = frozenset({Role.ASPIRANT, Role.AUXILIARY})

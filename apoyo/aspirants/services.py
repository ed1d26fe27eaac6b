"""Aspirants and their auxiliaries: accounts, registration rules and invitations."""

import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apoyo.accounts import policies
from apoyo.accounts.models import Role, User
from apoyo.accounts.notifications import absolute_url, notify
from apoyo.accounts.tokens import revoke_user_tokens
from apoyo.aspirants.invitations import invitation_token
from apoyo.aspirants.models import Auxiliary, AuxiliaryConflict

logger = logging.getLogger(__name__)

PHONE_DIGITS = 10
# Mexican numbers written with the country code: +52 and the old mobile prefix +52 1.
_COUNTRY_PREFIXES = ("521", "52")
_NON_DIGITS = re.compile(r"\D+")

CONFLICT_MESSAGE = (
    "Esta persona (mismo correo o teléfono) ya es auxiliar de otro aspirante en este proceso: "
    "un auxiliar trabaja para un solo aspirante. El registro se rechazó y el OPL quedó informado."
)


@transaction.atomic
def save_aspirant(aspirant, username=""):
    """Save an aspirant and, when a username is given, open their aspirant-portal account with
    no usable password: the aspirant sets it with the link the caller e-mails them."""
    if username:
        user = User(
            username=username,
            role=Role.ASPIRANT,
            state_id=aspirant.office.process.state_id,
            first_name=aspirant.name.title(),
            last_name=" ".join(
                p for p in [aspirant.paternal_surname, aspirant.maternal_surname] if p
            ).title(),
            email=aspirant.email,
        )
        user.set_unusable_password()
        user.save()
        aspirant.user = user
    aspirant.save()
    return aspirant


# Auxiliaries ---------------------------------------------------------------------------------------


class AuxiliaryRefused(Exception):
    """A registration that cannot be made; the message says why, in Spanish, and `field` names the
    form field it concerns (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def normalize_phone(value):
    """A Mexican phone number as its 10 digits: spaces, dashes, brackets and the +52 (or +52 1)
    country prefix are dropped. Raises AuxiliaryRefused when 10 digits do not remain."""
    digits = _NON_DIGITS.sub("", str(value or ""))
    if len(digits) > PHONE_DIGITS:
        for prefix in _COUNTRY_PREFIXES:
            if digits.startswith(prefix) and len(digits) - len(prefix) == PHONE_DIGITS:
                digits = digits[len(prefix) :]
                break
    if len(digits) != PHONE_DIGITS:
        raise AuxiliaryRefused("El teléfono debe tener 10 dígitos.", field="phone")
    return digits


def normalize_email(value):
    return str(value or "").strip().lower()


def matched_on(auxiliary, email, phone):
    parts = []
    if auxiliary.email == email:
        parts.append("correo")
    if auxiliary.phone == phone:
        parts.append("teléfono")
    return " y ".join(parts)


def register_auxiliary(aspirant, *, name, email, phone, registered_by):
    """Register an auxiliary of `aspirant` with an account that has no password yet (the
    invitation sets it). Returns the Auxiliary.

    One person works for one aspirant per process: when the e-mail or the phone already belongs
    to an auxiliary of another aspirant of the process, the registration is refused, recorded as
    an AuxiliaryConflict and the OPL's administrators are notified. The same person twice for the
    same aspirant is refused without a record. Raises AuxiliaryRefused.
    """
    name = " ".join(str(name or "").split())
    email = normalize_email(email)
    phone = normalize_phone(phone)
    if not name:
        raise AuxiliaryRefused("Indique el nombre del auxiliar.", field="name")
    if not email:
        raise AuxiliaryRefused("Indique el correo del auxiliar.", field="email")
    process = aspirant.office.process
    registered = list(
        Auxiliary.objects.filter(process=process)
        .filter(Q(email=email) | Q(phone=phone))
        .select_related("aspirant")
    )
    others = [a for a in registered if a.aspirant_id != aspirant.pk]
    if others:
        record_conflicts(aspirant, others, name, email, phone, registered_by)
        raise AuxiliaryRefused(CONFLICT_MESSAGE)
    if registered:
        raise AuxiliaryRefused(
            f"{registered[0].name} ya está registrado como su auxiliar "
            f"(mismo {matched_on(registered[0], email, phone)})."
        )
    username = available_username(email)
    return create_auxiliary(aspirant, process, name, email, phone, username, registered_by)


def available_username(email):
    """The auxiliary's username: their e-mail, or the e-mail with a number when an account already
    has it. The aspirant never chooses it, so registering cannot be used to probe which usernames
    exist."""
    taken = set(User.objects.filter(username__istartswith=email).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    candidate, number = email, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{email}-{number}"
    return candidate[:150]


def create_auxiliary(aspirant, process, name, email, phone, username, registered_by):
    """The auxiliary and its account, without a password until the invitation sets it."""
    try:
        with transaction.atomic():
            user = User(
                username=username,
                role=Role.AUXILIARY,
                state_id=process.state_id,
                first_name=name[:150],
                email=email,
            )
            user.set_unusable_password()
            user.save()
            return Auxiliary.objects.create(
                aspirant=aspirant,
                process=process,
                user=user,
                name=name,
                email=email,
                phone=phone,
                registered_by=registered_by,
            )
    except IntegrityError:
        # Somebody registered the same person or username at the same moment.
        raise AuxiliaryRefused(
            "El correo, el teléfono o el usuario acaba de registrarse en otra solicitud; "
            "revise la lista de auxiliares."
        ) from None


def record_conflicts(aspirant, existing, name, email, phone, attempted_by):
    """Keep the refused registration for the OPL and tell its administrators."""
    conflicts = AuxiliaryConflict.objects.bulk_create(
        AuxiliaryConflict(
            aspirant=aspirant,
            existing=auxiliary,
            name=name[:200],
            email=email,
            phone=phone,
            matched_on=matched_on(auxiliary, email, phone),
            attempted_by=attempted_by,
        )
        for auxiliary in existing
    )
    state_id = aspirant.office.process.state_id
    admins = User.objects.filter(role=Role.OPL_ADMIN, state_id=state_id, is_active=True)
    holders = ", ".join(sorted({f"{a.aspirant.code}" for a in existing}))
    notify(
        admins,
        title=f"Auxiliar rechazado: {name} ya trabaja para otro aspirante",
        body=(
            f"El aspirante {aspirant} intentó registrar como auxiliar a {name} ({email}, {phone}), "
            f"que ya es auxiliar de {holders} en el proceso {aspirant.office.process.code}."
        ),
        url=reverse("auxiliaries:opl_conflicts"),
    )
    return conflicts


def invitation_link(auxiliary):
    """The link where the auxiliary sets their password (invitations.invitation_token): valid for
    PASSWORD_RESET_TIMEOUT, used up once the password is set, and replaced by the next invitation
    sent."""
    uid = urlsafe_base64_encode(force_bytes(auxiliary.user_id))
    token = invitation_token(auxiliary)
    return absolute_url(reverse("auxiliaries:invitation", args=[uid, token]))


def send_invitation(auxiliary):
    """E-mail the auxiliary a new invitation link, which makes the earlier ones invalid. Returns
    True when sent; a failing mail server leaves the registration and the earlier link as they
    were (the aspirant may send it again)."""
    auxiliary.invitations_sent += 1
    link = invitation_link(auxiliary)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    aspirant = auxiliary.aspirant
    body = (
        f"Hola, {auxiliary.name}:\n\n"
        f"{aspirant.full_name}, aspirante a {aspirant.office.name}, le registró como auxiliar para "
        "capturar apoyos ciudadanos con la aplicación de captura.\n\n"
        f"Su usuario es: {auxiliary.user.username}\n\n"
        f"Establezca su contraseña en este enlace (vence en {days} días y sirve una sola vez):\n"
        f"{link}\n\n"
        f"Después abra {absolute_url('/app/')} en su teléfono, inicie sesión con conexión a "
        "internet e instale la aplicación."
    )
    try:
        send_mail("Invitación a la aplicación de captura de apoyos", body, None, [auxiliary.email])
    except OSError:
        logger.exception("Invitation e-mail to auxiliary %s failed", auxiliary.pk)
        auxiliary.invitations_sent -= 1
        return False
    auxiliary.invited_at = timezone.now()
    auxiliary.save(update_fields=["invited_at", "invitations_sent"])
    return True


@transaction.atomic
def deactivate_auxiliary(auxiliary):
    """Stop an auxiliary: the account is disabled and every app token revoked at once. Their
    supports stay."""
    auxiliary.active = False
    auxiliary.deactivated_at = timezone.now()
    auxiliary.save(update_fields=["active", "deactivated_at"])
    User.objects.filter(pk=auxiliary.user_id).update(is_active=False)
    revoke_user_tokens(auxiliary.user)


@transaction.atomic
def reactivate_auxiliary(auxiliary):
    """Let a deactivated auxiliary capture again (they log in to the app anew)."""
    auxiliary.active = True
    auxiliary.deactivated_at = None
    auxiliary.save(update_fields=["active", "deactivated_at"])
    User.objects.filter(pk=auxiliary.user_id).update(is_active=True)


def active_auxiliary(user):
    """The active Auxiliary record of an active auxiliary user, or None. The API's token
    authentication loads it with the user (no query here)."""
    if not policies.is_auxiliary(user):
        return None
    try:
        auxiliary = user.auxiliary
    except Auxiliary.DoesNotExist:
        return None
    return auxiliary if auxiliary.active else None

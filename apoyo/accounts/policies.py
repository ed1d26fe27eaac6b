"""Who may do what: the one place every view, template and service asks "may this user do this?".

Each policy is a function of the signed-in user (and, for the few questions about one object, of
that object) returning a bool. Views enforce them through `PolicyRequiredMixin`, templates show or
hide a link or button with the same function through `can` (`{% if can.review %}`), and services
call them before acting. What a user may *see* of a table is decided in scoping.py; object rules of
one app (a consultation, a hearing) sit in that app's policies.py and build on these.

A superuser passes every policy: the account that runs django-admin already reaches every table
there, so refusing it here would protect nothing. Every other user needs an active account and a
role; OPL roles also need their entity.
"""

from django.conf import settings

from apoyo.accounts.models import INE_ROLES, OPL_ROLES, Role

# Roles that must sign in with a second factor outside debug mode: who decides on supports
# (administrators and revisores) and every INE user.
MFA_ROLES = frozenset({Role.OPL_ADMIN, Role.OPL_REVIEWER}) | INE_ROLES


def signed_in(user):
    return user.is_authenticated and user.is_active


def has_role(user, roles):
    """An active user whose role is one of `roles` (superusers always)."""
    if not signed_in(user):
        return False
    return user.is_superuser or user.role in roles


def has_opl_role(user, roles):
    """An OPL role of `roles` with the entity it works in."""
    return has_role(user, roles) and (user.is_superuser or user.state_id is not None)


def in_state(user, state_id):
    """Whether the user's work reaches the entity `state_id` (an OPL user's own entity)."""
    return user.is_superuser or (user.state_id is not None and user.state_id == state_id)


# OPL ------------------------------------------------------------------------------------------------


def is_opl_staff(user):
    """OPL administrators, capturistas and revisores: the OPL's pages of their entity."""
    return has_opl_role(user, OPL_ROLES)


def can_capture(user):
    """Manual capture, corrections, withdrawals, carga masiva and the supports lists."""
    return has_opl_role(user, OPL_ROLES)


def can_review(user):
    """The mesa de control: revisores and administrators of an OPL (LGIPE 383, DOMAIN.md step 2)."""
    return has_opl_role(user, {Role.OPL_REVIEWER, Role.OPL_ADMIN})


def can_administer(user):
    """The OPL administrator's work: processes, offices, aspirants, staff, reverting an upload,
    hearing windows and the dictamen."""
    return has_opl_role(user, {Role.OPL_ADMIN})


def can_resolve_hearings(user):
    """Resolving the aspirants' requests of the garantía de audiencia."""
    return has_opl_role(user, {Role.OPL_ADMIN, Role.OPL_REVIEWER})


# Aspirants and auxiliaries ----------------------------------------------------------------------------


def is_aspirant(user):
    """The aspirant portal: their own supports, auxiliaries, results and hearing."""
    return has_role(user, {Role.ASPIRANT})


def is_auxiliary(user):
    """The capture app (an active Auxiliary record is checked by capture_app as well)."""
    return has_role(user, {Role.AUXILIARY})


def can_see_scans(user):
    """Cédula scans (scoped: the OPL of the entity and the cédula's own aspirant)."""
    return is_opl_staff(user) or is_aspirant(user)


def can_see_hearing_evidence(user):
    """Evidence filed in a hearing (scoped: the OPL of the entity and the aspirant who filed it)."""
    return is_opl_staff(user) or is_aspirant(user)


def can_download_template(user):
    """The carga masiva template: the OPL and the aspirants' pre-capture."""
    return can_capture(user) or is_aspirant(user)


# INE -----------------------------------------------------------------------------------------------


def can_import_roll(user):
    """Roll cuts (Padrón / Lista Nominal) and their imports: INE's DERFE only."""
    return has_role(user, {Role.INE_DERFE})


def can_see_roll_statistics(user):
    """The Lista Nominal per section: DERFE and the OPL."""
    return can_import_roll(user) or is_opl_staff(user)


def can_use_sivople(user):
    """The SIVOPLE channel between the OPL and INE's liaison unit and areas."""
    return is_opl_staff(user) or has_role(user, INE_ROLES)


def is_liaison_unit(user):
    """UTVOPL: assigns consultations to INE areas and forwards their answers."""
    return has_role(user, {Role.INE_UTVOPL})


def is_ine_area(user):
    """A user of an INE area a consultation can be assigned to (an area or DERFE)."""
    return has_role(user, {Role.INE_AREA, Role.INE_DERFE})


def can_manage_working_days(user):
    """The calendar of non-working days: an OPL administrator for their entity, UTVOPL for the
    national days."""
    return can_administer(user) or is_liaison_unit(user)


# Accounts -----------------------------------------------------------------------------------------


def mfa_required(user):
    """Whether the user must sign in with two-step verification (TOTP). In debug mode (the demo)
    it is offered to everyone and required of nobody."""
    if not settings.APOYO_MFA_REQUIRED or not signed_in(user):
        return False
    return user.is_superuser or user.role in MFA_ROLES


def is_staff_account(user):
    """OPL and INE staff (and superusers), whose sessions expire sooner when idle."""
    return user.is_superuser or user.role in OPL_ROLES | INE_ROLES


def can_manage_staff(user):
    """Staff accounts of the entity, and the aspirants' and auxiliaries' accounts: activation and
    password links, never passwords."""
    return can_administer(user)


def can_read_audit_log(user):
    """The bitácora of the entity's users."""
    return can_administer(user)


# For templates --------------------------------------------------------------------------------------

# The user-level policies a template may ask: {% if can.review %}.
TEMPLATE_POLICIES = {
    "capture": can_capture,
    "review": can_review,
    "administer": can_administer,
    "resolve_hearings": can_resolve_hearings,
    "opl": is_opl_staff,
    "aspirant": is_aspirant,
    "import_roll": can_import_roll,
    "see_roll_statistics": can_see_roll_statistics,
    "use_sivople": can_use_sivople,
    "liaison_unit": is_liaison_unit,
    "ine_area": is_ine_area,
    "manage_working_days": can_manage_working_days,
    "manage_staff": can_manage_staff,
    "read_audit_log": can_read_audit_log,
}


class UserPolicies:
    """The policies of one user, read as attributes by templates and computed when read."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name):
        policy = TEMPLATE_POLICIES.get(name)
        if policy is None:
            raise AttributeError(name)
        return policy(self._user)

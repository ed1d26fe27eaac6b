"""Who may do what in SIVOPLE: the rules about one consultation, built on the role-level policies
of apoyo.accounts.policies.

Each rule is asked twice with the same function: by the page, to show or hide a button (the flag
comes from here, see detail.py), and by the service before it acts (through the matching
`require_*`), so a button is never offered for a step the service would refuse. Whether the
folio's *state* allows a step is the workflow's question (the `*_blocked` functions), not this
module's.

A superuser passes every role-level policy (accounts.policies), so here they are the liaison unit
and the OPL of every entity too. Belonging to an area, or heading it, is a row of AreaMember that
no role grants, so a superuser answers or approves only for an area they were added to.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from apoyo.accounts.models import INE_ROLES, Role
from apoyo.accounts.policies import in_state, is_ine_area, is_liaison_unit, is_opl_staff

# The roles is_ine_area admits, as a lookup: who may be made a member of an area.
MAY_JOIN_AN_AREA = Q(role__in=[Role.INE_AREA, Role.INE_DERFE])
# Whom to tell as the liaison unit or as an OPL's administration: the staff of those roles (a
# superuser passes the policies but is nobody's correspondent).
LIAISON_UNIT_STAFF = Q(role=Role.INE_UTVOPL)
OPL_ADMINISTRATORS = Q(role=Role.OPL_ADMIN)


class NotAllowed(PermissionDenied):
    """A step the user's role or area does not allow; the message is for the user."""


# Where the user works --------------------------------------------------------------------------------

LIAISON_UNIT, AREA, OPL = "liaison_unit", "area", "opl"


def desk(user):
    """The user's desk, which decides what they see and what waits for them in the inbox: the
    liaison unit (every folio), an INE area (what is assigned to its areas), an OPL (its entity's
    folios), or None outside SIVOPLE. Asked in this order, so a superuser sits at the unit's."""
    if is_liaison_unit(user):
        return LIAISON_UNIT
    if is_ine_area(user):
        return AREA
    if is_opl_staff(user):
        return OPL
    return None


def sees_every_entity(user):
    """UTVOPL and the areas receive folios of every OPL; an OPL only ever sees its own entity."""
    return desk(user) in {LIAISON_UNIT, AREA}


def sees_internal_work(user):
    """INE's internal work on a folio (UTVOPL's instructions, the areas' drafts and returned
    answers, who drafted them, reassignment reasons) is for INE; the OPL reads the answer once it
    is forwarded."""
    return is_liaison_unit(user) or is_ine_area(user)


def reads_for_ine(user):
    """Whose opening of a folio is INE's read receipt for the OPL: the staff of UTVOPL and of the
    areas by their role (a superuser passes the policies but reads for nobody)."""
    return sees_internal_work(user) and user.role in INE_ROLES


# Who the user is to a consultation ---------------------------------------------------------------


def is_opl_of(user, consultation):
    """OPL staff of the entity that registered the consultation."""
    return is_opl_staff(user) and in_state(user, consultation.state_id)


def is_member(user, area):
    """A user of an INE area role listed among the area's members."""
    return is_ine_area(user) and user.area_memberships.filter(area=area).exists()


def is_head(user, area):
    """The area's titular, who approves its answers."""
    return is_ine_area(user) and user.area_memberships.filter(area=area, is_head=True).exists()


# The steps -----------------------------------------------------------------------------------------


def can_register(user):
    """OPL staff with their entity: the folio is numbered per type, entity and year (DOMAIN.md,
    SIVOPLE), so an account without an entity has no series to number in."""
    return is_opl_staff(user) and user.state_id is not None


def can_assign(user):
    """UTVOPL turns consultations to INE areas and moves them from one area to another."""
    return is_liaison_unit(user)


def can_forward(user):
    """UTVOPL forwards an approved answer to the OPL or returns it to its area: answers reach the
    OPL only through the liaison unit (DOMAIN.md, SIVOPLE)."""
    return is_liaison_unit(user)


def can_answer(user, assignment):
    """Any user of the assigned area drafts and edits its answer."""
    return is_member(user, assignment.area)


def can_approve(user, answer):
    """Only the head of the answering area approves its answer."""
    return is_head(user, answer.area)


def can_follow_up(user, consultation):
    """The OPL that registered the consultation asks further on the same folio."""
    return is_opl_of(user, consultation)


def can_close(user, consultation):
    """The OPL that registered the consultation, or UTVOPL."""
    return is_liaison_unit(user) or is_opl_of(user, consultation)


def closes_at_any_time(user):
    """UTVOPL closes a folio whatever its state (a document sent for INE's knowledge needs no
    answer); the OPL only once it has the answer."""
    return is_liaison_unit(user)


# The same rules, refusing with the user's reason ------------------------------------------------------


def require_can_register(user):
    _require(can_register(user), "Solo el personal de un OPL registra consultas y documentos.")


def require_can_assign(user):
    _require(can_assign(user), "Solo la UTVOPL puede turnar consultas a las áreas.")


def require_can_reassign(user):
    _require(can_assign(user), "Solo la UTVOPL puede reasignar consultas.")


def require_can_forward(user):
    _require(can_forward(user), "Solo la UTVOPL puede remitir respuestas al OPL.")


def require_can_return(user):
    _require(can_forward(user), "Solo la UTVOPL puede devolver respuestas a las áreas.")


def require_can_answer(user, assignment):
    _require(
        can_answer(user, assignment),
        f"Solo los usuarios del área {assignment.area.code} responden por ella.",
    )


def require_can_approve(user, answer):
    _require(
        can_approve(user, answer),
        f"Solo el titular del área {answer.area.code} aprueba sus respuestas.",
    )


def require_can_follow_up(user, consultation):
    _require(
        can_follow_up(user, consultation),
        "Solo el OPL que registró la consulta puede pedir un seguimiento.",
    )


def require_can_close(user, consultation):
    _require(
        can_close(user, consultation),
        "Solo el OPL que registró la consulta o la UTVOPL pueden concluirla.",
    )


def _require(allowed, refusal):
    if not allowed:
        raise NotAllowed(refusal)

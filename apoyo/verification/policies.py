"""Who may do what with the compulsa, the results, the garantía de audiencia and the dictamen.

Every question takes the user and, optionally, the object it is about. Without the object it is
the role-level question ("may this role open hearing windows at all?"): views enforce it through
PolicyRequiredMixin and templates show a button with it. With the object it adds the rule of
that object (the office's entity, the aspirant's own office): services call it before acting.
The role-level answers come from apoyo.accounts.policies, where superusers pass every policy;
what a user may *see* of a table is still decided by scoping (visible_to).
"""

from apoyo.accounts import policies as roles
from apoyo.accounts.models import OPL_ROLES, User


def office_state(office):
    return office.process.state_id


def works_on(user, office):
    """Whether the office is of the user's entity (superusers: every office)."""
    return roles.in_state(user, office_state(office))


def administers(user, office=None):
    """An OPL administrator, of the office's entity when an office is given. The OPL's acts on an
    office (a compulsa, its garantía de audiencia, its dictamen) are the administrator's."""
    return roles.can_administer(user) and (office is None or works_on(user, office))


# Results and the compulsa ---------------------------------------------------------------------------


def can_see_results(user, office=None):
    """The OPL's pages of an office: its preliminary results and exports, its compulsas, its
    hearing requests and its dictámenes (every OPL role of the office's entity). The aspirant sees
    only their own results, in the portal (DOMAIN.md step 5)."""
    return roles.is_opl_staff(user) and (office is None or works_on(user, office))


def can_run_check(user, office=None):
    """Start the compulsa of an office (LGIPE 385; DOMAIN.md step 3)."""
    return administers(user, office)


def can_use_ine_route(user, office=None):
    """Export an office's supports for INE and import INE's answer: the compulsa without the roll
    (DOMAIN.md step 3, the traditional route)."""
    return administers(user, office)


# Garantía de audiencia ------------------------------------------------------------------------------


def can_open_hearing_window(user, office=None):
    """Open the garantía de audiencia of an office (DOMAIN.md step 6)."""
    return administers(user, office)


def can_resolve_hearing_request(user, hearing_request=None):
    """Resolve an aspirant's hearing request: an OPL administrator or reviewer of the entity of
    the aspirant's office; never the aspirant."""
    if not roles.can_resolve_hearings(user):
        return False
    return hearing_request is None or works_on(user, hearing_request.aspirant.office)


def hearing_resolvers(state_id):
    """The active users of an entity who may resolve its hearing requests (they are told of each
    new one)."""
    staff = User.objects.filter(is_active=True, state_id=state_id, role__in=OPL_ROLES)
    return [user for user in staff.order_by("pk") if roles.can_resolve_hearings(user)]


def own_aspirant(user):
    """The aspirant whose portal account this is, or None."""
    if not roles.is_aspirant(user):
        return None
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default applies.
    return getattr(user, "aspirant", None)


def can_file_hearing_request(user, window=None):
    """File a hearing request: only the aspirant's own portal account, and only in a window of
    the aspirant's office (whether the window is open that day is the service's rule)."""
    aspirant = own_aspirant(user)
    return aspirant is not None and (window is None or aspirant.office_id == window.office_id)


def can_see_hearing_evidence(user):
    """Evidence filed in a hearing; which files, scoping decides (the OPL of the entity and the
    aspirant who filed them)."""
    return roles.can_see_hearing_evidence(user)


# Dictamen -------------------------------------------------------------------------------------------


def can_issue_ruling(user, office=None):
    """Generate the dictamen of an office (DOMAIN.md step 7)."""
    return administers(user, office)

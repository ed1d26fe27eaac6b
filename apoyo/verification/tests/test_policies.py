"""Who may do what with the compulsa, the results, the garantía de audiencia and the dictamen
(verification.policies): each question without its object (the role) and with it (the entity of
the office, the aspirant's own office)."""

import pytest

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user
from apoyo.verification import policies
from apoyo.verification.models import HearingRequest, HearingWindow

pytestmark = pytest.mark.django_db

OPL = [Role.OPL_ADMIN, Role.OPL_REVIEWER, Role.OPL_CAPTURIST]
INE = [Role.INE_DERFE, Role.INE_UTVOPL, Role.INE_AREA]
# The OPL administrator's acts on an office: one rule, asked under each act's name.
ADMINISTRATOR_ACTS = [
    policies.can_run_check,
    policies.can_use_ine_route,
    policies.can_open_hearing_window,
    policies.can_issue_ruling,
]


@pytest.fixture
def office():
    return make_office()  # of Sonora (26)


@pytest.fixture
def other_office():
    return make_office(make_process(state_number=14))


def superuser(state_number=14):
    return make_user("", state_number=state_number, is_superuser=True)


# The administrator's acts ------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ADMINISTRATOR_ACTS)
def test_an_administrator_acts_on_the_offices_of_their_entity_only(policy, office, other_office):
    admin = make_user(Role.OPL_ADMIN)
    assert policy(admin) and policy(admin, office)
    assert not policy(admin, other_office)


@pytest.mark.parametrize("policy", ADMINISTRATOR_ACTS)
@pytest.mark.parametrize("role", [Role.OPL_REVIEWER, Role.OPL_CAPTURIST, Role.ASPIRANT, *INE])
def test_no_other_role_acts_as_the_administrator(policy, role, office):
    user = make_user(role)
    assert not policy(user)
    assert not policy(user, office)


@pytest.mark.parametrize("policy", ADMINISTRATOR_ACTS)
def test_an_inactive_or_entityless_administrator_acts_on_nothing(policy, office):
    assert not policy(make_user(Role.OPL_ADMIN, is_active=False), office)
    assert not policy(make_user(Role.OPL_ADMIN, state_id=None))


@pytest.mark.parametrize("policy", ADMINISTRATOR_ACTS)
def test_a_superuser_acts_on_every_office(policy, office, other_office):
    user = superuser()
    assert policy(user) and policy(user, office) and policy(user, other_office)


# Results ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OPL)
def test_every_opl_role_sees_the_results_of_its_entity(role, office, other_office):
    user = make_user(role)
    assert policies.can_see_results(user) and policies.can_see_results(user, office)
    assert not policies.can_see_results(user, other_office)


@pytest.mark.parametrize("role", [Role.ASPIRANT, Role.AUXILIARY, *INE])
def test_aspirants_auxiliaries_and_ine_do_not_see_the_opl_results(role, office):
    user = make_user(role)
    assert not policies.can_see_results(user)
    assert not policies.can_see_results(user, office)


def test_a_superuser_sees_every_offices_results(office, other_office):
    assert policies.can_see_results(superuser(), office)
    assert policies.can_see_results(superuser(), other_office)


# Resolving a hearing request -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPL_ADMIN, Role.OPL_REVIEWER])
def test_administrators_and_reviewers_resolve_hearing_requests_of_their_entity(
    role, office, other_office
):
    user = make_user(role)
    own = HearingRequest(aspirant=make_aspirant(office))
    foreign = HearingRequest(aspirant=make_aspirant(other_office))
    assert policies.can_resolve_hearing_request(user)
    assert policies.can_resolve_hearing_request(user, own)
    assert not policies.can_resolve_hearing_request(user, foreign)


@pytest.mark.parametrize("role", [Role.OPL_CAPTURIST, Role.ASPIRANT, Role.AUXILIARY, *INE])
def test_no_other_role_resolves_a_hearing_request(role, office):
    user = make_user(role)
    hearing_request = HearingRequest(aspirant=make_aspirant(office))
    assert not policies.can_resolve_hearing_request(user)
    assert not policies.can_resolve_hearing_request(user, hearing_request)


def test_the_aspirant_never_resolves_their_own_hearing_request(office):
    aspirant = make_aspirant(office, with_user=True)
    assert not policies.can_resolve_hearing_request(
        aspirant.user, HearingRequest(aspirant=aspirant)
    )


def test_a_superuser_resolves_any_hearing_request(other_office):
    hearing_request = HearingRequest(aspirant=make_aspirant(other_office))
    assert policies.can_resolve_hearing_request(superuser(state_number=26), hearing_request)


def test_the_resolvers_told_of_a_new_hearing_request_are_those_who_may_resolve_it():
    admin = make_user(Role.OPL_ADMIN)
    reviewer = make_user(Role.OPL_REVIEWER)
    make_user(Role.OPL_CAPTURIST)
    make_user(Role.OPL_REVIEWER, is_active=False)
    make_user(Role.OPL_ADMIN, state_number=14)
    make_user(Role.ASPIRANT)
    assert policies.hearing_resolvers(26) == [admin, reviewer]


# Filing a hearing request -----------------------------------------------------------------------


def test_the_aspirant_files_in_a_window_of_their_own_office_only(office):
    aspirant = make_aspirant(office, with_user=True)
    elsewhere = make_office(office.process)
    assert policies.own_aspirant(aspirant.user) == aspirant
    assert policies.can_file_hearing_request(aspirant.user)
    assert policies.can_file_hearing_request(aspirant.user, HearingWindow(office=office))
    assert not policies.can_file_hearing_request(aspirant.user, HearingWindow(office=elsewhere))


@pytest.mark.parametrize("role", [*OPL, Role.AUXILIARY, *INE])
def test_nobody_else_files_for_the_aspirant(role, office):
    user = make_user(role)
    assert policies.own_aspirant(user) is None
    assert not policies.can_file_hearing_request(user)
    assert not policies.can_file_hearing_request(user, HearingWindow(office=office))


def test_an_aspirant_account_without_an_aspirant_files_nothing(office):
    user = make_user(Role.ASPIRANT)
    assert policies.own_aspirant(user) is None
    assert not policies.can_file_hearing_request(user, HearingWindow(office=office))


def test_a_superuser_has_no_aspirant_to_file_for(office):
    assert not policies.can_file_hearing_request(superuser(), HearingWindow(office=office))


# Evidence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*OPL, Role.ASPIRANT])
def test_the_opl_and_aspirants_may_see_hearing_evidence(role):
    assert policies.can_see_hearing_evidence(make_user(role))


@pytest.mark.parametrize("role", [Role.AUXILIARY, *INE])
def test_auxiliaries_and_ine_may_not_see_hearing_evidence(role):
    assert not policies.can_see_hearing_evidence(make_user(role))

"""The object-level rules of SIVOPLE (liaison/policies.py), and the folio page asking the same ones
the services enforce."""

import pytest

from apoyo.accounts.models import Role
from apoyo.liaison import policies
from apoyo.liaison.answers import save_answer
from apoyo.liaison.detail import folio_page
from apoyo.liaison.tests.helpers import World, area, member
from apoyo.testing.factories import make_user


@pytest.fixture
def world(db):
    return World()


def test_an_opl_user_of_another_entity_may_neither_follow_up_nor_close(world):
    consultation, _ = world.answered()
    assert policies.is_opl_of(world.opl, consultation)
    assert policies.can_follow_up(world.opl_admin, consultation)
    assert not policies.is_opl_of(world.other_opl, consultation)
    assert not policies.can_follow_up(world.other_opl, consultation)
    assert not policies.can_close(world.other_opl, consultation)
    with pytest.raises(policies.NotAllowed, match="Solo el OPL que registró la consulta"):
        policies.require_can_follow_up(world.other_opl, consultation)


def test_an_area_user_may_answer_only_what_is_assigned_to_their_area(world):
    assignment = world.assigned("DERFE").assignments.get()
    assert policies.can_answer(world.derfe, assignment)
    assert policies.can_answer(world.derfe_head, assignment)
    for outsider in (world.deppp, world.utvopl, world.opl):
        assert not policies.can_answer(outsider, assignment)


def test_only_the_head_of_the_answering_area_approves(world):
    assignment = world.assigned("DERFE").assignments.get()
    answer = save_answer(world.derfe, assignment, "Proyecto.")
    assert policies.can_approve(world.derfe_head, answer)
    assert not policies.can_approve(world.derfe, answer)
    deppp_head = member("DEPPP", is_head=True)
    assert not policies.can_approve(deppp_head, answer)


def test_utvopl_assigns_forwards_and_closes_at_any_time_and_nobody_else_does(world):
    consultation = world.register()
    assert policies.can_assign(world.utvopl) and policies.can_forward(world.utvopl)
    assert policies.can_close(world.utvopl, consultation)
    assert policies.closes_at_any_time(world.utvopl)
    for user in (world.opl_admin, world.derfe_head, world.deppp):
        assert not policies.can_assign(user) and not policies.can_forward(user)
    assert not policies.closes_at_any_time(world.opl_admin)


def test_only_ine_sees_the_internal_work_on_a_folio(world):
    assert policies.sees_internal_work(world.utvopl)
    assert policies.sees_internal_work(world.derfe)
    assert not policies.sees_internal_work(world.opl_admin)


def test_each_user_works_at_one_desk_and_an_aspirant_at_none(world):
    assert policies.desk(world.utvopl) == policies.LIAISON_UNIT
    assert policies.desk(world.derfe) == policies.AREA
    assert policies.desk(world.opl) == policies.OPL
    assert policies.desk(make_user(Role.ASPIRANT)) is None


def test_a_deactivated_user_may_do_nothing(world):
    consultation = world.register()
    world.utvopl.is_active = False
    world.opl.is_active = False
    assert not policies.can_assign(world.utvopl)
    assert policies.desk(world.utvopl) is None
    assert not policies.can_close(world.opl, consultation)


def test_registering_needs_an_opl_role_and_the_entity_that_numbers_the_folio(world):
    assert policies.can_register(world.opl)
    assert not policies.can_register(world.utvopl)
    assert not policies.can_register(make_user(is_superuser=True, role="", state_id=None))
    assert policies.can_register(make_user(is_superuser=True, role="", state_number=26))


def test_a_superuser_passes_the_role_rules_but_answers_only_for_an_area_they_belong_to(world):
    consultation = world.assigned("DERFE")
    assignment = consultation.assignments.get()
    superuser = make_user(is_superuser=True, role="", state_id=None)
    assert policies.can_assign(superuser) and policies.can_follow_up(superuser, consultation)
    assert not policies.can_answer(superuser, assignment)
    area("DERFE").members.create(user=superuser)
    assert policies.can_answer(superuser, assignment)


def test_the_folio_page_offers_each_user_the_steps_the_services_accept(world):
    consultation = world.assigned("DERFE")
    answer = save_answer(world.derfe, consultation.assignments.get(), "Proyecto.")

    def offered(user):
        page = folio_page(user, consultation)
        (row,) = page["assignments"]
        answers = {a.pk: a for a in page["answers"]}
        mine = answers.get(answer.pk)
        return {
            "assign": page["may_assign"],
            "answer": row.can_answer,
            "reassign": row.can_reassign,
            "approve": bool(mine and mine.can_approve),
            "forward": bool(mine and mine.can_forward),
        }

    assert offered(world.derfe) == {
        "assign": False,
        "answer": True,
        "reassign": False,
        "approve": False,
        "forward": False,
    }
    assert offered(world.derfe_head)["approve"]
    # The draft is not UTVOPL's yet: it may route the folio but has nothing to forward.
    assert offered(world.utvopl) == {
        "assign": True,
        "answer": False,
        "reassign": True,
        "approve": False,
        "forward": False,
    }
    assert not any(offered(world.opl).values())

"""Assignment to INE areas: due dates in working days, reassignment with a reason, status."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.assignments import assign, reassign
from apoyo.liaison.models import Event, EventKind, Status
from apoyo.liaison.policies import NotAllowed
from apoyo.liaison.tests.helpers import World, area, doc_type
from apoyo.liaison.workflow import WorkflowError, close
from apoyo.processes.models import Holiday

SONORA = ZoneInfo("America/Hermosillo")
MONDAY_1_JUNE_2020 = datetime.datetime(2020, 6, 1, 19, 8, tzinfo=SONORA)
FRIDAY_5_JUNE_2020 = datetime.datetime(2020, 6, 5, 9, 0, tzinfo=SONORA)


@pytest.fixture
def world(db):
    return World()


def test_due_date_counts_working_days_from_the_day_after_the_assignment(world):
    consultation = world.register()
    (assignment,) = assign(world.utvopl, consultation, [area()], now=MONDAY_1_JUNE_2020)
    # CONSULTA: 10 working days from Tuesday 2 June: 2-5, 8-12, 15 June.
    assert assignment.due_date == datetime.date(2020, 6, 15)


def test_due_date_skips_national_holidays_but_not_an_entitys_own(world):
    Holiday.objects.create(date=datetime.date(2020, 6, 3), name="Inhábil INE")
    Holiday.objects.create(date=datetime.date(2020, 6, 4), name="Inhábil IEE", state_id=26)
    consultation = world.register()
    (assignment,) = assign(world.utvopl, consultation, [area()], now=MONDAY_1_JUNE_2020)
    assert assignment.due_date == datetime.date(2020, 6, 16)


def test_due_days_are_configured_per_type_and_weekends_are_skipped(world):
    documento = doc_type("DOCUMENTO")
    documento.due_days = 3
    documento.save()
    consultation = world.register(code="DOCUMENTO")
    (assignment,) = assign(world.utvopl, consultation, [area()], now=FRIDAY_5_JUNE_2020)
    # Counted from Monday 8 June (Saturday and Sunday skipped): 8, 9, 10.
    assert assignment.due_date == datetime.date(2020, 6, 10)


def test_assigning_to_several_areas_with_an_instruction_records_each_in_the_timeline(world):
    consultation = world.register(now=MONDAY_1_JUNE_2020)
    assignments = assign(
        world.utvopl,
        consultation,
        [area("DERFE"), area("DEPPP")],
        instruction="Atender en conjunto.",
        now=MONDAY_1_JUNE_2020,
    )
    consultation.refresh_from_db()
    assert consultation.status == Status.ASSIGNED
    assert [a.area.code for a in assignments] == ["DERFE", "DEPPP"]
    assert all(a.instruction == "Atender en conjunto." for a in assignments)
    kinds = list(consultation.events.values_list("kind", "area__code"))
    assert kinds == [
        ("registered", None),
        ("assigned", "DERFE"),
        ("assigned", "DEPPP"),
        ("notified", "DERFE"),
        ("notified", "DEPPP"),
    ]


def test_only_utvopl_assigns(world):
    consultation = world.register()
    for user in (world.opl, world.derfe_head, world.opl_admin):
        with pytest.raises(NotAllowed, match="Solo la UTVOPL"):
            assign(user, consultation, [area()])
    assert not consultation.assignments.exists()


def test_an_area_is_assigned_once_and_a_closed_folio_not_at_all(world):
    consultation = world.assigned()
    with pytest.raises(WorkflowError, match="ya está turnada a DERFE"):
        assign(world.utvopl, consultation, [area()])
    with pytest.raises(WorkflowError, match="al menos un área"):
        assign(world.utvopl, consultation, [])
    close(world.utvopl, consultation)
    with pytest.raises(WorkflowError, match="concluida"):
        assign(world.utvopl, consultation, [area("DEPPP")])


def test_an_inactive_area_cannot_receive_assignments(world):
    deoe = area("DEOE")
    deoe.active = False
    deoe.save()
    with pytest.raises(WorkflowError, match="no está activa"):
        assign(world.utvopl, world.register(), [deoe])


def test_reassignment_ends_the_old_turn_with_its_reason_and_gives_a_new_due_date(world):
    consultation = world.register()
    (old,) = assign(world.utvopl, consultation, [area()], now=MONDAY_1_JUNE_2020)
    new = reassign(
        world.utvopl, old, area("DEPPP"), "Corresponde a prerrogativas.", now=FRIDAY_5_JUNE_2020
    )
    old.refresh_from_db()
    assert not old.active and old.end_reason == "Corresponde a prerrogativas."
    assert old.ended_by == world.utvopl
    assert new.active and new.area.code == "DEPPP"
    assert new.due_date == datetime.date(2020, 6, 19)  # 10 working days from Monday 8 June
    event = Event.objects.get(kind=EventKind.REASSIGNED)
    assert "De DERFE a" in event.detail and "Corresponde a prerrogativas." in event.detail


def test_reassignment_needs_utvopl_a_reason_and_another_area(world):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    with pytest.raises(NotAllowed):
        reassign(world.derfe_head, assignment, area("DEPPP"), "Motivo")
    with pytest.raises(WorkflowError, match="motivo"):
        reassign(world.utvopl, assignment, area("DEPPP"), "  ")
    with pytest.raises(WorkflowError, match="distinta"):
        reassign(world.utvopl, assignment, area("DERFE"), "Motivo")
    reassign(world.utvopl, assignment, area("DEPPP"), "Motivo")
    with pytest.raises(WorkflowError, match="ya no está vigente"):
        reassign(world.utvopl, assignment, area("DEOE"), "Otra vez")


def test_status_follows_the_assignments_and_answers(world):
    consultation = world.register()
    assert consultation.status == Status.REGISTERED
    derfe, deppp = assign(world.utvopl, consultation, [area("DERFE"), area("DEPPP")])
    consultation.refresh_from_db()
    assert consultation.status == Status.ASSIGNED

    first = save_answer(world.derfe, derfe, "Respuesta DERFE")
    approve_answer(world.derfe_head, first)
    consultation.refresh_from_db()
    assert consultation.status == Status.ASSIGNED  # DEPPP has not answered

    forward_answer(world.utvopl, first)
    deppp_head = world.deppp
    deppp.area.members.filter(user=deppp_head).update(is_head=True)
    second = save_answer(deppp_head, deppp, "Respuesta DEPPP")
    approve_answer(deppp_head, second)
    consultation.refresh_from_db()
    assert consultation.status == Status.ANSWERED

    forward_answer(world.utvopl, second)
    consultation.refresh_from_db()
    assert consultation.status == Status.FORWARDED

"""The folio's thread: the consultation, INE's answers and the OPL's follow-ups in time order, the
OPL's read receipt, INE's oficio number on an answer, and forms that validate in Spanish."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.detail import thread
from apoyo.liaison.models import Consultation, Event, EventKind, FollowUp
from apoyo.liaison.tests.helpers import World, area
from apoyo.liaison.workflow import ask_follow_up, mark_read
from apoyo.testing.factories import make_user

SONORA = ZoneInfo("America/Hermosillo")


def at(day, hour):
    return datetime.datetime(2020, 6, day, hour, 0, tzinfo=SONORA)


@pytest.fixture
def world(db):
    return World()


def page_of(client, user, consultation):
    client.force_login(user)
    response = client.get(reverse("liaison:detail", args=[consultation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def answer_round(world, assignment, text, drafted, forwarded):
    answer = save_answer(world.derfe, assignment, text, now=drafted)
    approve_answer(world.derfe_head, answer, now=drafted)
    forward_answer(world.utvopl, answer, now=forwarded)
    return answer


def question_answer_follow_up_answer(world):
    """A consultation answered, followed up by the OPL and answered again, on known days."""
    consultation = world.assigned(now=at(1, 9))
    assignment = consultation.assignments.get()
    answer_round(world, assignment, "Primera respuesta de la DERFE.", at(3, 10), at(3, 12))
    ask_follow_up(world.opl, consultation, "Seguimiento: ¿y la carga masiva?", now=at(5, 9))
    assignment.refresh_from_db()
    answer_round(world, assignment, "Segunda respuesta de la DERFE.", at(8, 10), at(8, 12))
    return consultation


def test_the_folio_page_reads_in_time_order_with_follow_ups_between_answers(world, client):
    consultation = question_answer_follow_up_answer(world)
    for user in (world.opl, world.utvopl):
        page = page_of(client, user, consultation)
        order = [
            page.index("Hilo de la consulta"),
            page.index(consultation.description),
            page.index("Primera respuesta de la DERFE."),
            page.index("Seguimiento: ¿y la carga masiva?"),
            page.index("Segunda respuesta de la DERFE."),
        ]
        assert order == sorted(order)


def test_the_thread_places_an_answer_when_it_reached_the_opl_and_a_draft_when_written(world):
    consultation = question_answer_follow_up_answer(world)
    answers = list(consultation.answers.order_by("pk"))
    entries = thread(answers, list(consultation.follow_ups.all()))
    assert [entry["kind"] for entry in entries] == ["answer", "follow_up", "answer"]
    assert [entry["at"] for entry in entries] == [at(3, 12), at(5, 9), at(8, 12)]


def test_ine_opening_the_folio_is_the_opl_read_receipt(world, client):
    consultation = world.register()
    assert "El INE aún no la abre" in page_of(client, world.opl, consultation)
    consultation.refresh_from_db()
    assert consultation.ine_read_at is None  # the OPL's own opening is no receipt

    page_of(client, world.utvopl, consultation)
    consultation.refresh_from_db()
    first = consultation.ine_read_at
    assert first is not None and consultation.ine_read_by == world.utvopl
    page_of(client, world.utvopl, consultation)  # a second opening changes nothing
    consultation.refresh_from_db()
    assert consultation.ine_read_at == first
    assert Event.objects.filter(consultation=consultation, kind=EventKind.READ).count() == 1

    opl_page = page_of(client, world.opl, consultation)
    local = first.astimezone(SONORA)
    assert f"Leída por el INE el {local:%d/%m/%Y %H:%M}" in opl_page


def test_each_follow_up_gets_its_own_receipt_when_the_area_opens_the_folio(world, client):
    consultation, _answer = world.answered()
    follow_up = ask_follow_up(world.opl, consultation, "¿Y los auxiliares?")
    assert "El INE aún no lo abre" in page_of(client, world.opl, consultation)
    page_of(client, world.derfe, consultation)
    follow_up.refresh_from_db()
    assert follow_up.ine_read_at is not None
    assert "Leído por el INE el" in page_of(client, world.opl, consultation)


def test_a_superuser_opening_a_folio_reads_for_nobody(world):
    consultation = world.register()
    admin = make_user(Role.OPL_ADMIN, state_number=26, is_superuser=True)
    assert not mark_read(admin, consultation)
    assert not mark_read(world.opl, consultation)
    assert Consultation.objects.get(pk=consultation.pk).ine_read_at is None
    assert mark_read(world.derfe, consultation)
    assert not FollowUp.objects.exists()


def test_the_answer_carries_ine_oficio_number_to_the_opl(world, client, mailoutbox):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    client.force_login(world.derfe)
    response = client.post(
        reverse("liaison:answer", args=[assignment.pk]),
        {"text": "Respuesta con oficio.", "ine_folio": " INE/DERFE/0452/2020 "},
    )
    assert response.status_code == 302
    answer = assignment.answers.get()
    assert answer.ine_folio == "INE/DERFE/0452/2020"
    approve_answer(world.derfe_head, answer)
    forward_answer(world.utvopl, answer)
    assert "INE/DERFE/0452/2020" in page_of(client, world.opl, consultation)
    to_opl = [m for m in mailoutbox if m.subject.startswith("[SIVOPLE] Respuesta del INE")]
    assert to_opl and "con el oficio INE/DERFE/0452/2020" in to_opl[0].body


def test_the_oficio_number_is_optional_and_kept_when_the_answer_is_edited(world):
    assignment = world.assigned().assignments.get()
    answer = save_answer(world.derfe, assignment, "Proyecto.")
    assert answer.ine_folio == ""
    answer = save_answer(world.derfe, assignment, "Proyecto corregido.", ine_folio="INE/1/2020")
    assert (answer.text, answer.ine_folio) == ("Proyecto corregido.", "INE/1/2020")


def test_forms_leave_validation_to_the_server_in_spanish(world, client):
    client.force_login(world.opl)
    form_page = client.get(reverse("liaison:register")).content.decode()
    assert "novalidate" in form_page
    response = client.post(reverse("liaison:register"), {"subject": "Sin tipo"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Este campo es obligatorio." in page
    assert "Please select" not in page

    consultation = world.assigned(area_code="DEPPP")
    client.force_login(world.utvopl)
    page = client.get(reverse("liaison:detail", args=[consultation.pk])).content.decode()
    forms = [chunk for chunk in page.split("<form")[1:] if "csrfmiddlewaretoken" in chunk]
    with_fields = [f for f in forms.copy() if "<textarea" in f or "<select" in f]
    assert with_fields and all("novalidate" in f.split(">")[0] for f in with_fields)
    response = client.post(
        reverse("liaison:reassign", args=[consultation.assignments.get().pk]),
        {f"r{consultation.assignments.get().pk}-reason": "Sin área"},
    )
    assert response.status_code == 400
    assert "Este campo es obligatorio." in response.content.decode()
    assert area("DEPPP") == consultation.assignments.get().area

"""The SIVOPLE thread in the system Chromium: question, answer, follow-up and second answer read
from top to bottom in the order they happened, with the OPL's read receipt."""

import datetime
import os
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.assignments import assign
from apoyo.liaison.models import Assignment
from apoyo.liaison.tests.helpers import World, area
from apoyo.liaison.workflow import ask_follow_up, mark_read
from apoyo.testing.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SONORA = ZoneInfo("America/Hermosillo")


def at(day, hour):
    return datetime.datetime(2020, 6, day, hour, 0, tzinfo=SONORA)


def answered_twice(world):
    consultation = world.register(
        subject="Captura de cédulas en papel",
        description="¿El sistema del INE permite capturar las cédulas en papel?",
        now=at(1, 9),
    )
    mark_read(world.utvopl, consultation, now=at(1, 10))
    assign(world.utvopl, consultation, [area("DERFE")], now=at(1, 11))
    assignment = consultation.assignments.get()
    for text, day, follow_up in (
        ("Sí: el portal del OPL tiene un módulo de captura manual.", 3, "¿Y la carga masiva?"),
        ("No existe un módulo de carga masiva.", 8, None),
    ):
        answer = save_answer(world.derfe, assignment, text, now=at(day, 10))
        approve_answer(world.derfe_head, answer, now=at(day, 11))
        forward_answer(world.utvopl, answer, now=at(day, 12))
        if follow_up:
            ask_follow_up(world.opl, consultation, follow_up, now=at(day + 2, 9))
            mark_read(world.derfe, consultation, now=at(day + 2, 10))
            assignment.refresh_from_db()
    return consultation


def test_the_opl_reads_question_answer_follow_up_and_second_answer_in_order(
    page, live_server, artifacts_dir
):
    world = World()
    consultation = answered_twice(world)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, world.opl.username)
    page.goto(f"{live_server.url}/sivople/consultas/{consultation.pk}/")

    thread = page.locator("section[aria-labelledby='hilo'] > article")
    expect(thread).to_have_count(4)
    labels = thread.evaluate_all("items => items.map(item => item.getAttribute('aria-label'))")
    assert labels == [
        "Consulta del OPL",
        "Respuesta de DERFE del 03/06/2020 12:00",
        "Seguimiento del OPL del 05/06/2020 09:00",
        "Respuesta de DERFE del 08/06/2020 12:00",
    ]
    tops = [thread.nth(n).bounding_box()["y"] for n in range(4)]
    assert tops == sorted(tops)
    expect(thread.nth(0)).to_contain_text("Leída por el INE el 01/06/2020 10:00")
    expect(thread.nth(1)).to_contain_text("módulo de captura manual")
    expect(thread.nth(2)).to_contain_text("¿Y la carga masiva?")
    expect(thread.nth(2)).to_contain_text("Leído por el INE el 05/06/2020 10:00")
    expect(thread.nth(3)).to_contain_text("No existe un módulo de carga masiva.")
    page.locator("#hilo").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-hilo.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-hilo-390.png"), full_page=True)


def test_an_area_user_lands_on_the_inbox_with_days_left_in_words_and_colour(
    page, live_server, artifacts_dir
):
    world = World()
    soon = world.assigned(subject="Vence pronto")
    later = world.assigned(subject="Con tiempo")
    today = timezone.localdate()
    Assignment.objects.filter(consultation=soon).update(due_date=today)
    Assignment.objects.filter(consultation=later).update(due_date=today + timedelta(days=40))
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, live_server, world.derfe.username)
    expect(page).to_have_url(f"{live_server.url}/sivople/")
    rows = page.get_by_role("table", name="Por atender").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Vence pronto")
    expect(rows.nth(1)).to_contain_text("Por vencer vence hoy")
    expect(rows.nth(2)).to_contain_text("Con tiempo")
    expect(rows.nth(2)).to_contain_text("En plazo quedan")
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-bandeja-area.png"), full_page=True)

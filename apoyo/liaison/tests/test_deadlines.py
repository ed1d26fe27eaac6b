"""Deadlines as people read them: days left and a colour per state (always with words), the due
date kept once answered with whether it was in time, exports in local time, and the INE areas'
users starting from their inbox."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.deadlines import (
    DUE_SOON,
    ON_TIME,
    OVERDUE,
    answered_deadline,
    pending_deadline,
)
from apoyo.liaison.tests.helpers import World
from apoyo.testing.factories import make_user

SONORA = ZoneInfo("America/Hermosillo")
MONDAY = datetime.date(2021, 3, 1)


@pytest.fixture
def world(db):
    return World()


def days(n):
    return datetime.timedelta(days=n)


def test_a_pending_term_says_how_many_working_days_are_left_and_colours_its_state():
    on_time = pending_deadline(MONDAY + days(7), MONDAY, holidays={})
    assert on_time.label == "En plazo" and on_time.badge == ON_TIME
    assert on_time.detail == "quedan 5 días hábiles"
    # Wednesday is two working days after Monday; Friday's term seen on Thursday has one left.
    assert (
        pending_deadline(MONDAY + days(2), MONDAY, {}).text == "Por vencer: quedan 2 días hábiles"
    )
    assert pending_deadline(MONDAY + days(4), MONDAY + days(3), {}).detail == "queda 1 día hábil"
    due_today = pending_deadline(MONDAY, MONDAY, {})
    assert (due_today.label, due_today.detail, due_today.badge) == (
        "Por vencer",
        "vence hoy",
        DUE_SOON,
    )
    # A holiday on Tuesday leaves one working day before Wednesday's due date.
    holiday = {MONDAY + days(1): "Día inhábil"}
    assert pending_deadline(MONDAY + days(2), MONDAY, holiday).detail == "queda 1 día hábil"
    late = pending_deadline(MONDAY - days(3), MONDAY, {})
    assert (late.label, late.detail, late.badge) == ("Vencida", "hace 3 días", OVERDUE)


def test_an_answered_term_says_whether_it_was_answered_in_time():
    due = MONDAY
    on_time = answered_deadline(due, datetime.datetime(2021, 3, 1, 23, 30, tzinfo=SONORA))
    assert (on_time.label, on_time.badge) == ("Respondida en plazo", ON_TIME)
    late = answered_deadline(due, datetime.datetime(2021, 3, 2, 0, 30, tzinfo=SONORA))
    assert (late.label, late.badge) == ("Respondida fuera de plazo", OVERDUE)


def test_the_area_inbox_shows_days_left_with_colour_and_words(world, client):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    assignment.due_date = timezone.localdate() - days(2)
    assignment.save()
    client.force_login(world.derfe)
    page = client.get(reverse("liaison:inbox")).content.decode()
    table = page.split('aria-label="Por atender"')[1].split("</table>")[0]
    assert consultation.folio in table
    assert '<span class="badge fails">Vencida</span> <small>hace 2 días</small>' in table

    assignment.due_date = timezone.localdate() + days(40)
    assignment.save()
    page = client.get(reverse("liaison:inbox")).content.decode()
    assert '<span class="badge valid">En plazo</span> <small>quedan ' in page


def answer_on(world, consultation, due_date):
    """Answer and forward today, with the area's due date moved to `due_date`."""
    assignment = consultation.assignments.get()
    assignment.due_date = due_date
    assignment.save()
    answer = save_answer(world.derfe, assignment, "Respuesta.")
    approve_answer(world.derfe_head, answer)
    forward_answer(world.utvopl, answer)


def test_an_answered_folio_keeps_its_due_date_and_says_if_it_was_in_time(world, client):
    today = timezone.localdate()
    in_time = world.assigned(subject="A tiempo")
    answer_on(world, in_time, today + days(3))
    late = world.assigned(subject="Tarde")
    answer_on(world, late, today - days(3))
    client.force_login(world.utvopl)
    page = client.get(reverse("liaison:list")).content.decode()
    rows = {row.split("</tr>")[0] for row in page.split("<tr>")}
    row_in_time = next(row for row in rows if in_time.folio in row)
    row_late = next(row for row in rows if late.folio in row)
    assert f"{today + days(3):%d/%m/%Y}" in row_in_time and "Respondida en plazo" in row_in_time
    assert f"{today - days(3):%d/%m/%Y}" in row_late and "Respondida fuera de plazo" in row_late


def test_csv_export_writes_local_times_like_the_page_and_xlsx_keeps_the_due_date(world, client):
    registered = datetime.datetime(2020, 6, 1, 19, 8, tzinfo=SONORA)  # 02:08 of 2 June in UTC
    consultation = world.assigned(now=registered)
    answer_on(world, consultation, timezone.localdate() + days(1))
    due = consultation.assignments.get().due_date
    client.force_login(world.utvopl)
    response = client.get(reverse("liaison:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = text.strip().split("\n")
    assert header.endswith("Fecha límite,Plazo,Concluida")
    assert ",01/06/2020 19:08," in row and "2020-06-02" not in row
    assert row.endswith(f",{due:%d/%m/%Y},Respondida en plazo,")

    response = client.get(reverse("liaison:export", args=["xlsx"]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    header, row = sheet.to_python()[:2]
    assert row[header.index("Fecha y hora de registro")] == datetime.datetime(2020, 6, 1, 19, 8)
    assert row[header.index("Fecha límite")] == due
    assert row[header.index("Plazo")] == "Respondida en plazo"


def test_ine_area_users_land_on_their_sivople_inbox(world, client):
    # DERFE users who answer for an area start from SIVOPLE; one outside any area from the roll.
    for user in (world.derfe, world.derfe_head, world.deppp):
        client.force_login(user)
        assert client.get(reverse("home"))["Location"] == reverse("liaison:inbox")
    roll_only = make_user(Role.INE_DERFE)
    client.force_login(roll_only)
    assert client.get(reverse("home"))["Location"] == reverse("roll:imports")

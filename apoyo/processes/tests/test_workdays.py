from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apoyo.accounts.models import Role
from apoyo.processes.models import Holiday
from apoyo.processes.workdays import add_working_days, is_working_day, skipped_text, term_end
from apoyo.testing.factories import make_sections, make_user

MONDAY = date(2021, 2, 1)


def test_five_working_days_from_a_monday_end_on_friday():
    assert add_working_days(MONDAY, 5, set()) == date(2021, 2, 5)


def test_weekends_are_skipped():
    assert add_working_days(date(2021, 2, 4), 5, set()) == date(2021, 2, 10)


def test_a_start_on_saturday_moves_to_monday():
    assert add_working_days(date(2021, 2, 6), 1, set()) == date(2021, 2, 8)


def test_holidays_are_skipped():
    # 1 February 2021 was the Constitution Day holiday.
    assert add_working_days(MONDAY, 5, {MONDAY}) == date(2021, 2, 8)


def test_a_term_must_be_at_least_one_day():
    with pytest.raises(ValueError):
        add_working_days(MONDAY, 0, set())


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    days=st.integers(1, 40),
    holidays=st.sets(st.dates(date(2020, 1, 1), date(2031, 12, 31)), max_size=30),
)
def test_a_term_holds_exactly_the_asked_working_days(start, days, holidays):
    end = add_working_days(start, days, holidays)
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    assert sum(is_working_day(day, holidays) for day in span) == days
    assert is_working_day(end, holidays)


@pytest.mark.django_db
def test_term_end_uses_national_and_own_holidays_only():
    make_sections()
    # A week with no day of rest of the Ley Federal del Trabajo.
    monday = date(2021, 2, 8)
    Holiday.objects.create(date=date(2021, 2, 9), name="Nacional")
    Holiday.objects.create(date=date(2021, 2, 10), name="Sonora", state_id=26)
    Holiday.objects.create(date=date(2021, 2, 11), name="Otra entidad", state_id=1)
    assert term_end(monday, 3, state=26) == date(2021, 2, 12)
    assert term_end(monday, 3) == date(2021, 2, 11)


@pytest.mark.django_db
def test_christmas_and_new_year_are_not_working_days_without_anyone_loading_them():
    assert term_end(date(2026, 12, 24), 3) == date(2026, 12, 29)
    assert term_end(date(2026, 12, 31), 3) == date(2027, 1, 5)


@pytest.mark.django_db
def test_the_days_the_law_moves_to_a_monday_are_skipped():
    # LFT art. 74: first Monday of February, third Monday of March, third Monday of November.
    assert term_end(date(2027, 1, 29), 2) == date(2027, 2, 2)
    assert term_end(date(2027, 3, 12), 2) == date(2027, 3, 16)
    assert term_end(date(2027, 11, 12), 2) == date(2027, 11, 16)
    # 1 October when the federal executive changes (2030).
    assert term_end(date(2030, 9, 30), 2) == date(2030, 10, 2)


@pytest.mark.django_db
def test_a_deadline_says_which_days_it_skipped():
    text = skipped_text(date(2026, 12, 21), term_end(date(2026, 12, 21), 10))
    assert text == ("no cuentan sábados, domingos ni 25/12/2026 (Navidad), 01/01/2027 (Año Nuevo)")
    assert skipped_text(date(2021, 2, 8), date(2021, 2, 12)) == "no cuentan sábados ni domingos"


@pytest.mark.django_db
def test_an_administrators_own_day_adds_to_the_national_ones():
    make_sections()
    Holiday.objects.create(date=date(2026, 12, 24), name="Nochebuena", state_id=26)
    assert term_end(date(2026, 12, 23), 2, state=26) == date(2026, 12, 28)


@pytest.mark.django_db
def test_opl_admin_registers_holidays_of_their_own_entity(client):
    make_sections()
    client.force_login(make_user(Role.OPL_ADMIN))
    response = client.post(reverse("processes:holidays"), {"date": "2021-03-15", "name": "Juárez"})
    assert response.status_code == 302
    assert Holiday.objects.get().state_id == 26
    again = client.post(reverse("processes:holidays"), {"date": "2021-03-15", "name": "Otra"})
    assert "ya está registrado" in again.content.decode()


@pytest.mark.django_db
def test_utvopl_keeps_national_holidays_and_nobody_deletes_another_entitys(client):
    make_sections()
    other = Holiday.objects.create(date=date(2021, 2, 3), name="Otra", state_id=1)
    client.force_login(make_user(Role.INE_UTVOPL))
    client.post(reverse("processes:holidays"), {"date": "2021-02-01", "name": "Constitución"})
    assert Holiday.objects.get(name="Constitución").state is None
    client.force_login(make_user(Role.OPL_ADMIN))
    response = client.post(reverse("processes:holiday_delete", args=[other.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_capturists_cannot_manage_holidays(client):
    make_sections()
    client.force_login(make_user(Role.OPL_CAPTURIST))
    assert client.get(reverse("processes:holidays")).status_code == 403

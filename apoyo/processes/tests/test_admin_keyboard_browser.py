"""Keyboard only, in the system Chromium: the OPL administrator creates a cargo, and registers a día
inhábil and removes it, pressing only Tab, letters, digits and Enter after opening each page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apoyo.processes.models import Holiday, Office
from apoyo.testing.world import build_world
from apoyo.tests.test_keyboard_browser import DESKTOP, choose, keyboard_log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


def test_an_opl_admin_adds_and_removes_a_holiday_with_the_keyboard_only(keyboard_page, live_server):
    page = keyboard_page
    world = build_world()
    keyboard_log_in(page, live_server, world.home.admin.username)
    # Day and month the same number: the date field takes the digits in either order alike.
    day = datetime.date(timezone.localdate().year + 1, 5, 5)
    page.goto(live_server.url + reverse("processes:holidays"))

    tab_to(page, page.get_by_label("Fecha"))
    page.keyboard.type(day.strftime("%d%m%Y"))
    expect(page.get_by_label("Fecha")).to_have_value(day.isoformat())
    # Tab first walks the date's own parts (day, month, year), then moves on.
    tab_to(page, page.get_by_label("Descripción"), limit=4)
    page.keyboard.type("Día del teclado")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Día inhábil {day:%d/%m/%Y}")).to_be_visible()
    holiday = Holiday.objects.get(state__isnull=False, date=day)
    assert holiday.name == "Día del teclado"

    # Each row's button says which day it removes, so Tab lands on the right one.
    remove = page.get_by_role("button", name=f"Eliminar el día inhábil del {day:%d/%m/%Y}")
    tab_to(page, remove)
    page.keyboard.press("Enter")
    expect(remove).to_have_count(0)
    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def type_date(page, label, day):
    """Type a date whose day and month are the same number (either digit order reads alike)."""
    assert day.day == day.month
    field = page.get_by_label(label)
    tab_to(page, field)
    page.keyboard.type(day.strftime("%d%m%Y"))
    expect(field).to_have_value(day.isoformat())


def type_in(page, label, text):
    tab_to(page, page.get_by_label(label))
    page.keyboard.type(text)


def test_an_opl_admin_creates_a_cargo_with_the_keyboard_only(keyboard_page, live_server):
    page = keyboard_page
    world = build_world()
    process = world.home.process
    year = timezone.localdate().year + 1
    keyboard_log_in(page, live_server, world.home.admin.username)
    page.goto(live_server.url + reverse("processes:office_create", args=[process.pk]))
    expect(page.get_by_role("heading", name="Nuevo cargo")).to_be_visible()

    type_in(page, "Clave", "DIP-TECLADO")
    type_in(page, "Nombre", "Diputación por teclado")
    choose(page, "id_scope_type", "Entidad")
    type_date(page, "Inicio de la obtención de apoyo", datetime.date(year, 2, 2))
    type_date(page, "Fin de la obtención de apoyo", datetime.date(year, 4, 4))
    type_in(page, "Porcentaje de apoyo requerido", "3")
    choose(page, "id_dispersion_unit", "Municipio")
    type_in(page, "Unidades mínimas", "2")
    type_in(page, "Porcentaje mínimo por unidad", "1")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Cargo DIP-TECLADO guardado.")).to_be_visible()
    office = Office.objects.get(process=process, code="DIP-TECLADO")
    assert (office.scope_type, office.dispersion_unit, office.dispersion_min_units) == (
        "state",
        "municipality",
        2,
    )
    assert office.collection_end == datetime.date(year, 4, 4)

"""The aspirant's pre-capture with the keyboard alone, in the system Chromium: register a cédula
with its folio, date and scan (Space opens the file dialog) and capture a row, Tab between fields
and Enter to save. Locators only check where the focus is or what the page shows."""

import pytest
from playwright.sync_api import expect

from apoyo.supports.models import Support
from apoyo.testing.browser import choose_file_with_space
from apoyo.testing.factories import elector_key
from apoyo.testing.files import png
from apoyo.testing.world import build_world
from apoyo.tests.test_keyboard_browser import (
    follow_link,
    keyboard_log_in,
    tab_to,
    type_fields,
    unambiguous_date,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    yield context.new_page()
    context.close()


def test_the_aspirant_precaptures_a_cedula_with_the_keyboard_only(
    keyboard_page, live_server, tmp_path
):
    page = keyboard_page
    world = build_world()
    aspirant = world.aspirant.aspirant
    scan = tmp_path / "cedula-teclado.png"
    scan.write_bytes(png(300, 180, (230, 230, 210)))
    keyboard_log_in(page, live_server, world.aspirant.user.username)
    follow_link(page, "Registrar y capturar cédulas")
    expect(page.get_by_role("heading", name="Pre-captura de cédulas")).to_be_visible()

    tab_to(page, page.get_by_label("Número de referencia (folio de la cédula)"))
    page.keyboard.type("TECLADO-P1")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Fecha de la cédula")).to_be_focused()
    page.keyboard.type(unambiguous_date(aspirant.office).strftime("%d%m%Y"))
    tab_to(page, page.get_by_label("Escaneos de la cédula"))
    choose_file_with_space(page, scan)
    tab_to(page, page.get_by_role("button", name="Registrar cédula"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cédula TECLADO-P1")).to_be_visible()

    key = elector_key(940_101)
    tab_to(page, page.get_by_label("Nombre(s)"))
    type_fields(page, "ROSA", "LUNA", "PAZ", key, "1234567890123")
    expect(page.get_by_text(f"Apoyo de {key} guardado en la cédula TECLADO-P1")).to_be_visible()
    assert Support.objects.filter(aspirant=aspirant, elector_key=key).exists()

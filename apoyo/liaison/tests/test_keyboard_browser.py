"""SIVOPLE with the keyboard only, in the system Chromium: the OPL registers a consultation, UTVOPL
turns it to DERFE and a DERFE user drafts the answer with its oficio number, pressing only Tab,
Space, Enter and letters. Locators only check where the focus is or what the page shows."""

import pytest
from playwright.sync_api import expect

from apoyo.liaison.models import Answer, Consultation
from apoyo.liaison.tests.helpers import World
from apoyo.tests.test_keyboard_browser import choose, follow_link, keyboard_log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    yield context.new_page()
    context.close()


def sign_out(page):
    tab_to(page, page.get_by_role("button", name="Salir"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()


def register_by_keyboard(page):
    follow_link(page, "SIVOPLE")
    follow_link(page, "Registrar consulta o documento")
    expect(page.get_by_role("heading", name="Registrar consulta o documento")).to_be_visible()
    choose(page, "id_doc_type", "CONSULTA")
    for label, text in (
        ("Folio del documento del OPL", "IEE-PRESI-201-2020"),
        ("Asunto", "Cédulas con tachaduras"),
        ("Descripción", "¿Cuentan los apoyos de una cédula con tachaduras?"),
    ):
        page.keyboard.press("Tab")
        expect(page.get_by_label(label)).to_be_focused()
        page.keyboard.type(text)
    tab_to(page, page.get_by_role("button", name="Registrar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="CONSULTA/SON/")).to_be_visible()
    return Consultation.objects.get(opl_folio="IEE-PRESI-201-2020")


def test_a_consultation_is_registered_turned_and_answered_with_the_keyboard_only(
    keyboard_page, live_server
):
    page = keyboard_page
    world = World()
    keyboard_log_in(page, live_server, world.opl.username)
    consultation = register_by_keyboard(page)
    sign_out(page)

    # UTVOPL lands on its inbox, opens the new folio and turns it to DERFE (Space ticks the box).
    keyboard_log_in(page, live_server, world.utvopl.username)
    follow_link(page, consultation.folio)
    tab_to(page, page.get_by_role("checkbox", name="DERFE", exact=False))
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="DERFE", exact=False)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Turnar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Turnos a áreas")).to_contain_text("DERFE")
    sign_out(page)

    keyboard_log_in(page, live_server, world.derfe.username)
    follow_link(page, consultation.folio)
    follow_link(page, "Redactar respuesta de DERFE")
    tab_to(page, page.locator("#id_text"))
    page.keyboard.type("Cuentan si la clave de elector se lee completa.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Número de oficio del INE (opcional)")).to_be_focused()
    page.keyboard.type("INE/DERFE/0452/2020")
    tab_to(page, page.get_by_role("button", name="Guardar respuesta"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=consultation.folio)).to_be_visible()
    answer = Answer.objects.get(assignment__consultation=consultation)
    assert (answer.text, answer.ine_folio) == (
        "Cuentan si la clave de elector se lee completa.",
        "INE/DERFE/0452/2020",
    )

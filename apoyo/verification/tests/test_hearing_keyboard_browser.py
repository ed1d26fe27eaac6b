"""Keyboard only, in the system Chromium: the aspirant files a garantía de audiencia request and the
OPL administrator rules it, pressing only Tab, Shift+Tab, Space, Enter and letters after opening
each page. Locators only check where the focus is or what the page shows."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apoyo.testing.factories import PASSWORD
from apoyo.tests.test_keyboard_browser import DESKTOP, keyboard_log_in, tab_to
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import HearingRequest
from apoyo.verification.tests.hearing_data import build_hearing, opl

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


def press_on(page, target, key):
    tab_to(page, target)
    page.keyboard.press(key)


def test_a_hearing_request_is_filed_and_ruled_with_the_keyboard_only(keyboard_page, live_server):
    page = keyboard_page
    h = build_hearing()
    admin = opl(username="admin-audiencia", password=PASSWORD)
    hearings.open_window(admin, h.office, hearings.today())
    key = h.photocopy.elector_key

    # The aspirant: the menu, the support's checkbox, the argument and the button.
    keyboard_log_in(page, live_server, h.maria.user.username)
    menu = page.get_by_role("navigation", name="Principal")
    press_on(page, menu.get_by_role("link", name="Garantía de audiencia"), "Enter")
    expect(page.get_by_role("heading", name="Garantía de audiencia", exact=True)).to_be_visible()
    choice = page.get_by_label(f"Elegir el apoyo {key}")
    press_on(page, choice, "Space")
    expect(choice).to_be_checked()
    tab_to(page, page.get_by_label("Argumentos"))
    page.keyboard.type("La credencial se mostró en original durante la captura.")
    # Back and forth: Shift+Tab leaves the argument, Tab returns to it with its text.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Argumentos")).not_to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Argumentos")).to_be_focused()
    expect(choice).to_be_checked()
    press_on(page, page.get_by_role("button", name="Presentar solicitud"), "Enter")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Mi solicitud de audiencia N\.º \d+$"))
    ).to_be_visible()
    expect(page.locator("[data-status=filed]")).to_have_text("Presentada, sin resolver")
    hearing_request = HearingRequest.objects.get(aspirant=h.maria)
    press_on(page, page.get_by_role("button", name="Salir"), "Enter")
    expect(page.get_by_label("Usuario")).to_be_visible()

    # The administrator: from the office's hearing page to the request, then the ruling.
    keyboard_log_in(page, live_server, admin.username)
    page.goto(live_server.url + reverse("verification:hearing_office", args=[h.office.pk]))
    requests = page.get_by_role("table", name="Solicitudes de audiencia")
    press_on(page, requests.get_by_role("link", name=str(hearing_request.pk), exact=True), "Enter")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Solicitud de audiencia N\.º"))
    ).to_be_visible()
    upheld = page.get_by_role("radio", name="Procedente", exact=True)
    press_on(page, upheld, "Space")
    expect(upheld).to_be_checked()
    tab_to(page, page.get_by_label("Fundamento", exact=True))
    page.keyboard.type("Se cotejó la credencial original.")
    lift = page.get_by_label("Levantar la inconsistencia FOTOCOPIA (si es procedente)")
    press_on(page, lift, "Space")
    expect(lift).to_be_checked()
    press_on(page, page.get_by_role("button", name="Guardar resolución"), "Enter")
    expect(page.get_by_text(re.compile(r"resuelta: Procedente"))).to_be_visible()
    expect(page.locator("[data-status=upheld]")).to_have_text("Procedente")
    hearing_request.refresh_from_db()
    assert hearing_request.status == "upheld"

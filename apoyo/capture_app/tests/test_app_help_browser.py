"""The capture app's help on a 390 px phone: «¿Cómo funciona?» opens on the home view without
scrolling sideways, from a tap or the keyboard, and «Ayuda» leads to the auxiliary's guide."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.capture_app.tests.test_app_browser import (
    log_in,
    make_auxiliary,
    office_open_today,
    open_app,
)
from apoyo.testing.browser import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_app_home_help_opens_on_a_phone_and_the_link_reaches_the_guide(
    browser, live_server, artifacts_dir
):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)

    help_box = page.locator("#home-view details.how")
    text = help_box.locator(".how-text")
    expect(text).to_be_hidden()
    help_box.locator("summary").click()
    expect(text).to_be_visible()
    expect(text).to_contain_text("Puede capturar sin red")
    expect(text.locator(".badge")).to_have_text(
        ["En espera", "Enviando", "Enviada", "Por corregir", "Rechazada"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=os.path.join(artifacts_dir, "app-ayuda-390.png"), full_page=True)

    # The keyboard folds it again: the summary takes the focus and Enter toggles it.
    help_box.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(text).to_be_hidden()

    # «Ayuda» in the bar: the site asks for the same account, then shows the guide.
    page.get_by_role("banner").get_by_role("link", name="Ayuda").click()
    page.get_by_label("Usuario").fill("auxiliar1")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Guía de Auxiliar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="aplicación de captura").click()
    expect(page.get_by_text("A-07 · ROSA MENDOZA LOPEZ")).to_be_visible()
    context.close()

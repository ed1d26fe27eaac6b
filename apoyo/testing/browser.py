"""Helpers of the browser tests (Playwright driving the system Chromium)."""

from playwright.sync_api import expect

from apoyo.testing.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Sign in through the login page and wait until the site shows the signed-in header."""
    page.goto(f"{live_server.url}/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()

"""Helpers of the browser tests (Playwright driving the system Chromium)."""

import threading
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from apoyo.testing.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Sign in through the login page and wait until the site shows the signed-in header."""
    page.goto(f"{live_server.url}/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()


def press_shortcut(page, key):
    """Press a page's single-key shortcut once its scripts listen. A page just reached shows its
    heading while its deferred scripts may still be waiting to run: a key pressed then is lost."""
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press(key)


def choose_file_with_space(page, path, attempts=3):
    """Space on the focused file field opens the dialog. A loaded headless Chromium now and then
    drops the key's user activation and shows no dialog; a keyboard user presses again."""
    for attempt in range(attempts):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
            continue
        chooser.value.set_files(str(path))
        return


def wait_for_live_server_requests(timeout=10.0):
    """Wait until the live server's request threads have ended (each serves one connection; they
    end once the browser's contexts are closed). Bounded: a stuck request must not hang the suite."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_serves_a_request(thread) for thread in threading.enumerate()):
            return
        time.sleep(0.02)


def _serves_a_request(thread):
    # socketserver.ThreadingMixIn names each thread after its target.
    return thread.is_alive() and thread.name.endswith("(process_request_thread)")

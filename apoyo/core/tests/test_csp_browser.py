"""The Content-Security-Policy in the system Chromium: the main pages of every role load without
one refused script, style, image, frame or connection, and still work (htmx, the mesa de
control's keys and zoom, the capture app's worker, the pages' own scripts)."""

import os
import re
import threading
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from apoyo.accounts.models import Role
from apoyo.capture_app.tests.test_app_browser import PHONE, make_auxiliary, office_open_today
from apoyo.core.tests.urls import REASON
from apoyo.liaison.tests.helpers import World
from apoyo.supports.models import Upload, UploadStatus
from apoyo.supports.scans import add_scan
from apoyo.testing.browser import PASSWORD, log_in, press_shortcut
from apoyo.testing.factories import make_aspirant, make_user, precaptured
from apoyo.testing.files import PDF, png, uploaded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE_SIZE = {"width": 390, "height": 844}
VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy|Refused to", re.I)
# Chromium warns of a feature it does not know in the Permissions-Policy header.
POLICY_ERROR = re.compile(r"Permissions-Policy", re.I)


@pytest.fixture
def server(security_headers):
    """A live server started after this test switched the CSP on: the session's live_server built
    its middleware when it started, without it. The database comes from the django_db mark (asking
    for transactional_db here would set the database up before Playwright starts, and the
    serialized rollback would then miss the data of the migrations)."""
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    finish_requests()
    server.stop()


def finish_requests(timeout=5):
    """Let the server's request threads end (the browser closed their connections) before it
    stops: one still running would then close the test database's connection from its thread.
    Tests ask for the server before the page, so the page closes first."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0, deadline - time.monotonic()))


class Console:
    """What the browser reported: CSP violations, header errors and script errors, for every page
    it opened."""

    def __init__(self, page):
        self.violations = []
        self.header_errors = []
        self.errors = []
        page.on("console", self.message)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def message(self, message):
        if VIOLATION.search(message.text):
            self.violations.append(message.text)
        if POLICY_ERROR.search(message.text):
            self.header_errors.append(message.text)

    def assert_clean(self):
        assert self.violations == []
        assert self.header_errors == []
        assert self.errors == []


@pytest.fixture
def console(page):
    return Console(page)


def open_page(page, url):
    """Go to the page and check it was served under the policy (else a clean console proves
    nothing)."""
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    return response


def wait_until_controlled(page, seconds=15):
    """Polled from the test, not with wait_for_function: its predicate runs through eval, which
    the very policy under test forbids once the first check fails."""
    for _ in range(seconds * 10):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("El service worker no tomó el control de la página.")


def screenshot(page, artifacts_dir, name, size):
    page.set_viewport_size(size)
    page.screenshot(path=os.path.join(artifacts_dir, name), full_page=True)


def test_the_policy_is_enforced_and_a_violation_would_be_seen(server, page, console):
    open_page(page, server.url + reverse("login"))
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in text for text in console.violations)


def test_opl_capture_and_supports_list_run_under_the_policy(server, page, console, artifacts_dir):
    aspirant = make_aspirant(code="A-05")
    precaptured(aspirant, [1, 2])
    make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)
    office = aspirant.office

    log_in(page, server, "captura")
    open_page(page, server.url + reverse("supports:capture"))
    # htmx refreshes the form when the process and the office are chosen.
    page.get_by_label("Proceso electoral").select_option(str(office.process.pk))
    page.get_by_label("Cargo").select_option(str(office.pk))
    expect(page.locator(f"#id_aspirant option[value='{aspirant.pk}']")).to_be_attached()
    expect(page.locator("head style")).to_have_count(0)

    open_page(page, server.url + reverse("supports:list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, artifacts_dir, "csp-apoyos-1366.png", DESKTOP)
    screenshot(page, artifacts_dir, "csp-apoyos-390.png", PHONE_SIZE)
    console.assert_clean()


def test_mesa_de_control_shows_the_scans_and_keeps_its_keys_under_the_policy(
    server, page, console, artifacts_dir
):
    aspirant = make_aspirant(with_user=True, code="A-03")
    first, _ = precaptured(aspirant, [1, 2], reference="P-1")
    add_scan(aspirant.user, first.cedula, uploaded("frente.png", png(400, 250)))
    add_scan(aspirant.user, first.cedula, uploaded("reverso.png", png(400, 250, (20, 90, 160))))
    add_scan(aspirant.user, first.cedula, uploaded("anexo.pdf", PDF))
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)

    log_in(page, server, "revisor")
    open_page(page, server.url + reverse("review:queue"))
    page.get_by_role("link", name="Comenzar revisión").click()
    expect(
        page.get_by_role("heading", name=f"Revisión del apoyo {first.elector_key}")
    ).to_be_visible()
    expect(page.locator("figure.viewer:visible img")).to_be_visible()
    page.keyboard.press("+")
    expect(page.locator("figure.viewer:visible .zoom-level")).to_have_text("125%")
    press_shortcut(page, "i")
    expect(page.get_by_role("tab", name="2. Cédula P-1 · reverso.png")).to_have_attribute(
        "aria-selected", "true"
    )
    screenshot(page, artifacts_dir, "csp-mesa-de-control-1366.png", DESKTOP)
    screenshot(page, artifacts_dir, "csp-mesa-de-control-390.png", PHONE_SIZE)
    # The PDF scan is shown as its pages, drawn as images and served from the same origin.
    press_shortcut(page, "i")
    pdf = page.locator("figure.viewer:visible img[data-zoomable]")
    expect(pdf).to_have_attribute("src", re.compile(r"/escaneos/\d+/paginas/1/$"))
    expect(pdf).to_have_js_property("complete", True)
    assert pdf.evaluate("image => image.naturalWidth") > 0
    page.wait_for_timeout(500)
    console.assert_clean()


def test_upload_progress_polls_with_htmx_under_the_policy(server, page, console, artifacts_dir):
    aspirant = make_aspirant(code="A-07")
    make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)
    upload = Upload.objects.create(
        aspirant=aspirant,
        file="uploads/cedulas.csv",
        original_name="cedulas.csv",
        size=100,
        sha256="0" * 64,
        status=UploadStatus.RUNNING,
        rows_total=10,
        rows_read=4,
    )

    log_in(page, server, "captura")
    open_page(page, server.url + reverse("uploads:list"))
    open_page(page, server.url + reverse("uploads:detail", args=[upload.pk]))
    expect(page.get_by_label("Avance de la carga")).to_be_visible()
    # The worker finishes; the card polled every second shows it without a reload.
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.DONE, rows_read=10, stored=10)
    expect(page.locator("[data-count=stored]")).to_have_text("10")
    expect(page.get_by_role("link", name="Reporte de errores (CSV)")).to_be_visible()
    expect(page.locator("head style")).to_have_count(0)
    screenshot(page, artifacts_dir, "csp-carga-1366.png", DESKTOP)
    console.assert_clean()


def test_aspirant_portal_keeps_its_focus_and_confirmation_under_the_policy(
    server, page, console, artifacts_dir
):
    aspirant = make_aspirant(with_user=True, code="A-09")
    aspirant.user.set_password(PASSWORD)
    aspirant.user.save()
    first, _ = precaptured(aspirant, [1, 2], reference="P-7")
    add_scan(aspirant.user, first.cedula, uploaded("cedula.png", png(400, 250)))

    log_in(page, server, aspirant.user.username)
    open_page(page, server.url + reverse("supports:portal"))
    open_page(page, server.url + reverse("supports:precapture_cedulas"))
    open_page(page, server.url + reverse("supports:precapture_cedula", args=[first.cedula.pk]))
    # apoyo.js puts the cursor in the first field of the new row (it was an inline script).
    expect(page.get_by_label("Nombre(s)")).to_be_focused()
    screenshot(page, artifacts_dir, "csp-portal-cedula-390.png", PHONE_SIZE)

    # data-confirm asks first (it was an inline onsubmit): no, and the scan stays.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Quitar el escaneo cedula.png").click()
    expect(page.get_by_role("link", name="cedula.png")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Quitar el escaneo cedula.png").click()
    expect(page.get_by_role("link", name="cedula.png")).to_have_count(0)
    console.assert_clean()


def test_sivople_inbox_runs_under_the_policy(server, page, console):
    world = World()
    log_in(page, server, world.utvopl.username)
    open_page(page, server.url + reverse("liaison:inbox"))
    expect(page.get_by_role("navigation", name="SIVOPLE")).to_be_visible()
    console.assert_clean()


def test_sign_in_and_two_step_setup_run_under_the_policy(
    security_headers, server, page, console, artifacts_dir
):
    security_headers.APOYO_MFA_REQUIRED = True
    make_user(Role.OPL_ADMIN, username="admin1", password=PASSWORD)
    open_page(page, server.url + reverse("login"))
    page.get_by_label("Usuario").fill("admin1")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    # An administrator must set up the second step: the page draws its QR code as inline SVG.
    heading = page.get_by_role("heading", name="Activar la verificación en dos pasos")
    expect(heading).to_be_visible()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    screenshot(page, artifacts_dir, "csp-dos-pasos-390.png", PHONE_SIZE)
    console.assert_clean()


def test_error_pages_render_styled_under_the_policy(
    security_headers, server, page, console, artifacts_dir
):
    security_headers.ROOT_URLCONF = "apoyo.core.tests.urls"
    make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)
    log_in(page, server, "captura")
    assert page.goto(f"{server.url}/no-existe/").status == 404
    expect(page.get_by_role("heading", name="No encontramos esta página")).to_be_visible()
    expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    screenshot(page, artifacts_dir, "csp-404-390.png", PHONE_SIZE)

    assert page.goto(f"{server.url}/prueba/prohibido/").status == 403
    expect(page.get_by_role("alert")).to_have_text(REASON)
    expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    screenshot(page, artifacts_dir, "csp-403-1366.png", DESKTOP)

    assert page.goto(f"{server.url}/prueba/falla/").status == 500
    expect(page.get_by_role("heading", name="Ocurrió un error en el sistema")).to_be_visible()
    screenshot(page, artifacts_dir, "csp-500-390.png", PHONE_SIZE)
    console.assert_clean()


@pytest.fixture
def phone(server, browser):
    """A page in a phone's screen, closed before the server stops."""
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def test_capture_app_installs_its_worker_and_shows_photos_under_the_policy(
    server, phone, artifacts_dir, tmp_path
):
    make_auxiliary(office_open_today())
    page = phone
    console = Console(page)
    open_page(page, server.url + reverse("capture_app:shell"))
    page.get_by_label("Usuario").fill("auxiliar1")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_text("A-07 · ROSA MENDOZA LOPEZ")).to_be_visible()
    # worker-src and manifest-src: the service worker takes control of the page.
    wait_until_controlled(page)

    photo = tmp_path / "frente.png"
    photo.write_bytes(png(400, 250))
    page.get_by_role("link", name="Nueva captura").click()
    page.get_by_label("Foto del frente de la credencial").set_input_files(str(photo))
    # The preview is a blob: image (img-src blob:).
    expect(page.get_by_alt_text("Vista previa del frente")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "csp-app-390.png"), full_page=True)
    console.assert_clean()

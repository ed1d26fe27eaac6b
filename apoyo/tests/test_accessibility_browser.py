"""Accessibility in the system Chromium: every main page of every role passes axe-core's WCAG 2.1 A
and AA rules with no serious or critical violation.

axe-core comes bundled in axe-playwright-python (nothing is downloaded when the tests run). Each
role signs in and visits its main pages of the world of the authorization matrix
(apoyo/testing/world.py), whose URLs this module builds with the matrix's own table of objects, so
a page named here is the page each role really reaches. A failure lists every violation found, with
the page, axe's rule, its impact and the elements at fault, so one run says all there is to fix.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from apoyo.liaison.assignments import assign
from apoyo.liaison.models import Area
from apoyo.liaison.workflow import register
from apoyo.supports.models import Upload, UploadStatus
from apoyo.testing.browser import log_in
from apoyo.testing.factories import PASSWORD
from apoyo.testing.world import build_world, pdf_file
from apoyo.tests.test_authorization_matrix import (
    ADMIN,
    ANONYMOUS,
    AREA,
    ASPIRANT,
    CAPTURIST,
    DERFE,
    POLICY,
    REVIEWER,
    UTVOPL,
    Fixed,
    actors,
    objects,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# What every signed-in person has: their notices, account, password, second factor and help.
ACCOUNT = ("notifications", "account", "password_change", "mfa_setup", "help")
OPL_PAGES = (
    "supports:dashboard",
    "supports:capture",
    "supports:cedula",
    "supports:list",
    "supports:detail",
    "supports:correct",
    "supports:withdraw",
    "uploads:list",
    "uploads:detail",
    "verification:index",
    "verification:office",
    "verification:run",
    "verification:aspirant",
    "verification:hearing_office",
    "verification:hearing_request",
    "verification:rulings",
    "verification:ruling",
    "roll:statistics",
    "liaison:inbox",
    "liaison:list",
    "liaison:register",
    "liaison:detail",
    "auxiliaries:opl_list",
    "auxiliaries:opl_conflicts",
    "sampling:aspirant",
)
REVIEW_PAGES = ("review:queue", "review:support", "review:confirmations")
ADMIN_PAGES = (
    "review:panel",
    "supports:inconsistencies",
    "verification:ine",
    "processes:index",
    "processes:institute",
    "processes:process_create",
    "processes:detail",
    "processes:process_update",
    "processes:paper_regime",
    "processes:office_create",
    "processes:office_update",
    "processes:holidays",
    "aspirants:list",
    "aspirants:create",
    "aspirants:update",
    "user_list",
    "user_create",
    "user_update",
    "account_list",
    "audit_log",
    "uploads:revert",
    "retention:index",
    "citizens:reports",
    "citizens:report",
    "publication:withdraw",
)
PAGES = {
    ANONYMOUS: (
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "auxiliaries:invitation",
        "auxiliaries:invitation_done",
        "api:docs",
        "citizens:lookup",
        "citizens:privacy",
        "publication:index",
        "publication:office",
    ),
    ADMIN: ACCOUNT + OPL_PAGES + REVIEW_PAGES + ADMIN_PAGES,
    CAPTURIST: ACCOUNT + OPL_PAGES,
    REVIEWER: ACCOUNT + OPL_PAGES + REVIEW_PAGES,
    ASPIRANT: ACCOUNT
    + (
        "supports:portal",
        "supports:portal_support",
        "supports:precapture_cedulas",
        "supports:precapture_cedula",
        "uploads:aspirant_list",
        "uploads:aspirant_detail",
        "auxiliaries:list",
        "auxiliaries:create",
        "auxiliaries:deactivate",
        "verification:portal",
        "verification:hearing_portal",
        "verification:hearing_portal_request",
    ),
    DERFE: ACCOUNT
    + (
        "roll:imports",
        "roll:import",
        "roll:cut",
        "roll:statistics",
        "liaison:inbox",
        "liaison:detail",
        "liaison:answer",
    ),
    UTVOPL: ACCOUNT
    + (
        "liaison:inbox",
        "liaison:list",
        "liaison:detail",
        "liaison:types",
        "liaison:type_edit",
        "liaison:areas",
        "liaison:area",
        "processes:holidays",
    ),
    AREA: ACCOUNT + ("liaison:inbox", "liaison:list", "liaison:detail", "liaison:answer"),
}
# Pages Django renders without a view of the project's: shown as the browser gets them.
ERROR_PAGES = {"400.html": 400, "403_csrf.html": 403, "500.html": 500}


def own_objects(world, role):
    """The objects of `role`'s own side (the matrix's), and for an INE area user a folio turned to
    their area and not answered yet, whose answer form can still be opened (the world's are
    approved); for an administrator the upload is finished, so its revert form shows."""
    own = objects(world, role, foreign=False)
    if role == ADMIN:
        # A finished upload that stored rows, which only then offers its revert form.
        Upload.objects.filter(pk=own["upload"]).update(status=UploadStatus.DONE, stored=1)
    if role in (AREA, DERFE):
        registered = register(
            world.home.capturist,
            world.doc_types[0],
            "IEE-PRESI-2-2020",
            "Consulta sin responder",
            "Descripción de la consulta.",
            files=[pdf_file("oficio.pdf")],
        )
        area = Area.objects.get(code="DERFE" if role == DERFE else "DEPPP")
        assign(world.utvopl, registered, [area])
        own["assignment"] = registered.assignments.get(area=area, active=True).pk
    return own


def path_of(name, own):
    """The URL of page `name` about the objects `own` (own_objects)."""
    kwargs = {
        key: kind.value if isinstance(kind, Fixed) else own[kind]
        for key, kind in POLICY[name].kwargs.items()
    }
    return reverse(name, kwargs=kwargs)


def violations(page, label):
    """axe's serious and critical WCAG 2.1 A/AA violations on the page, one line each. Folded
    parts (the "¿Cómo funciona?" help, a history) are opened first, so they are checked too."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    results = AXE.run(page, options=WCAG_21_AA)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
        found.append(
            f"{label}: {violation['id']} ({violation['impact']}) en {targets}: {violation['help']}"
        )
    return found


def visit(page, url, label):
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{label}: {url} → {response.status}"
    return violations(page, label)


def serve(body, status):
    """A route handler answering with a rendered page, from the live server's address (so its
    stylesheet loads as it would)."""

    def handler(route):
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return handler


def report(found):
    assert not found, "Violaciones de accesibilidad:\n" + "\n".join(found)


@pytest.mark.parametrize("role", [ADMIN, CAPTURIST, REVIEWER, ASPIRANT, DERFE, UTVOPL, AREA])
def test_every_main_page_of_the_role_passes_axe(role, page, live_server):
    world = build_world()
    own = own_objects(world, role)
    log_in(page, live_server, actors(world)[role].username, PASSWORD)
    found = []
    for name in PAGES[role]:
        found += visit(page, live_server.url + path_of(name, own), f"{role} {name}")
    # A page refused and a page that does not exist, with the signed-in header.
    page.goto(f"{live_server.url}/no-existe/")
    found += violations(page, f"{role} 404")
    report(found)


def test_public_pages_and_error_pages_pass_axe(page, live_server):
    own = own_objects(build_world(), ANONYMOUS)
    found = []
    for name in PAGES[ANONYMOUS]:
        found += visit(page, live_server.url + path_of(name, own), name)
    page.goto(f"{live_server.url}/no-existe/")
    found += violations(page, "404")
    request = RequestFactory().get("/")
    for template, status in ERROR_PAGES.items():
        body = render_to_string(template, request=request if status != 500 else None)
        url = f"{live_server.url}/prueba-{status}/"
        page.route(url, serve(body, status))
        page.goto(url)
        found += violations(page, template)
    report(found)


def test_the_capture_app_passes_axe(browser, live_server):
    world = build_world()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('capture_app:shell')}")
    expect(page.get_by_role("heading", name="Entrar")).to_be_visible()
    found = violations(page, "app: entrar")
    page.get_by_label("Usuario").fill(world.aspirant.auxiliary.user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("link", name="Nueva captura")).to_be_visible()
    found += violations(page, "app: capturas")
    page.get_by_role("link", name="Nueva captura").click()
    expect(page.get_by_role("heading", name="Nueva captura")).to_be_visible()
    found += violations(page, "app: nueva captura")
    context.close()
    report(found)


def sign_in_with_password(page, live_server, username):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()


def send_code(page, code, button):
    page.get_by_role("textbox", name="Código").fill(code)
    page.get_by_role("button", name=button).click()


def lift_throttle(user):
    """Forget the wrong code's failure: django-otp refuses every code for a while after one."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )


def test_the_two_step_verification_pages_pass_axe(page, live_server, settings):
    """Enrolment (forced on a role that requires it), its recovery codes, and the second step of
    every later sign-in, each also with the error a wrong code shows."""
    settings.APOYO_MFA_REQUIRED = True
    admin = build_world().home.admin
    sign_in_with_password(page, live_server, admin.username)
    expect(page.get_by_role("heading", name="Activar la verificación en dos pasos")).to_be_visible()
    found = violations(page, "dos pasos: alta")
    send_code(page, "000000", "Confirmar")
    expect(page.get_by_text("El código no coincide")).to_be_visible()
    found += violations(page, "dos pasos: alta con error")
    lift_throttle(admin)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    send_code(page, f"{code:06d}", "Confirmar")
    expect(page.get_by_role("heading", name="Sus códigos de recuperación")).to_be_visible()
    found += violations(page, "dos pasos: códigos de recuperación")
    recovery = page.locator("ul.mono li").first.inner_text()
    page.get_by_role("button", name="Salir").click()

    # Every later sign-in stops at the second step; a recovery code gets past it.
    sign_in_with_password(page, live_server, admin.username)
    expect(page.get_by_role("heading", name="Verificación en dos pasos")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}{reverse('mfa_verify')}")
    found += violations(page, "dos pasos: verificar")
    send_code(page, "123456", "Verificar")
    expect(page.get_by_text("El código no es válido o ya se usó")).to_be_visible()
    found += violations(page, "dos pasos: verificar con error")
    lift_throttle(admin)
    send_code(page, recovery, "Verificar")
    expect(page.get_by_role("heading", name="Verificación en dos pasos")).to_be_hidden()
    report(found)

"""The auxiliary's capture app (/app/) in the system Chromium with a phone's screen, against the
real API: offline capture, reload while offline, sync when the network returns, and the captures
in the mesa de control; the phone's rules beside the server's; refusals and rejections."""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apoyo.accounts.models import ApiToken, Role
from apoyo.accounts.tokens import revoke_user_tokens
from apoyo.aspirants.models import Auxiliary
from apoyo.capture_app import services as app_capture
from apoyo.core import identity
from apoyo.review import services as review
from apoyo.supports.models import Channel, Inconsistency, Status, Support
from apoyo.testing.browser import PASSWORD
from apoyo.testing.factories import make_aspirant, make_office, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "es-MX",
    "timezone_id": "America/Hermosillo",
}


def office_open_today(days_before=10, days_after=10):
    today = timezone.localdate()
    return make_office(
        collection_start=today - datetime.timedelta(days=days_before),
        collection_end=today + datetime.timedelta(days=days_after),
    )


def make_auxiliary(office, username="auxiliar1"):
    aspirant = make_aspirant(office, code="A-07", name="ROSA", paternal_surname="MENDOZA")
    user = make_user(Role.AUXILIARY, username=username, password=PASSWORD, first_name="Lucía")
    return Auxiliary.objects.create(
        aspirant=aspirant,
        process=office.process,
        user=user,
        name="LUCÍA RAMOS SOTO",
        email=f"{username}@example.org",
        phone="6621234567",
    )


def open_app(browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/app/")
    return context, page


def log_in(page, username="auxiliar1"):
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_text("A-07 · ROSA MENDOZA LOPEZ")).to_be_visible()


def sign(page):
    canvas = page.locator("#signature")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    page.mouse.move(box["x"] + 110, box["y"] + 40, steps=6)
    page.mouse.move(box["x"] + 190, box["y"] + 130, steps=6)
    page.mouse.move(box["x"] + 300, box["y"] + 60, steps=6)
    page.mouse.up()


def fill_capture(
    page, photos, key, ocr="", cic="", name="Juan", paternal="García", maternal="López"
):
    page.get_by_role("link", name="Nueva captura").click()
    expect(page.get_by_role("heading", name="Nueva captura")).to_be_visible()
    page.get_by_label("Foto del frente de la credencial").set_input_files(photos["front"])
    page.get_by_label("Foto del reverso de la credencial").set_input_files(photos["back"])
    page.get_by_label("Clave de elector").fill(key)
    page.get_by_label("OCR").fill(ocr)
    page.get_by_label("CIC").fill(cic)
    page.get_by_label("Nombre").fill(name)
    page.get_by_label("Apellido paterno").fill(paternal)
    page.get_by_label("Apellido materno").fill(maternal)
    page.get_by_label("Foto viva del ciudadano").set_input_files(photos["selfie"])
    sign(page)


def badges(page, text):
    return page.locator("#capture-list .badge", has_text=text)


def test_auxiliary_captures_offline_and_the_queue_reaches_the_mesa_de_control(
    browser, live_server, photos, artifacts_dir
):
    office = office_open_today()
    auxiliary = make_auxiliary(office)
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)

    context, page = open_app(browser, live_server)
    log_in(page)
    # The service worker controls the page (and holds the shell) before the network goes.
    # Not wait_for_function: its polling evaluates a string, which the CSP forbids.
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)))"""
    )
    context.set_offline(True)
    expect(page.locator("#network")).to_have_text("Sin conexión")

    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.screenshot(path=os.path.join(artifacts_dir, "app-captura.png"), full_page=True)
    page.get_by_role("button", name="Guardar captura").click()
    expect(page.get_by_text("se enviará cuando haya conexión")).to_be_visible()
    fill_capture(
        page,
        photos,
        "MRSNAN95050526M002",
        cic="123456789",
        name="Ana",
        paternal="Martínez",
        maternal="Sánchez",
    )
    page.get_by_role("button", name="Guardar captura").click()
    expect(badges(page, "En espera")).to_have_count(2)
    expect(page.locator("#waiting-count")).to_have_text("2")

    # Reloading offline: the worker serves the shell, IndexedDB still holds the queue.
    assert page.reload().from_service_worker
    expect(badges(page, "En espera")).to_have_count(2)
    expect(page.locator("#network")).to_have_text("Sin conexión")
    page.screenshot(path=os.path.join(artifacts_dir, "app-sin-red.png"), full_page=True)
    assert not Support.objects.exists()

    context.set_offline(False)
    expect(badges(page, "Enviada")).to_have_count(2, timeout=20_000)
    expect(page.locator("#waiting-count")).to_have_text("0")
    page.screenshot(path=os.path.join(artifacts_dir, "app-enviadas.png"), full_page=True)

    stored = {s.elector_key: s for s in Support.objects.filter(channel=Channel.APP)}
    assert set(stored) == {"GRLPJN80010126H001", "MRSNAN95050526M002"}
    first, second = stored["GRLPJN80010126H001"], stored["MRSNAN95050526M002"]
    assert (first.name, first.paternal_surname, first.ocr, first.cic) == (
        "JUAN",
        "GARCIA",
        "1234567890123",
        "",
    )
    assert (second.maternal_surname, second.ocr, second.cic) == ("SANCHEZ", "", "123456789")
    for support in stored.values():
        assert support.captured_by == auxiliary.user and support.status == Status.PENDING_REVIEW
        assert support.client_uuid is not None
        assert timezone.localdate(support.captured_at) == timezone.localdate()
        kinds = {image.kind: image.content_kind for image in support.images.all()}
        # The random-pixel back photo was scaled down to a JPEG on the phone.
        assert kinds == {"front": "png", "back": "jpeg", "selfie": "png", "signature": "png"}
    context.close()

    # The OPL's revisor finds both in the mesa de control queue.
    desk = browser.new_page()
    desk.goto(f"{live_server.url}/entrar/")
    desk.get_by_label("Usuario").fill("revisor")
    desk.get_by_label("Contraseña").fill(PASSWORD)
    desk.get_by_role("button", name="Entrar").click()
    desk.goto(f"{live_server.url}{reverse('review:queue')}?channel=app")
    rows = desk.get_by_role("table", name="Cola de revisión").locator("tbody tr")
    expect(rows).to_have_count(2)
    for key in stored:
        expect(rows.filter(has_text=key)).to_contain_text("Aplicación móvil")
    desk.close()


def test_the_phone_applies_the_same_rules_as_the_server(browser, live_server):
    office = office_open_today()
    texts = [
        "  josé   ñandú  Müller\u00a0x ",
        "ÅNGSTRÖM",
        "straße",
        "e\u0301",
        "\u1ea0\u1ef9 Ø",
        "\t\u3000a\u2028b\x1c",
        "\ufeffA",
        "DE LA CRUZ-\u2013",
        "gr-lp jn 800101 26h 001",
        "İ",
    ]
    blank = {
        "elector_key": "",
        "ocr": "",
        "cic": "",
        "name": "",
        "paternal_surname": "",
        "maternal_surname": "",
    }
    good = blank | {
        "elector_key": "grlpjn80010126h001",
        "ocr": "1234567890123",
        "name": "juan",
        "paternal_surname": "garcía",
    }
    rows = [
        blank,
        good,
        good | {"ocr": "", "cic": "123456789"},
        good | {"cic": "123456789"},
        good | {"ocr": "12345", "cic": "123"},
        good | {"ocr": "", "cic": "12-34"},
        good | {"ocr": "-"},
        good | {"elector_key": "GRLPJN8001012"},
        good | {"name": "X" * 121, "paternal_surname": "", "maternal_surname": "  "},
        good | {"name": " ", "paternal_surname": "", "maternal_surname": "lópez"},
        good
        | {
            "elector_key": "PRLPJN80023199H001",
            "name": "María José",
            "paternal_surname": "De la Cruz",
        },
    ]
    context, page = open_app(browser, live_server)
    phone = page.evaluate(
        """async ([texts, rows]) => {
            const rules = await import("/static/app/rules.js");
            return {
                texts: texts.map((text) => [rules.normalizeText(text), rules.normalizeKey(text)]),
                rows: rows.map((row) => {
                    const { values, errors } = rules.validateFields(row);
                    const warnings = rules.electorKeyWarnings(
                        row.elector_key, row.name, row.paternal_surname, row.maternal_surname);
                    return { values, errors: errors.map((e) => [e.field, e.message]), warnings };
                }),
            };
        }""",
        [texts, rows],
    )
    context.close()

    assert phone["texts"] == [
        [identity.normalize_text(t), identity.normalize_key(t)] for t in texts
    ]
    now = timezone.now()
    for row, answer in zip(rows, phone["rows"], strict=True):
        valid, errors = app_capture.validate_row(row, office, now)
        _, identity_errors = app_capture.identity_number(row)
        server = sorted((e.field, e.message) for e in errors + identity_errors)
        assert sorted(map(tuple, answer["errors"])) == server, row
        if valid:
            assert answer["values"]["elector_key"] == valid.elector_key
            assert answer["values"]["name"] == valid.name
        assert answer["warnings"] == identity.elector_key_warnings(
            row["elector_key"], row["name"], row["paternal_surname"], row["maternal_surname"]
        )


def test_a_capture_saved_after_the_period_ended_is_refused_on_the_phone(
    browser, live_server, photos
):
    """The form opened on the period's last day and saved after midnight: the phone refuses it as
    the server would. (Outside the period "Nueva captura" is disabled: test_app_phone_browser.)"""
    today = timezone.localdate()
    office = make_office(collection_start=today - datetime.timedelta(days=30), collection_end=today)
    make_auxiliary(office)
    zone = ZoneInfo(PHONE["timezone_id"])

    context = browser.new_context(**PHONE)
    page = context.new_page()
    # The phone's clock (only the phone's) at 23:58 of the last day.
    page.clock.install(time=datetime.datetime.combine(today, datetime.time(23, 58), zone))
    page.goto(f"{live_server.url}/app/")
    log_in(page)
    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.clock.fast_forward("03:00")
    page.get_by_role("button", name="Guardar captura").click()
    tomorrow = today + datetime.timedelta(days=1)
    expect(page.get_by_role("alert")).to_contain_text(
        f"La captura es del {tomorrow:%d/%m/%Y}, fuera del periodo de obtención de apoyo del cargo"
    )
    # Cancelling a filled form asks before discarding it; home says why no new capture starts.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Cancelar").click()
    expect(page.get_by_text("Aún no hay capturas.")).to_be_visible()
    expect(page.locator("#period-alert")).to_have_text(
        f"El periodo de obtención de apoyo terminó el {today:%d/%m/%Y}: "
        "ya no se pueden hacer capturas nuevas."
    )
    context.close()
    assert not Support.objects.exists()


def test_rejections_by_the_server_and_by_the_mesa_de_control_reach_the_phone(
    browser, live_server, photos, tmp_path
):
    office = office_open_today()
    make_auxiliary(office)
    revisor = make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)
    fake = tmp_path / "frente-falso.png"
    fake.write_bytes(b"no es una imagen")

    context, page = open_app(browser, live_server)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page)
    # The server checks the photo by its content: refused, with its reason, and never retried.
    fill_capture(page, photos | {"front": fake}, "GRLPJN80010126H001", ocr="1234567890123")
    page.get_by_role("button", name="Guardar captura").click()
    expect(badges(page, "Rechazada: Credencial (frente)")).to_have_count(1)
    fill_capture(page, photos, "GRLPJN80010126H002", ocr="1234567890124")
    page.get_by_role("button", name="Guardar captura").click()
    expect(badges(page, "Enviada")).to_have_count(1)
    expect(page.locator("#waiting-count")).to_have_text("0")
    assert Support.objects.count() == 1

    # The mesa de control rejects the stored one; the phone learns it when it asks again.
    support = Support.objects.get()
    review.record_inconsistency(
        revisor, support, Inconsistency.objects.get(code="ILEGIBLE"), "Borroso"
    )
    page.get_by_role("button", name="Enviar ahora").click()
    expect(badges(page, "Rechazada: Datos ilegibles: Borroso")).to_have_count(1)
    expect(badges(page, "Rechazada")).to_have_count(2)

    # Logging out revokes the token; the captures of this phone stay listed for the next login.
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("heading", name="Entrar")).to_be_visible()
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    log_in(page)
    expect(badges(page, "Rechazada")).to_have_count(2)
    context.close()


def test_an_expired_session_keeps_the_queue_until_the_auxiliary_logs_in_again(
    browser, live_server, photos
):
    office = office_open_today()
    auxiliary = make_auxiliary(office)

    context, page = open_app(browser, live_server)
    log_in(page)
    revoke_user_tokens(auxiliary.user)  # As when the token expires.
    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.get_by_role("button", name="Guardar captura").click()
    expect(
        page.get_by_text("Su sesión venció: las capturas esperan en este teléfono.")
    ).to_be_visible()
    expect(badges(page, "En espera")).to_have_count(1)
    assert not Support.objects.exists()

    page.get_by_role("button", name="Entrar de nuevo").click()
    expect(page.get_by_label("Usuario")).to_have_value("auxiliar1")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(badges(page, "Enviada")).to_have_count(1)
    assert Support.objects.get().elector_key == "GRLPJN80010126H001"
    context.close()

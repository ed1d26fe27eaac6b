"""The capture app (in the system Chromium, a phone's screen) and the captures still on the phone:
one capture per tap however fast the taps, one capture per clave de elector and aspirant on the
phone, viewing, editing and deleting what is not sent yet, and a 409 from the server."""

import hashlib
import os
import time

import pytest
from playwright.sync_api import expect

from apoyo.capture_app.tests.conftest import noisy_png
from apoyo.capture_app.tests.test_app_browser import (
    PHONE,
    badges,
    fill_capture,
    log_in,
    make_auxiliary,
    office_open_today,
    open_app,
)
from apoyo.supports.models import Support
from apoyo.testing.files import png

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KEY = "GRLPJN80010126H001"
OTHER_KEY = "MRSNAN95050526M002"
NEW_KEY = "PRZLPD85030326H003"

# The images of a capture as IndexedDB holds them, by their SHA-256.
IMAGE_HASHES = """async (uuid) => {
    const db = await import("/static/app/db.js");
    const capture = (await db.listCaptures("auxiliar1")).find((each) => each.uuid === uuid);
    const hashes = {};
    for (const [field, blob] of Object.entries(capture.images)) {
        const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
        hashes[field] = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
            .join("");
    }
    return hashes;
}"""


def item(page, key):
    return page.locator("#capture-list li", has_text=key)


def save(page):
    page.get_by_role("button", name="Guardar captura").click()


def shot(page, artifacts_dir, name):
    page.screenshot(path=os.path.join(artifacts_dir, name), full_page=True)


def wait_for(page, condition, seconds=20):
    """Poll a condition; waiting through the page lets Playwright run the routes. (Not one that
    reads the database: SQLite's shared in-memory test database locks a table being written.)"""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "no llegó a tiempo"
        page.wait_for_timeout(100)


def test_a_double_tap_on_guardar_stores_one_capture(
    browser, live_server, photos, tmp_path, artifacts_dir
):
    make_auxiliary(office_open_today())
    large = tmp_path / "reverso-grande.png"
    large.write_bytes(noisy_png(3000, 2000))
    context, page = open_app(browser, live_server)
    log_in(page)

    fill_capture(page, photos, KEY, ocr="1234567890123")
    # A large photo still being prepared when the auxiliary taps: the window of a double tap.
    page.get_by_label("Foto del reverso de la credencial").set_input_files(large)
    during = page.evaluate(
        """() => {
            const button = document.getElementById("save-capture");
            button.click();
            const during = [button.disabled, button.textContent];
            button.click();
            return during;
        }"""
    )
    shot(page, artifacts_dir, "app-guardando.png")
    assert during == [True, "Guardando…"]
    # The notice follows the capture: "se está enviando", then (once stored) "enviada".
    expect(page.locator("#notice")).to_have_text("Captura de JUAN GARCIA LOPEZ guardada y enviada.")
    expect(badges(page, "Enviada")).to_have_count(1)

    # The same with the phone's own double tap, on a second citizen.
    fill_capture(page, photos, OTHER_KEY, cic="123456789", name="Ana", paternal="Martínez")
    page.get_by_role("button", name="Guardar captura").dblclick()
    expect(badges(page, "Enviada")).to_have_count(2)
    expect(page.locator("#capture-list li")).to_have_count(2)

    # Stored: the button is back for the next capture.
    page.get_by_role("link", name="Nueva captura").click()
    button = page.locator("#save-capture")
    expect(button).to_be_enabled()
    expect(button).to_have_text("Guardar captura")
    context.close()
    assert sorted(Support.objects.values_list("elector_key", flat=True)) == [KEY, OTHER_KEY]


def test_the_same_clave_de_elector_twice_on_the_phone_is_refused(
    browser, live_server, photos, artifacts_dir
):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    context.set_offline(True)
    fill_capture(page, photos, KEY, ocr="1234567890123")
    save(page)
    expect(badges(page, "En espera")).to_have_count(1)

    # Written otherwise, it is the same clave once normalized.
    fill_capture(page, photos, "grlpjn 80010126-h001", ocr="1234567890124", name="Juana")
    save(page)
    refusal = (
        f"Ya hay en este teléfono una captura con la clave de elector {KEY} para este aspirante"
    )
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(page.get_by_role("alert")).to_contain_text("en espera de envío")
    expect(page.locator("#elector_key-error")).to_contain_text(refusal)
    expect(page.get_by_label("Nombre")).to_have_value("Juana")  # Nothing typed is lost.
    page.locator("#elector_key").scroll_into_view_if_needed()
    shot(page, artifacts_dir, "app-clave-repetida.png")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Cancelar").click()
    expect(page.locator("#capture-list li")).to_have_count(1)

    # Once sent, it still counts.
    context.set_offline(False)
    expect(badges(page, "Enviada")).to_have_count(1)
    fill_capture(page, photos, KEY, cic="123456789")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(page.get_by_role("alert")).to_contain_text("ya enviada")
    context.close()
    assert Support.objects.count() == 1


def test_a_capture_waiting_on_the_phone_can_be_viewed_edited_and_deleted(
    browser, live_server, photos, tmp_path, artifacts_dir
):
    make_auxiliary(office_open_today())
    retaken = tmp_path / "frente-de-nuevo.png"
    retaken.write_bytes(png(320, 200, (20, 140, 60)))
    context, page = open_app(browser, live_server)
    log_in(page)
    context.set_offline(True)
    fill_capture(page, photos, KEY, ocr="1234567890123")
    save(page)
    fill_capture(page, photos, OTHER_KEY, cic="123456789", name="Ana", paternal="Martínez")
    save(page)
    expect(badges(page, "En espera")).to_have_count(2)
    first = item(page, KEY)
    uuid = first.get_attribute("data-uuid")
    before = page.evaluate(IMAGE_HASHES, uuid)
    for action in ("Ver", "Editar", "Eliminar"):
        expect(first.get_by_role("button", name=action)).to_be_visible()
    shot(page, artifacts_dir, "app-pendientes.png")

    # Ver: the data and the photos kept on the phone, read only.
    first.get_by_role("button", name="Ver").click()
    detail = page.locator("#detail-view")
    expect(detail.get_by_role("heading", name="Captura en espera")).to_be_visible()
    expect(detail).to_contain_text(KEY)
    expect(detail).to_contain_text("JUAN GARCIA LOPEZ")
    expect(detail).to_contain_text("1234567890123")
    expect(detail.locator("img")).to_have_count(4)
    shot(page, artifacts_dir, "app-ver-captura.png")
    detail.get_by_role("button", name="Editar").click()

    # Editar: the same form, filled, with its photos; the phone's rules check it again.
    expect(page.get_by_role("heading", name="Editar captura")).to_be_visible()
    expect(page.get_by_label("Clave de elector")).to_have_value(KEY)
    expect(page.get_by_label("Nombre")).to_have_value("JUAN")
    expect(page.locator("#capture-form img.preview:visible")).to_have_count(3)
    page.get_by_label("Clave de elector").fill("GRLPJN8001")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("La clave de elector debe tener 18")
    page.get_by_label("Clave de elector").fill(OTHER_KEY)
    save(page)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Ya hay en este teléfono una captura con la clave de elector {OTHER_KEY}"
    )
    page.get_by_label("Clave de elector").fill(NEW_KEY)
    page.get_by_label("Nombre").fill("Pedro")
    page.get_by_label("Apellido paterno").fill("Pérez")
    page.get_by_label("Foto del frente de la credencial").set_input_files(retaken)
    page.locator("#elector_key").scroll_into_view_if_needed()
    shot(page, artifacts_dir, "app-editar-captura.png")
    save(page)
    expect(page.get_by_text("Captura de PEDRO PEREZ LOPEZ actualizada")).to_be_visible()
    expect(item(page, NEW_KEY)).to_have_attribute("data-uuid", uuid)
    expect(item(page, KEY)).to_have_count(0)
    after = page.evaluate(IMAGE_HASHES, uuid)
    assert after["front"] == hashlib.sha256(retaken.read_bytes()).hexdigest()
    assert {k: v for k, v in after.items() if k != "front"} == {
        k: v for k, v in before.items() if k != "front"
    }

    # Eliminar asks first.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    item(page, OTHER_KEY).get_by_role("button", name="Eliminar").click()
    wait_for(page, lambda: questions)
    expect(item(page, OTHER_KEY)).to_have_count(1)
    assert "ANA MARTINEZ LOPEZ" in questions[0] and "no se enviará" in questions[0]
    page.once("dialog", lambda dialog: dialog.accept())
    item(page, OTHER_KEY).get_by_role("button", name="Eliminar").click()
    expect(item(page, OTHER_KEY)).to_have_count(0)
    expect(page.locator("#waiting-count")).to_have_text("1")

    # Sent with its uuid and the photos it kept; from then on, read only.
    context.set_offline(False)
    expect(badges(page, "Enviada")).to_have_count(1)
    sent = item(page, NEW_KEY)
    expect(sent.get_by_role("button", name="Ver")).to_be_visible()
    expect(sent.get_by_role("button", name="Editar")).to_have_count(0)
    expect(sent.get_by_role("button", name="Eliminar")).to_have_count(0)
    sent.get_by_role("button", name="Ver").click()
    expect(detail.get_by_role("heading", name="Captura enviada")).to_be_visible()
    expect(detail).to_contain_text("Las fotos y la firma ya están en el servidor")
    expect(detail.get_by_role("button", name="Editar")).to_be_hidden()
    shot(page, artifacts_dir, "app-ver-enviada.png")
    context.close()

    support = Support.objects.get()
    assert str(support.client_uuid) == uuid
    assert (support.elector_key, support.name, support.paternal_surname) == (
        NEW_KEY,
        "PEDRO",
        "PEREZ",
    )
    assert {image.kind: image.sha256 for image in support.images.all()} == after


def test_a_409_keeps_the_capture_on_the_phone_until_the_volunteer_fixes_it(
    browser, live_server, photos, artifacts_dir
):
    """The server stores a capture but its answer is lost; the volunteer, seeing it still
    waiting, edits it; the edited send is refused (409) and the capture waits, with the
    server's message, until it matches what was received (or is deleted)."""
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    posts, answers = [], []

    def lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request)
        if len(posts) == 1:
            answers.append(route.fetch().status)  # The server stores it...
        route.abort("connectionfailed")  # ...and the phone never hears back.

    page.route("**/api/v1/supports/", lose_the_answer)
    fill_capture(page, photos, KEY, ocr="1234567890123")
    save(page)
    wait_for(page, lambda: answers)
    context.set_offline(True)
    expect(badges(page, "En espera")).to_have_count(1)
    assert answers == [201]

    item(page, KEY).get_by_role("button", name="Editar").click()
    page.get_by_label("Nombre").fill("Juana")
    save(page)
    page.unroute("**/api/v1/supports/")
    context.set_offline(False)
    conflict = item(page, KEY)
    expect(conflict.locator(".badge")).to_have_text("Por corregir")
    expect(conflict).to_contain_text("ya se había recibido con otros datos (nombre)")
    expect(conflict).to_contain_text("Nombre: no coincide con lo ya recibido («JUAN»).")
    expect(conflict.get_by_role("button", name="Editar")).to_be_visible()
    expect(conflict.get_by_role("button", name="Eliminar")).to_be_visible()
    expect(page.locator("#waiting-count")).to_have_text("0")
    shot(page, artifacts_dir, "app-conflicto.png")
    assert Support.objects.get().name == "JUAN"

    # Kept on the phone, photos included, across a reload.
    page.reload()
    expect(item(page, KEY)).to_contain_text("ya se había recibido con otros datos (nombre)")
    item(page, KEY).get_by_role("button", name="Editar").click()
    expect(page.locator("#capture-form img.preview:visible")).to_have_count(3)
    page.get_by_label("Nombre").fill("Juan")
    save(page)
    expect(badges(page, "Enviada")).to_have_count(1)
    context.close()
    assert Support.objects.get().name == "JUAN"


# The phone's database as the previous version of the app left it: no index by clave de elector,
# captures without their aspirant.
VERSION_1 = """async (capture) => {
    await new Promise((resolve, reject) => {
        const request = indexedDB.open("apoyo-captura", 1);
        request.onupgradeneeded = () => {
            const db = request.result;
            db.createObjectStore("captures", { keyPath: "uuid" }).createIndex("username", "username");
            db.createObjectStore("settings");
        };
        request.onsuccess = () => {
            const db = request.result;
            const tx = db.transaction("captures", "readwrite");
            tx.objectStore("captures").put(capture);
            tx.oncomplete = () => { db.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
        };
        request.onerror = () => reject(request.error);
    });
}"""


def test_captures_saved_by_the_previous_version_of_the_app_still_count(
    browser, live_server, photos
):
    make_auxiliary(office_open_today())
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/app/manifest.webmanifest")  # The app's origin, not the app.
    fields = {
        "elector_key": KEY,
        "ocr": "1234567890123",
        "cic": "",
        "name": "JUAN",
        "paternal_surname": "GARCIA",
        "maternal_surname": "LOPEZ",
    }
    old = {
        "uuid": "0b8c5f7e-8f61-4a57-9d1c-3f0a8f2b6c11",
        "username": "auxiliar1",
        "capturedAt": "2020-12-20T10:30:00-07:00",
        "capturedMs": 1608485400000,
        "fields": fields,
        "images": {},
        "state": "sent",
        "reason": "",
        "stored": True,
        "attempts": 0,
    }
    page.evaluate(VERSION_1, old)

    page.goto(f"{live_server.url}/app/")
    log_in(page)
    expect(item(page, KEY)).to_have_attribute("data-uuid", old["uuid"])
    fill_capture(page, photos, KEY, cic="123456789")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Ya hay en este teléfono una captura con la clave de elector {KEY} para este aspirante"
    )
    context.close()
    assert not Support.objects.exists()

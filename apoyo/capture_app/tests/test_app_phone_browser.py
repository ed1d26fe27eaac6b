"""The capture app as a volunteer uses it on a phone (390 px): camera buttons with a preview,
notices that follow the queue, a deactivated account told apart from an expired session, "Nueva
captura" closed after the period with the reason, the install button, and the captures per day."""

import datetime
import os
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from apoyo.aspirants.services import deactivate_auxiliary
from apoyo.capture_app.tests.test_app_browser import (
    badges,
    fill_capture,
    log_in,
    make_auxiliary,
    office_open_today,
    open_app,
)
from apoyo.supports.models import Support
from apoyo.testing.browser import choose_file_with_space
from apoyo.testing.capture_app import auth, capture, send, token_for
from apoyo.testing.factories import make_office

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEACTIVATED = "Su cuenta fue desactivada. Consulte al aspirante para el que trabaja."
NO_NEW_CAPTURES = (
    "Su cuenta fue desactivada: no se pueden hacer capturas nuevas hasta que el aspirante la "
    "reactive y usted entre de nuevo."
)


def totals_rows(page):
    return page.locator("#totals-body tr")


def test_the_camera_buttons_take_each_photo_and_show_its_preview(
    browser, live_server, photos, artifacts_dir
):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    page.get_by_role("link", name="Nueva captura").click()

    for field, what in (
        ("front", "del frente de la credencial"),
        ("back", "del reverso de la credencial"),
        ("selfie", "viva del ciudadano"),
    ):
        box = page.locator(f'[data-photo="{field}"]')
        button = box.locator("label.camera")
        expect(button).to_have_text(f"Tomar foto {what}")
        expect(box.locator("img.preview")).to_be_hidden()
        # The big button is the input's label: a tap opens the phone's camera (a file chooser).
        with page.expect_file_chooser() as chooser:
            button.click()
        assert chooser.value.element.get_attribute("capture") in {"environment", "user"}
        chooser.value.set_files(photos[field])
        expect(box.locator("img.preview")).to_be_visible()
        expect(box.locator("img.preview")).to_have_attribute("src", re.compile("^blob:"))
        expect(button).to_have_text(f"Cambiar foto {what}")
        # For a screen reader the button is the input itself, named by its label.
        expect(page.get_by_role("button", name=f"Cambiar foto {what}")).to_have_count(1)

    # The keyboard reaches the camera button and opens it too.
    page.locator("#back").focus()
    expect(page.locator("#back")).to_be_focused()
    choose_file_with_space(page, photos["front"])
    expect(page.locator('[data-photo="back"] label.camera')).to_contain_text("Cambiar foto")
    # From the top: scrolled, the sticky app bar would be drawn over the middle of the full page.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=os.path.join(artifacts_dir, "app-fotos-390.png"), full_page=True)
    context.close()


def test_the_offline_notice_turns_into_enviada_once_the_capture_is_sent(
    browser, live_server, photos
):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    context.set_offline(True)
    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.get_by_role("button", name="Guardar captura").click()

    notice = page.locator("#notice")
    expect(notice).to_have_text(
        "Captura de JUAN GARCIA LOPEZ guardada; se enviará cuando haya conexión."
    )
    expect(page.locator("#queue-status")).to_have_text(
        "Sin conexión: se enviará cuando vuelva la red."
    )

    context.set_offline(False)
    expect(badges(page, "Enviada")).to_have_count(1, timeout=20_000)
    expect(notice).to_have_text("Captura de JUAN GARCIA LOPEZ guardada y enviada.")
    expect(page.get_by_text("se enviará cuando haya conexión")).to_have_count(0)
    expect(page.locator("#queue-status")).to_be_hidden()
    expect(page.locator("#waiting-count")).to_have_text("0")
    context.close()


def test_the_sync_now_offline_notice_goes_away_when_the_network_returns(browser, live_server):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    context.set_offline(True)
    page.get_by_role("button", name="Enviar ahora").click()
    expect(page.locator("#notice")).to_have_text(
        "Sin conexión: las capturas se enviarán cuando vuelva la red."
    )
    context.set_offline(False)
    expect(page.locator("#notice")).to_be_hidden()
    context.close()


def test_a_deactivated_volunteer_is_told_so_and_the_queue_stays_on_the_phone(
    browser, live_server, photos, artifacts_dir
):
    auxiliary = make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    deactivate_auxiliary(auxiliary)  # The aspirant does it; the token stops working.

    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.get_by_role("button", name="Guardar captura").click()
    banner = page.locator("#relogin-alert")
    expect(banner).to_contain_text(DEACTIVATED)
    expect(banner).to_contain_text("Las capturas en espera se quedan en este teléfono")
    expect(banner).not_to_contain_text("Su sesión venció")
    expect(page.locator("#notice")).to_have_text(
        "Captura de JUAN GARCIA LOPEZ guardada; se queda en este teléfono mientras su cuenta "
        "esté desactivada."
    )
    expect(badges(page, "En espera")).to_have_count(1)
    # No new captures: the aspirant's confirmation said the account stops capturing.
    new = page.get_by_role("link", name="Nueva captura")
    expect(new).to_be_disabled()
    expect(new).to_have_accessible_description(NO_NEW_CAPTURES)
    page.screenshot(path=os.path.join(artifacts_dir, "app-cuenta-desactivada.png"), full_page=True)

    # A reload (the app reopened) still says it, and still holds the capture.
    page.reload()
    expect(banner).to_contain_text(DEACTIVATED)
    expect(badges(page, "En espera")).to_have_count(1)
    expect(new).to_be_disabled()
    page.goto(f"{live_server.url}/app/#captura")
    expect(page.locator("#capture-view")).to_be_hidden()
    expect(page.locator("#notice")).to_have_text(NO_NEW_CAPTURES)
    page.get_by_role("button", name="Entrar de nuevo").click()
    expect(page.locator("#session-expired")).to_contain_text(DEACTIVATED)
    expect(page.locator("#session-expired")).not_to_contain_text("Su sesión venció")
    context.close()
    assert not Support.objects.exists()


def test_nueva_captura_is_disabled_with_the_reason_once_the_period_is_over(
    browser, live_server, artifacts_dir
):
    today = timezone.localdate()
    end = today - datetime.timedelta(days=1)
    make_auxiliary(
        make_office(collection_start=today - datetime.timedelta(days=30), collection_end=end)
    )
    reason = (
        f"El periodo de obtención de apoyo terminó el {end:%d/%m/%Y}: "
        "ya no se pueden hacer capturas nuevas."
    )
    context, page = open_app(browser, live_server)
    log_in(page)

    new = page.get_by_role("link", name="Nueva captura")
    expect(new).to_be_disabled()
    expect(new).to_have_accessible_description(reason)
    expect(page.locator("#period-alert")).to_have_text(reason)
    page.screenshot(path=os.path.join(artifacts_dir, "app-periodo-terminado.png"), full_page=True)
    # Still reached by the keyboard (and read with its reason), but it opens nothing.
    new.focus()
    page.keyboard.press("Enter")
    new.dispatch_event("click")
    expect(page.locator("#capture-view")).to_be_hidden()
    expect(page.locator("#home-view")).to_be_visible()

    # Nor by its address: the app goes home and says why.
    page.goto(f"{live_server.url}/app/#captura")
    expect(page.locator("#home-view")).to_be_visible()
    expect(page.locator("#capture-view")).to_be_hidden()
    expect(page.locator("#notice")).to_have_text(reason)
    context.close()


def test_the_period_not_begun_yet_also_disables_nueva_captura(browser, live_server):
    today = timezone.localdate()
    start = today + datetime.timedelta(days=3)
    make_auxiliary(
        make_office(collection_start=start, collection_end=start + datetime.timedelta(days=30))
    )
    context, page = open_app(browser, live_server)
    log_in(page)
    expect(page.get_by_role("link", name="Nueva captura")).to_be_disabled()
    expect(page.locator("#period-alert")).to_have_text(
        f"El periodo de obtención de apoyo empieza el {start:%d/%m/%Y}: aún no se pueden hacer capturas."
    )
    context.close()


INSTALL_OFFER = """() => {
    window.installAsked = 0;
    const offer = new Event("beforeinstallprompt", { cancelable: true });
    offer.prompt = () => { window.installAsked += 1; return Promise.resolve(); };
    offer.userChoice = Promise.resolve({ outcome: "accepted" });
    window.dispatchEvent(offer);
    return offer.defaultPrevented;
}"""


def test_the_install_button_appears_only_when_the_browser_offers_it(browser, live_server):
    make_auxiliary(office_open_today())
    context, page = open_app(browser, live_server)
    log_in(page)
    install = page.get_by_role("button", name="Instalar en este teléfono")
    expect(install).to_have_count(0)  # Hidden: nothing was offered (headless Chromium never does).

    assert page.evaluate(INSTALL_OFFER) is True  # Taken over from the browser's own banner.
    expect(install).to_be_visible()
    install.click()
    assert page.evaluate("() => window.installAsked") == 1
    expect(install).to_be_hidden()

    page.evaluate(INSTALL_OFFER)
    page.evaluate("() => window.dispatchEvent(new Event('appinstalled'))")
    expect(install).to_be_hidden()
    context.close()


def test_the_home_screen_shows_the_volunteers_captures_per_day(
    browser, live_server, photos, artifacts_dir
):
    auxiliary = make_auxiliary(office_open_today())
    # Sent earlier from another phone: one yesterday, two the day before.
    token, client = token_for(auxiliary), Client()
    now = timezone.now()
    for n, days_ago in ((11, 1), (12, 2), (13, 2)):
        when = now - datetime.timedelta(days=days_ago)
        assert send(client, token, capture(n, captured_at=when)).status_code == 201
    assert client.get("/api/v1/profile/", **auth(token)).status_code == 200

    context, page = open_app(browser, live_server)
    log_in(page)
    rows = totals_rows(page)
    before = (now - datetime.timedelta(days=2)).astimezone(timezone.get_current_timezone())
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text(re.compile(r"^Ayer\s*1\s*0\s*1$"))
    expect(rows.nth(1)).to_have_text(re.compile(rf"^{before:%d/%m/%Y}\s*2\s*0\s*2$"))

    # Today: one sent at once, one waiting offline, both counted; the waiting one moves over.
    fill_capture(page, photos, "GRLPJN80010126H001", ocr="1234567890123")
    page.get_by_role("button", name="Guardar captura").click()
    expect(badges(page, "Enviada")).to_have_count(1)
    expect(rows.nth(0)).to_have_text(re.compile(r"^Hoy\s*1\s*0\s*1$"))
    context.set_offline(True)
    fill_capture(page, photos, "MRSNAN95050526M002", cic="123456789", name="Ana")
    page.get_by_role("button", name="Guardar captura").click()
    expect(rows.nth(0)).to_have_text(re.compile(r"^Hoy\s*1\s*1\s*2$"))
    expect(rows).to_have_count(3)
    page.screenshot(path=os.path.join(artifacts_dir, "app-home-390.png"), full_page=True)

    context.set_offline(False)
    expect(badges(page, "Enviada")).to_have_count(2, timeout=20_000)
    expect(rows.nth(0)).to_have_text(re.compile(r"^Hoy\s*2\s*0\s*2$"))
    context.close()

"""The aspirant's auxiliaries page on a 390 px phone, in the system Chromium: every action in view
without scrolling sideways, and deactivating only after a confirmation."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from apoyo.aspirants.models import Auxiliary
from apoyo.supports.models import Channel, Support
from apoyo.testing.browser import log_in
from apoyo.testing.capture_app import make_auxiliary, open_office
from apoyo.testing.factories import make_aspirant, support

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def assert_no_sideways_scrolling(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"la página se desplaza de lado: {widths}"


def test_the_auxiliaries_page_fits_a_phone_and_confirms_before_deactivating(
    browser, live_server, artifacts_dir
):
    aspirant = make_aspirant(open_office(), with_user=True)
    make_auxiliary(
        aspirant,
        name="María Guadalupe Hernández Villaseñor",
        email="maria.guadalupe.hernandez.villasenor@example.org",
    )
    luis = make_auxiliary(aspirant, name="Luis Ruiz", password=None)  # invitation pending
    for n, day in enumerate([datetime.date(2021, 1, 4)] * 3 + [datetime.date(2021, 1, 5)]):
        captured = support(aspirant, f"GRLPJN85010126H{n:03d}", day=day, channel=Channel.APP)
        Support.objects.filter(pk=captured.pk).update(captured_by=luis.user)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, aspirant.user.username)
    page.goto(f"{live_server.url}/portal/auxiliares/")
    expect(page.get_by_role("heading", name="Mis auxiliares")).to_be_visible()

    assert_no_sideways_scrolling(page)
    for action in (
        page.get_by_role("link", name="Desactivar a María Guadalupe Hernández Villaseñor"),
        page.get_by_role("button", name="Reenviar la invitación a Luis Ruiz"),
    ):
        action.scroll_into_view_if_needed()
        box = action.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(page.get_by_role("table", name="Capturas por día")).to_contain_text("Luis Ruiz: 3")
    page.screenshot(path=os.path.join(artifacts_dir, "auxiliares-390.png"), full_page=True)

    page.get_by_role("link", name="Desactivar a Luis Ruiz").click()
    expect(page.get_by_role("heading", name="¿Desactivar a Luis Ruiz?")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert Auxiliary.objects.get(name="Luis Ruiz").active
    page.get_by_role("button", name="Sí, desactivar").click()
    expect(page.get_by_text("Se desactivó a Luis Ruiz")).to_be_visible()
    assert not Auxiliary.objects.get(name="Luis Ruiz").active
    page.goto(f"{live_server.url}/portal/auxiliares/nuevo/")
    expect(page.get_by_label("Teléfono")).to_have_attribute("type", "tel")
    assert_no_sideways_scrolling(page)
    context.close()

    desk = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(desk, live_server, aspirant.user.username)
    desk.goto(f"{live_server.url}/portal/auxiliares/")
    expect(desk.get_by_role("button", name="Reactivar a Luis Ruiz")).to_be_visible()
    desk.screenshot(path=os.path.join(artifacts_dir, "auxiliares-1366.png"), full_page=True)
    desk.close()

"""Keyboard only, in the system Chromium: the OPL's auxiliaries page. The administrator filters the
list by aspirant, downloads what it shows and opens the refused registrations, pressing only Tab,
letters and Enter after opening the page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apoyo.aspirants.models import Auxiliary
from apoyo.testing.world import build_world
from apoyo.tests.test_keyboard_browser import DESKTOP, choose, keyboard_log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(accept_downloads=True, **DESKTOP)
    yield context.new_page()
    context.close()


def test_an_opl_admin_filters_downloads_and_follows_the_auxiliaries_list_by_keyboard(
    keyboard_page, live_server
):
    page = keyboard_page
    world = build_world()
    first, second = world.home.aspirants[0].aspirant, world.home.aspirants[1].aspirant
    assert Auxiliary.objects.filter(aspirant=second).exists()
    keyboard_log_in(page, live_server, world.home.admin.username)
    page.goto(live_server.url + reverse("auxiliaries:opl_list"))
    rows = page.get_by_role("table", name="Auxiliares").locator("tbody tr")
    expect(rows.filter(has_text=second.code)).not_to_have_count(0)

    choose(page, "aspirant", str(first))
    tab_to(page, page.get_by_role("button", name="Filtrar"))
    page.keyboard.press("Enter")
    expect(page.locator("#aspirant option:checked")).to_have_text(str(first))
    expect(rows).to_have_count(Auxiliary.objects.filter(aspirant=first).count())
    expect(rows.filter(has_text=second.code)).to_have_count(0)

    # The download carries the filter the page shows.
    tab_to(page, page.get_by_role("link", name="Descargar CSV"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert first.code in text and second.code not in text

    tab_to(page, page.get_by_role("link", name="Registros rechazados", exact=False))
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Registros de auxiliares rechazados", exact=False)
    ).to_be_visible()

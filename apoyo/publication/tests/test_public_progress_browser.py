"""The avance público in a browser, without an account: from the login page's link to an
office's figures, chart and downloads, at 1366 px and on a 390 px phone."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.publication.services import publish_figures
from apoyo.testing.factories import citizen, elector_key, support
from apoyo.verification.services import run_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def published(office, aspirants, runs, admin):
    """Three published compulsas: B gains a support in each; a fourth run is not published."""
    _, b = aspirants
    for run in runs:
        publish_figures(admin, run)
    key = elector_key()
    citizen(key, section=3, ocr="9999999999999")
    support(b, key, reference="G-3")
    publish_figures(admin, run_check(office, admin))
    support(b, elector_key(), reference="G-4")
    hidden = run_check(office, admin)
    return hidden


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def inside(box, frame):
    """Whether a drawn box lies wholly within the frame (an axis title not cut by the chart's edge)."""
    return (
        box["x"] >= frame["x"]
        and box["y"] >= frame["y"]
        and box["x"] + box["width"] <= frame["x"] + frame["width"]
        and box["y"] + box["height"] <= frame["y"] + frame["height"]
    )


def open_office(page, live_server, office):
    page.goto(f"{live_server.url}/entrar/")
    page.get_by_role("link", name="Avance público").click()
    expect(page.get_by_role("heading", name="Avance público del apoyo ciudadano")).to_be_visible()
    page.get_by_role("link", name=office.name).click()
    expect(page.get_by_role("heading", name=office.name, exact=True)).to_be_visible()


def test_the_public_progress_reads_well_at_1366_px(
    page, live_server, artifacts_dir, office, aspirants, published
):
    page.set_viewport_size(DESKTOP)
    open_office(page, live_server, office)
    a, b = aspirants
    table = page.get_by_role("table", name="Apoyos por aspirante en la compulsa publicada")
    expect(table.locator(f'tr[data-aspirant="{b.code}"] [data-count="valid"]')).to_have_text("3")
    expect(table.locator(f'tr[data-aspirant="{a.code}"]')).to_contain_text("2.50%")
    expect(page.get_by_text(f"N.º {published.pk},")).to_have_count(0)
    chart = page.locator('svg[data-chart="path"][data-layout="wide"]')
    expect(chart).to_be_visible()
    expect(chart.locator('[data-axis="y"]')).to_have_text("Apoyos válidos")
    expect(chart.locator('[data-axis="x"]')).to_have_text("Compulsa publicada (fecha y número)")
    expect(page.get_by_role("link", name="Descargar CSV")).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(path=os.path.join(artifacts_dir, "public-progress-1366.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar JSON").click()
    assert download.value.suggested_filename == f"avance-{office.code}.json"


def test_the_public_progress_reads_well_on_a_390_px_phone(
    page, live_server, artifacts_dir, office, aspirants, published
):
    page.set_viewport_size(PHONE)
    open_office(page, live_server, office)
    expect(page.get_by_text("MARIA SOTO RUIZ").first).to_be_visible()
    narrow = page.locator('svg[data-layout="narrow"]')
    expect(narrow).to_be_visible()
    expect(page.locator('svg[data-layout="wide"]')).to_be_hidden()
    assert inside(narrow.locator('[data-axis="x"]').bounding_box(), narrow.bounding_box())
    assert inside(narrow.locator('[data-axis="y"]').bounding_box(), narrow.bounding_box())
    page.get_by_text("Columnas de los archivos").click()
    expect(page.get_by_text("PORCENTAJE_REQUERIDO", exact=True)).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(path=os.path.join(artifacts_dir, "public-progress-390.png"), full_page=True)

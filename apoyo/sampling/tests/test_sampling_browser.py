"""An OPL administrator draws a sample from the aspirant's results, the mesa de control reviews it,
and the projection page shows the interval, the band, the method and the seed (1366 px and a
390 px phone)."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.sampling.models import Sample
from apoyo.sampling.tests.test_services import finished_run, review_sample
from apoyo.testing.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_administrator_draws_a_sample_and_sees_the_projection(
    page, live_server, artifacts_dir, office, aspirant, pending, decided, admin, reviewer
):
    finished_run(office, aspirant, required=80)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/resultados/aspirantes/{aspirant.pk}/")
    page.get_by_role("link", name="Proyección por muestreo").click()
    expect(page.get_by_role("heading", name="Proyección por muestreo")).to_be_visible()
    expect(page.get_by_text("Aún no se ha sorteado una muestra")).to_be_visible()

    page.get_by_label("Calcularlo con un margen de error").check()
    page.get_by_label("Margen de error (%)").fill("10")
    page.get_by_label("Semilla (opcional)").fill("2024")
    page.get_by_role("button", name="Sortear muestra").click()
    expect(page.get_by_text("Muestra sorteada: 61 apoyos con la semilla 2024")).to_be_visible()
    expect(page.get_by_text("Aún no hay apoyos de la muestra revisados")).to_be_visible()

    review_sample(reviewer, Sample.objects.get())
    page.reload()
    expect(page.locator("[data-band]")).to_have_text("Cumple con holgura")
    expect(page.locator("[data-seed]")).to_have_text("2024")
    expect(page.get_by_text("No sustituye el conteo completo")).to_be_visible()
    expect(page.get_by_role("table", name="Proyección por canal")).to_contain_text(
        "Aplicación móvil"
    )
    assert fits_the_width(page)
    page.screenshot(path=os.path.join(artifacts_dir, "sampling-1366.png"), full_page=True)

    page.set_viewport_size(PHONE)
    expect(page.locator("[data-projection=interval]")).to_be_visible()
    assert fits_the_width(page)
    # On a phone each channel's row stacks into a card: no figure hides in a sideways scroll.
    by_channel = page.get_by_role("table", name="Proyección por canal")
    assert by_channel.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    page.screenshot(path=os.path.join(artifacts_dir, "sampling-390.png"), full_page=True)

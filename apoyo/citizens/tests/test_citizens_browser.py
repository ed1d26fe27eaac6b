"""The consulta ciudadana on a 390 px phone (and at 1366 px): look up, find the support, say
«Yo no di este apoyo»."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.citizens.models import CitizenReport
from apoyo.citizens.tests.conftest import KEY, OCR, WRONG_OCR
from apoyo.supports.models import Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look_up(page, live_server, key, number):
    page.goto(f"{live_server.url}/consulta-ciudadana/")
    page.get_by_label("Clave de elector").fill(key)
    page.get_by_label("OCR o CIC").fill(number)
    page.get_by_role("button", name="Consultar").click()
    expect(page.get_by_role("heading", name="Resultado de su consulta")).to_be_visible()


def test_a_citizen_on_a_phone_finds_a_support_and_disowns_it(
    page, live_server, artifacts_dir, accepted
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/consulta-ciudadana/")
    expect(page.get_by_role("heading", name="¿Aparezco como apoyo?")).to_be_visible()
    expect(page.get_by_role("heading", name="Aviso de privacidad simplificado")).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(
        path=os.path.join(artifacts_dir, "consulta-ciudadana-formulario-390.png"), full_page=True
    )

    look_up(page, live_server, KEY.lower(), WRONG_OCR)
    expect(page.get_by_text("No encontramos apoyos registrados")).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(
        path=os.path.join(artifacts_dir, "consulta-ciudadana-sin-apoyos-390.png"), full_page=True
    )

    look_up(page, live_server, KEY, OCR)
    result = page.get_by_role("article")
    expect(result.get_by_role("heading", name="MARIA SOTO RUIZ")).to_be_visible()
    expect(result.get_by_text("Gubernatura")).to_be_visible()
    page.get_by_text("Yo no di este apoyo", exact=True).click()
    page.get_by_label("Correo electrónico o teléfono").fill("662 123 4567")
    page.get_by_label("¿Qué quiere decirle al OPL?").fill("No firmé ninguna cédula.")
    assert fits_the_width(page)
    page.screenshot(path=os.path.join(artifacts_dir, "consulta-ciudadana-390.png"), full_page=True)

    page.get_by_role("button", name="Enviar aviso: yo no di este apoyo").click()
    expect(page.get_by_role("heading", name="Recibimos su aviso")).to_be_visible()
    report = CitizenReport.objects.get()
    expect(page.get_by_text(f"número {report.pk}")).to_be_visible()
    assert report.contact == "6621234567"
    accepted.refresh_from_db()
    assert accepted.status == Status.PENDING_REVIEW
    page.screenshot(path=os.path.join(artifacts_dir, "consulta-ciudadana-aviso-390.png"))


def test_the_answer_reads_well_at_1366_px(page, live_server, artifacts_dir, accepted):
    page.set_viewport_size(DESKTOP)

    look_up(page, live_server, KEY, OCR)
    page.get_by_text("Yo no di este apoyo", exact=True).click()

    expect(page.get_by_label("Correo electrónico o teléfono")).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(path=os.path.join(artifacts_dir, "consulta-ciudadana-1366.png"), full_page=True)

"""The mesa de control reviewing a PDF scan (system Chromium): its pages are drawn as images on
the server, so zoom, rotation and the next page work as for a photo, with or without a PDF viewer
in the browser, and the original stays downloadable; the aspirant's and the OPL's cédula pages
still link the scan and its pages."""

import io
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from apoyo.accounts.models import Role
from apoyo.supports.scans import add_scan
from apoyo.testing.browser import PASSWORD, log_in, press_shortcut
from apoyo.testing.factories import make_aspirant, make_user, precaptured
from apoyo.testing.files import uploaded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def cedula_pdf(supports):
    """A two-page scan of a cédula, landscape: the rows on the first page, signatures on the
    second."""
    width, height = landscape(letter)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(50, height - 60, "Cédula de apoyo ciudadano · folio P-1 · hoja 1 de 2")
    pdf.setFont("Helvetica", 14)
    for row, support in enumerate(supports):
        y = height - 120 - row * 40
        pdf.drawString(50, y, f"{row + 1}. {support.name} {support.paternal_surname}")
        pdf.drawString(360, y, support.elector_key)
        pdf.line(50, y - 10, width - 50, y - 10)
    pdf.showPage()
    pdf.setFillColor(colors.HexColor("#1f5fa8"))
    pdf.rect(40, 40, width - 80, height - 80, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawString(70, height - 100, "Hoja 2 de 2 · firmas")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def viewer(page):
    return page.locator("figure.viewer:visible")


def test_revisor_zooms_turns_and_pages_through_a_pdf_scan(page, live_server, artifacts_dir):
    aspirant = make_aspirant(with_user=True, code="A-03")
    supports = precaptured(aspirant, [1, 2, 3], reference="P-1")
    cedula = supports[0].cedula
    scan = add_scan(aspirant.user, cedula, uploaded("cedula-P-1.pdf", cedula_pdf(supports)))
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "revisor")
    page.goto(f"{live_server.url}/mesa/")
    page.get_by_role("link", name="Comenzar revisión").click()
    heading = page.get_by_role("heading", name=f"Revisión del apoyo {supports[0].elector_key}")
    expect(heading).to_be_visible()
    page.wait_for_load_state()  # review.js listens to the keys

    # Page 1 of the PDF, drawn on the server, loaded from the checked view.
    picture = viewer(page).locator("img[data-zoomable]")
    first_page = reverse("supports:scan_page", args=[scan.pk, 1])
    expect(picture).to_have_attribute("src", first_page)
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("image => image.naturalWidth") == 1650  # 11 in at 150 dpi
    expect(viewer(page).locator(".page-label")).to_have_text("Página 1 de 2")
    expect(page.locator("object")).to_have_count(0)
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-pdf-escaneo.png"))

    # + zooms: the picture grows past its frame.
    frame = viewer(page).locator(".zoom-frame")
    before = picture.bounding_box()
    page.keyboard.press("+")
    page.keyboard.press("+")
    expect(viewer(page).locator(".zoom-level")).to_have_text("150%")
    zoomed = picture.bounding_box()
    assert zoomed["width"] == pytest.approx(before["width"] * 1.5, rel=0.02)
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    page.keyboard.press("0")
    expect(viewer(page).locator(".zoom-level")).to_have_text("100%")

    # G turns it a quarter: the landscape page now stands upright, still inside its canvas.
    press_shortcut(page, "g")
    expect(viewer(page)).to_have_attribute("data-turn", "90")
    turned = picture.bounding_box()
    assert turned["height"] > turned["width"]
    canvas_box = viewer(page).locator(".zoom-canvas").bounding_box()
    assert turned["y"] >= canvas_box["y"] - 1
    assert turned["y"] + turned["height"] <= canvas_box["y"] + canvas_box["height"] + 1
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-pdf-escaneo-girado.png"))
    page.get_by_role("button", name="Girar 90 grados").click()
    page.get_by_role("button", name="Girar 90 grados").click()
    page.get_by_role("button", name="Girar 90 grados").click()
    expect(viewer(page)).to_have_attribute("data-turn", "0")

    # I shows the next page; the buttons page back and forth.
    press_shortcut(page, "i")
    expect(picture).to_have_attribute("src", reverse("supports:scan_page", args=[scan.pk, 2]))
    expect(viewer(page).locator(".page-label")).to_have_text("Página 2 de 2")
    expect(picture).to_have_attribute("alt", "Cédula P-1 · cedula-P-1.pdf, página 2 de 2")
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("image => image.naturalWidth") > 0
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-pdf-escaneo-pagina-2.png"))
    page.get_by_role("button", name="Página anterior").click()
    expect(picture).to_have_attribute("src", first_page)
    expect(page.get_by_role("button", name="Página anterior")).to_be_disabled()

    # The original PDF is still there to download.
    original = viewer(page).get_by_role("link", name="descargar el PDF original")
    expect(original).to_have_attribute("href", reverse("supports:scan", args=[scan.pk]))
    response = page.request.get(live_server.url + reverse("supports:scan", args=[scan.pk]))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    page.set_viewport_size(PHONE)
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-pdf-escaneo-390.png"))
    page.screenshot(
        path=os.path.join(artifacts_dir, "mesa-pdf-escaneo-390-completa.png"), full_page=True
    )

    # The OPL's cédula page links the scan and its pages.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("supports:cedula", args=[cedula.pk]))
    expect(page.get_by_role("link", name="cedula-P-1.pdf", exact=True)).to_have_attribute(
        "href", reverse("supports:scan", args=[scan.pk])
    )
    second = page.get_by_role("link", name="Página 2 de cedula-P-1.pdf como imagen")
    second_url = reverse("supports:scan_page", args=[scan.pk, 2])
    expect(second).to_have_attribute("href", second_url)
    response = page.request.get(live_server.url + second_url)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"


def test_the_aspirant_still_reaches_the_scan_and_its_pages(page, live_server, artifacts_dir):
    aspirant = make_aspirant(with_user=True, code="A-09")
    aspirant.user.set_password(PASSWORD)
    aspirant.user.save()
    supports = precaptured(aspirant, [1], reference="P-7")
    cedula = supports[0].cedula
    scan = add_scan(aspirant.user, cedula, uploaded("cedula-P-7.pdf", cedula_pdf(supports)))

    log_in(page, live_server, aspirant.user.username)
    for url in (
        reverse("supports:precapture_cedula", args=[cedula.pk]),
        reverse("supports:portal_support", args=[supports[0].pk]),
    ):
        page.goto(live_server.url + url)
        expect(page.get_by_role("link", name="cedula-P-7.pdf", exact=True)).to_be_visible()
        for number in (1, 2):
            link = page.get_by_role("link", name=f"Página {number} de cedula-P-7.pdf como imagen")
            page_url = reverse("supports:scan_page", args=[scan.pk, number])
            expect(link).to_have_attribute("href", page_url)
    page.screenshot(path=os.path.join(artifacts_dir, "portal-apoyo-escaneo-pdf.png"))
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Página 1 de cedula-P-7.pdf como imagen").click()
    image = popup.value
    image.wait_for_load_state()
    assert image.evaluate("() => document.images[0].naturalWidth") == 1650
    image.close()
    response = page.request.get(live_server.url + reverse("supports:scan", args=[scan.pk]))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

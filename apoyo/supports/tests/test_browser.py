"""The manual capture path in the system Chromium: capturista captures, aspirant sees."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.supports.models import Support
from apoyo.testing.browser import PASSWORD, log_in
from apoyo.testing.factories import make_aspirant, make_office, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def type_row(page, name, paternal, maternal, key, ocr):
    page.get_by_label("Nombre(s)").fill(name)
    page.get_by_label("Apellido paterno").fill(paternal)
    page.get_by_label("Apellido materno").fill(maternal)
    page.get_by_label("Clave de elector").fill(key)
    page.get_by_label("OCR").fill(ocr)
    page.get_by_label("OCR").press("Enter")


def test_capturist_captures_a_cedula_and_the_aspirant_sees_it(page, live_server, artifacts_dir):
    office = make_office(name="Gubernatura")
    aspirant = make_aspirant(office, with_user=True, name="MARIA", paternal_surname="SOTO")
    aspirant.user.set_password(PASSWORD)
    aspirant.user.save()
    capturist = make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)

    log_in(page, live_server, capturist.username)
    page.get_by_role("link", name="Captura", exact=True).click()
    page.get_by_label("Proceso electoral").select_option(str(office.process.pk))
    page.get_by_label("Cargo").select_option(str(office.pk))
    # The aspirant list follows the office chosen (htmx refreshes the form).
    expect(page.locator(f"#id_aspirant option[value='{aspirant.pk}']")).to_be_attached()
    page.get_by_label("Aspirante").select_option(str(aspirant.pk))
    page.get_by_label("Número de referencia").fill("ced-0001")
    page.get_by_label("Fecha de la cédula").fill("2020-12-20")
    page.get_by_role("button", name="Abrir cédula").click()
    expect(page.get_by_role("heading", name="Cédula CED-0001")).to_be_visible()

    # The cursor starts in the first field: the row is typed without the mouse.
    expect(page.get_by_label("Nombre(s)")).to_be_focused()
    type_row(page, "juan", "garcía", "lópez", "GRLPJN85010126H001", "1234567890123")
    expect(page.get_by_text("guardado en la cédula CED-0001")).to_be_visible()
    expect(page.get_by_label("Nombre(s)")).to_be_focused()

    type_row(page, "ana", "peña", "ruiz", "PXRZAN9002302", "0000000000001")
    expect(page.get_by_text("La clave de elector debe")).to_be_visible()
    expect(page.get_by_label("Clave de elector")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Clave de elector")).to_be_focused()
    page.get_by_label("Clave de elector").fill("PXRZAN90023026M002")
    page.get_by_label("Clave de elector").press("Enter")
    expect(page.get_by_text("guardado en la cédula CED-0001")).to_be_visible()

    type_row(page, "luis", "ñeco", "", "XCXXLS75111526H003", "7777777777777")
    expect(page.get_by_role("table", name="Filas capturadas").locator("tbody tr")).to_have_count(3)
    page.screenshot(path=os.path.join(artifacts_dir, "captura-cedula.png"), full_page=True)
    assert Support.objects.filter(aspirant=aspirant).count() == 3

    page.get_by_role("button", name="Salir").click()
    log_in(page, live_server, aspirant.user.username)
    expect(page.get_by_role("heading", name="Portal del aspirante")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("PXRZAN90023026M002")).to_be_visible()
    expect(page.get_by_text("Captura manual (OPL)").first).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "portal-aspirante.png"), full_page=True)

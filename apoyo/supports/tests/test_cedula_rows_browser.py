"""The cédula capture page in the system Chromium: warnings while the row is typed, correcting a
saved row in place, and "Terminar cédula" ready for the next cédula."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.supports.models import Support
from apoyo.supports.services import open_cedula
from apoyo.testing.browser import log_in
from apoyo.testing.factories import PERIOD_START, make_aspirant, make_office, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_warning_shows_while_typing_and_terminar_cedula_keeps_the_choice(
    page, live_server, artifacts_dir
):
    office = make_office(name="Gubernatura")
    aspirant = make_aspirant(office, name="MARIA", paternal_surname="SOTO")
    capturist = make_user(Role.OPL_CAPTURIST, username="captura")
    cedula, _ = open_cedula(capturist, aspirant, "CED-7", PERIOD_START)
    log_in(page, live_server, capturist.username)
    page.goto(f"{live_server.url}/captura/cedulas/{cedula.pk}/")

    # A clave of GARCIA LOPEZ JUAN typed for GARCIA LOPEZ MARIO: said before saving.
    page.get_by_label("Nombre(s)").fill("Mario")
    page.get_by_label("Apellido paterno").fill("García")
    page.get_by_label("Apellido materno").fill("López")
    page.get_by_label("Clave de elector").fill("GRLPJN85010126H001")
    page.get_by_label("Clave de elector").press("Tab")
    warning = page.locator("#row-warnings")
    expect(warning).to_contain_text("(se esperaba GRLPMR): revise el nombre.")
    # The cursor went on to the OCR and stays there while the warning arrives.
    expect(page.get_by_label("OCR")).to_be_focused()
    assert not Support.objects.exists()
    page.screenshot(path=os.path.join(artifacts_dir, "captura-advertencia.png"), full_page=True)

    # Fixing the name clears the warning, still before saving.
    page.get_by_label("Nombre(s)").fill("Juan")
    page.get_by_label("Nombre(s)").press("Tab")
    expect(warning).to_be_empty()
    page.get_by_label("OCR").fill("1234567890123")
    page.get_by_label("OCR").press("Enter")
    expect(page.get_by_text("guardado en la cédula CED-7")).to_be_visible()

    # A saved row is corrected from the cédula page.
    page.get_by_role("link", name="Corregir la fila 1 (GRLPJN85010126H001)").click()
    expect(page.get_by_role("heading", name="Corregir la fila GRLPJN85010126H001")).to_be_visible()
    expect(page.get_by_label("Nombre(s)")).to_have_value("JUAN")
    page.get_by_label("Comentario").fill("firma tenue")
    page.get_by_role("button", name="Guardar corrección").click()
    expect(page.get_by_text("Fila GRLPJN85010126H001 corregida")).to_be_visible()
    assert Support.objects.get().comment == "firma tenue"

    page.get_by_role("link", name="Terminar cédula").click()
    expect(page.get_by_role("heading", name="Captura manual de cédulas")).to_be_visible()
    expect(page.get_by_label("Cargo")).to_have_value(str(office.pk))
    expect(page.get_by_label("Aspirante")).to_have_value(str(aspirant.pk))
    expect(page.get_by_label("Número de referencia (folio de la cédula)")).to_be_focused()
    page.keyboard.type("ced-8")
    page.get_by_label("Fecha de la cédula").fill("2020-12-21")
    page.get_by_role("button", name="Abrir cédula").click()
    expect(page.get_by_role("heading", name="Cédula CED-8")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "captura-siguiente-cedula.png"))

"""Carga masiva in the system Chromium: template, upload, progress, error report; and an upload
done with the keyboard alone."""

import os

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.supports.models import Support
from apoyo.testing.browser import PASSWORD, choose_file_with_space
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv
from apoyo.tests.test_keyboard_browser import choose, follow_link, keyboard_log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_capturist_uploads_a_file_and_downloads_the_error_report(
    page, live_server, tmp_path, artifacts_dir
):
    aspirant = make_aspirant(code="A-07")
    make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)
    page.goto(f"{live_server.url}/entrar/")
    page.get_by_label("Usuario").fill("captura")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("link", name="Carga masiva").click()

    with page.expect_download() as template:
        page.get_by_role("link", name="Plantilla XLSX").click()
    template_path = tmp_path / "plantilla.xlsx"
    template.value.save_as(template_path)
    assert CalamineWorkbook.from_path(str(template_path)).sheet_names[:2] == [
        "Apoyos",
        "Instrucciones",
    ]

    rows = [good_row(n) for n in range(1, 9)]
    rows.append(["F-1", "", "GARCIA", "", "GRLPJN000000", "12", "", "", ""])
    rows.append(["F-1", "ANA", "RUIZ", "", "RXXXAN85010126M001", "1.234E+12", "", "", ""])
    upload_path = write_csv(tmp_path / "cedulas.csv", rows, delimiter=";")
    page.get_by_label("Aspirante").select_option(str(aspirant.pk))
    page.get_by_label("Archivo (CSV o XLSX)").set_input_files(str(upload_path))
    page.get_by_role("button", name="Subir y procesar").click()

    progress = page.get_by_label("Avance de la carga")
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("[data-count=stored]")).to_have_text("8")
    expect(page.locator("[data-count=rejected]")).to_have_text("2")
    expect(page.get_by_text("notación científica")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "carga-masiva.png"), full_page=True)

    with page.expect_download() as report:
        page.get_by_role("link", name="Reporte de errores (CSV)").click()
    report_path = tmp_path / "reporte.csv"
    report.value.save_as(report_path)
    text = report_path.read_text(encoding="utf-8-sig")
    assert "El nombre es obligatorio" in text and "1.234E+12" in text
    assert Support.objects.filter(aspirant=aspirant).count() == 8


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    yield context.new_page()
    context.close()


def test_capturist_uploads_a_file_with_the_keyboard_only(keyboard_page, live_server, tmp_path):
    page = keyboard_page
    aspirant = make_aspirant(code="A-08")
    make_user(Role.OPL_CAPTURIST, username="teclado", password=PASSWORD)
    upload_path = write_csv(tmp_path / "cedulas.csv", [good_row(n) for n in range(1, 4)])
    keyboard_log_in(page, live_server, "teclado")
    follow_link(page, "Carga masiva")
    choose(page, "id_aspirant", str(aspirant))
    # Space on the file field opens the system's file dialog, as it does for a keyboard user.
    tab_to(page, page.get_by_label("Archivo (CSV o XLSX)"))
    choose_file_with_space(page, str(upload_path))
    tab_to(page, page.get_by_role("button", name="Subir y procesar"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Avance de la carga")).to_have_attribute("value", "100")
    expect(page.locator("[data-count=stored]")).to_have_text("3")
    assert Support.objects.filter(aspirant=aspirant).count() == 3

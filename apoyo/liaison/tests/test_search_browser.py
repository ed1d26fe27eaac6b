"""Searching SIVOPLE in the system Chromium: "munoz" finds the folio about MUÑOZ and "cedulas" the
one about "cédulas", whatever the case; the CSV and XLSX downloads carry the search and filters on
screen, with the registration time the page shows; a search that finds nothing says so."""

import csv
import io
import os

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from apoyo.liaison.tests.helpers import World, doc_type
from apoyo.liaison.views.exports import EXPORT_HEADER
from apoyo.testing.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def build():
    world = World()
    munoz = world.register(
        subject="Apoyos de JOSÉ MUÑOZ GARCÍA",
        description="Consulta sobre los apoyos de un ciudadano.",
    )
    cedulas = world.register(subject="Captura de cédulas en papel")
    world.register(code="SOLICITUD", subject="Cédulas: solicitud de formatos")
    world.register(subject="Capacitación")
    return world, munoz, cedulas


def search(page, text):
    page.get_by_label("Buscar (folio, oficio, asunto o texto)").fill(text)
    page.get_by_role("button", name="Filtrar").click()


def download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return info.value


def csv_lines(file):
    with open(file.path(), encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def xlsx_rows(file):
    with open(file.path(), "rb") as handle:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    return workbook.get_sheet_by_name("Consultas").to_python()


def test_sivople_finds_munoz_and_cedulas_without_accents_and_downloads_what_it_shows(
    page, live_server, artifacts_dir
):
    world, munoz, cedulas = build()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, world.utvopl.username)
    page.goto(f"{live_server.url}/sivople/consultas/")
    rows = page.get_by_role("table", name="Consultas y documentos").locator("tbody tr")
    expect(rows).to_have_count(4)

    search(page, "munoz")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(munoz.folio)
    expect(rows.first).to_contain_text("MUÑOZ")
    shown_at = rows.first.locator("td").nth(6).inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-busqueda.png"), full_page=True)

    lines = csv_lines(download(page, "Descargar CSV"))
    assert lines[0] == EXPORT_HEADER
    assert [line[0] for line in lines[1:]] == [munoz.folio]
    # The registration time as the page shows it (local time), not UTC.
    assert lines[1][EXPORT_HEADER.index("Fecha y hora de registro")] == shown_at

    # Upper case, no accent, and the type filter on top: only the CONSULTA about cédulas.
    search(page, "CEDULAS")
    expect(rows).to_have_count(2)
    page.get_by_label("Tipo").select_option(str(doc_type("CONSULTA").pk))
    page.get_by_role("button", name="Filtrar").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(cedulas.folio)
    sheet = xlsx_rows(download(page, "Descargar XLSX"))
    assert sheet[0] == EXPORT_HEADER
    assert [row[0] for row in sheet[1:]] == [cedulas.folio]

    page.get_by_role("link", name="Limpiar").click()
    search(page, "zapata")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text("Ningún resultado para «zapata».")

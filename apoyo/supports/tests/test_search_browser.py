"""Searching and downloading in the system Chromium: "munoz" finds MUÑOZ in the OPL's list and in
the aspirant portal, and the downloads carry the search and filters that are on screen; the
aspirant does both with the keyboard alone."""

import csv
import io
import os

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.supports.exports import OPL_HEADER
from apoyo.supports.services import capture_support, open_cedula
from apoyo.testing.browser import PASSWORD, log_in
from apoyo.testing.factories import PERIOD_START, elector_key, make_aspirant, make_office, make_user
from apoyo.tests.test_keyboard_browser import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PEOPLE = [
    (1, "José", "Muñoz", "García"),
    (2, "María", "Peña", "Ibáñez"),
    (3, "Juan", "López", "Pérez"),
]


def build():
    office = make_office(name="Gubernatura")
    aspirant = make_aspirant(office, with_user=True, name="ANA", paternal_surname="SOTO")
    aspirant.user.set_password(PASSWORD)
    aspirant.user.save()
    capturist = make_user(Role.OPL_CAPTURIST, username="captura", password=PASSWORD)
    cedula, _ = open_cedula(capturist, aspirant, "F-1", PERIOD_START)
    for n, name, paternal, maternal in PEOPLE:
        values = {
            "NOMBRE": name,
            "APELLIDO_PATERNO": paternal,
            "APELLIDO_MATERNO": maternal,
            "CLAVE_ELECTOR": elector_key(n),
            "OCR": f"{n:013d}",
        }
        assert capture_support(capturist, cedula, values).support is not None
    return aspirant


def search(page, text):
    page.get_by_label("Buscar (folio, clave o nombre)").fill(text)
    page.get_by_role("button", name="Buscar", exact=True).click()


def download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return info.value


def test_the_opl_finds_munoz_without_the_enye_and_downloads_what_it_sees(
    page, live_server, artifacts_dir
):
    build()
    log_in(page, live_server, "captura")
    page.goto(f"{live_server.url}/apoyos/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)

    search(page, "munoz")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MUÑOZ")
    page.screenshot(path=os.path.join(artifacts_dir, "busqueda-apoyos.png"), full_page=True)

    csv_file = download(page, "Descargar CSV")
    assert csv_file.suggested_filename == "apoyos.csv"
    with open(csv_file.path(), encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == OPL_HEADER
    assert [line[1] for line in lines[1:]] == [elector_key(1)]

    xlsx_file = download(page, "Descargar XLSX")
    assert xlsx_file.suggested_filename == "apoyos.xlsx"
    with open(xlsx_file.path(), "rb") as handle:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    sheet = workbook.get_sheet_by_name("Apoyos").to_python()
    assert [row[1] for row in sheet[1:]] == [elector_key(1)]

    search(page, "zapata")
    expect(page.get_by_text("Ningún resultado para «zapata».")).to_be_visible()


def test_the_aspirant_finds_pena_typed_without_accents(page, live_server, artifacts_dir):
    aspirant = build()
    log_in(page, live_server, aspirant.user.username)
    expect(page.get_by_role("heading", name="Portal del aspirante")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    search(page, "PENA maria")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PEÑA")
    csv_file = download(page, "Descargar CSV")
    with open(csv_file.path(), encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert [line[1] for line in lines[1:]] == [elector_key(2)]
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(artifacts_dir, "busqueda-portal-390.png"), full_page=True)


def test_the_aspirant_searches_and_downloads_with_the_keyboard_only(page, live_server):
    aspirant = build()
    log_in(page, live_server, aspirant.user.username)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    tab_to(page, page.get_by_label("Buscar (folio, clave o nombre)"))
    page.keyboard.type("munoz")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MUÑOZ")
    tab_to(page, page.get_by_role("link", name="Descargar CSV"))
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert [line[1] for line in lines[1:]] == [elector_key(1)]

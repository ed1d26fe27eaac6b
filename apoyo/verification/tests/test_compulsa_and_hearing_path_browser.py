"""The path of a support from pre-capture to the dictamen, in the system Chromium, each step
through the pages: the aspirant pre-captures a cédula with its scan, a revisor accepts one row and
records an inconsistency on the other, the OPL runs the compulsa (1 valid), opens the garantía de
audiencia, the aspirant argues the invalidated support with evidence, the OPL upholds it (2 valid
after the recompute) and generates the dictamen."""

import os
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.testing.browser import PASSWORD, log_in
from apoyo.testing.factories import (
    PERIOD_START,
    citizen,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    make_user,
    nominal_list,
)
from apoyo.testing.files import PDF, png
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import HearingWindow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# LN 60 at 3 %: 2 valid supports required.
LN = {1: 30, 3: 30}
CEDULA_DATE = PERIOD_START + timedelta(days=5)
ROWS = [
    # (nombre, paterno, materno, clave, OCR, sección)
    ("JUAN", "GARCIA", "LOPEZ", "GRLPJN85031526H701", "4815162342001", 1),
    ("ANA", "MORALES", "RUIZ", "MRRZAN92071826M402", "4815162342002", 3),
]


def log_out(page):
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_label("Usuario")).to_be_visible()


def menu(page, name):
    """Follow a link of the main menu."""
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name=name, exact=True
    ).click()


def shot(page, artifacts_dir, name):
    page.screenshot(
        path=os.path.join(artifacts_dir, f"compulsa-y-audiencia-{name}.png"), full_page=True
    )


def review_heading(page, elector_key):
    return page.get_by_role("heading", name=f"Revisión del apoyo {elector_key}")


def valid_cell(page, aspirant):
    """The «Válidos» cell of the aspirant's row in the results table of the office."""
    table = page.get_by_role("table", name=re.compile("^Resultados por aspirante"))
    return table.locator("tbody tr").filter(has_text=aspirant.full_name).locator("td").nth(1)


def build():
    make_sections()
    nominal_list(LN)
    make_cut()
    for _name, _paternal, _maternal, key, ocr, section in ROWS:
        citizen(key, section=section, ocr=ocr)
    office = make_office(name="Gubernatura")
    aspirant = make_aspirant(
        office, with_user=True, code="A-05", name="LAURA", paternal_surname="QUIROZ"
    )
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)
    make_user(Role.OPL_ADMIN, username="admin-opl", password=PASSWORD)
    return office, aspirant


def test_precapture_review_compulsa_hearing_and_ruling(
    page, live_server, artifacts_dir, tmp_path, monkeypatch
):
    office, aspirant = build()
    accepted_key, argued_key = ROWS[0][3], ROWS[1][3]
    scan = tmp_path / "cedula-P-100.png"
    scan.write_bytes(png(300, 180, (230, 230, 210)))
    evidence = tmp_path / "original-cedula.pdf"
    evidence.write_bytes(PDF)

    # 1. The aspirant registers the cédula with its scan and captures two rows.
    log_in(page, live_server, aspirant.user.username)
    menu(page, "Mi portal")
    page.get_by_role("link", name="Registrar y capturar cédulas").click()
    expect(page.get_by_role("heading", name="Pre-captura de cédulas")).to_be_visible()
    page.get_by_label("Número de referencia (folio de la cédula)").fill("P-100")
    page.get_by_label("Fecha de la cédula").fill(CEDULA_DATE.isoformat())
    page.get_by_label("Escaneos de la cédula").set_input_files(str(scan))
    page.get_by_role("button", name="Registrar cédula").click()
    expect(page.get_by_role("heading", name="Cédula P-100")).to_be_visible()
    expect(page.get_by_text("Cédula P-100 registrada con 1 escaneo(s).")).to_be_visible()
    expect(page.get_by_role("link", name="cedula-P-100.png")).to_be_visible()
    for name, paternal, maternal, key, ocr, _section in ROWS:
        page.get_by_label("Nombre(s)").fill(name)
        page.get_by_label("Apellido paterno").fill(paternal)
        page.get_by_label("Apellido materno").fill(maternal)
        page.get_by_label("Clave de elector").fill(key)
        page.get_by_label("OCR").fill(ocr)
        page.get_by_role("button", name="Guardar fila").click()
        expect(page.get_by_text(f"Apoyo de {key} guardado en la cédula P-100")).to_be_visible()
    rows = page.get_by_role("table", name="Filas capturadas").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Pendiente de revisión")).to_have_count(2)
    expect(page.locator(".messages .warning")).to_have_count(0)
    shot(page, artifacts_dir, "1-precaptura")
    log_out(page)

    # 2. A revisor accepts the first row and records ILEGIBLE (no second revisor) on the other.
    log_in(page, live_server, "revisor")
    menu(page, "Mesa de control")
    queue = page.get_by_role("table", name="Cola de revisión").locator("tbody tr")
    expect(queue).to_have_count(2)
    page.get_by_role("link", name="Comenzar revisión").click()
    expect(review_heading(page, accepted_key)).to_be_visible()
    expect(page.locator("figure.viewer:visible img")).to_be_visible()
    shot(page, artifacts_dir, "2-mesa-de-control")
    page.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text(f"Apoyo {accepted_key} aceptado.")).to_be_visible()
    expect(review_heading(page, argued_key)).to_be_visible()
    page.get_by_label("Tipo de inconsistencia").select_option(label="ILEGIBLE – Datos ilegibles")
    page.get_by_label("Comentario").fill("Firma y clave borrosas en el escaneo")
    page.get_by_role("button", name="Registrar inconsistencia").click()
    expect(page.get_by_text(f"Inconsistencia ILEGIBLE registrada en {argued_key}.")).to_be_visible()
    menu(page, "Mesa de control")
    expect(queue).to_have_count(1)
    expect(queue).to_have_text(re.compile("No hay apoyos pendientes de revisión"))
    expect(page.get_by_role("link", name="Rechazos por confirmar (0)")).to_be_visible()
    log_out(page)

    # 3. The OPL administrator runs the compulsa from the results page: 1 valid.
    log_in(page, live_server, "admin-opl")
    menu(page, "Resultados")
    expect(page.get_by_text("Aún no se ha ejecutado la compulsa de este cargo")).to_be_visible()
    page.get_by_role("button", name="Ejecutar compulsa").click()
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(page.locator("[data-count=supports]")).to_have_text("2")
    page.get_by_role("link", name="Ver resultados").click()
    expect(page.get_by_role("heading", name="Compulsa vigente")).to_be_visible()
    expect(valid_cell(page, aspirant)).to_have_text("1")
    shot(page, artifacts_dir, "3-compulsa")

    # 4. The garantía de audiencia opens today (a start on a weekend is allowed: the window is
    #    open from its start, and its working days are counted from the next working day).
    page.get_by_role("link", name="Garantía de audiencia", exact=True).click()
    expect(page.get_by_role("heading", name="Garantía de audiencia · Gubernatura")).to_be_visible()
    page.get_by_label("Fecha de inicio").fill(hearings.today().isoformat())
    page.get_by_label("Días hábiles").fill("5")
    page.get_by_role("button", name="Abrir audiencia").click()
    expect(page.get_by_text("Garantía de audiencia abierta del")).to_be_visible()
    windows = page.get_by_role("table", name="Plazos de garantía de audiencia")
    expect(windows.locator("[data-window-state=open]")).to_have_text("Abierta")
    shot(page, artifacts_dir, "4-audiencia-abierta")
    log_out(page)

    # 5. The aspirant sees the invalidated support with its motivo and argues it with evidence.
    log_in(page, live_server, aspirant.user.username)
    page.get_by_role("link", name=re.compile("^Avisos")).click()
    expect(
        page.get_by_role("button", name="Garantía de audiencia abierta: Gubernatura")
    ).to_be_visible()
    menu(page, "Mis resultados")
    expect(page.locator("[data-count=valid]")).to_have_text("1")
    menu(page, "Garantía de audiencia")
    expect(page.locator("[data-window-state=open]")).to_be_visible()
    invalid = page.get_by_role("table", name="Mis apoyos no válidos").locator("tbody tr")
    expect(invalid).to_have_count(1)
    expect(invalid).to_contain_text(argued_key)
    expect(invalid).to_contain_text("Inconsistencia")
    expect(invalid).to_contain_text("Datos ilegibles")
    expect(invalid).to_contain_text("Firma y clave borrosas en el escaneo")
    page.get_by_label(f"Elegir el apoyo {argued_key}").check()
    page.get_by_label("Argumentos").fill(
        "La cédula original en papel es legible; adjunto su copia certificada."
    )
    page.get_by_label("Pruebas (opcional)").set_input_files(str(evidence))
    shot(page, artifacts_dir, "5-audiencia-aspirante")
    page.get_by_role("button", name="Presentar solicitud").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Mi solicitud de audiencia N\.º \d+$"))
    ).to_be_visible()
    expect(page.get_by_text("presentada sobre 1 apoyos")).to_be_visible()
    expect(page.locator("[data-status=filed]")).to_have_text("Presentada, sin resolver")
    expect(page.get_by_text("original-cedula.pdf")).to_be_visible()
    log_out(page)

    # 6. The OPL administrator upholds it, lifting the inconsistency; the results are recomputed.
    log_in(page, live_server, "admin-opl")
    menu(page, "Resultados")
    page.get_by_role("link", name="Garantía de audiencia", exact=True).click()
    expect(page.locator("[data-count=filed]")).to_have_text("1")
    requests = page.get_by_role("table", name="Solicitudes de audiencia")
    requests.locator("tbody tr").first.get_by_role("link").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Solicitud de audiencia N\.º"))
    ).to_be_visible()
    expect(page.get_by_text("La cédula original en papel es legible")).to_be_visible()
    page.get_by_role("radio", name="Procedente", exact=True).check()
    page.get_by_label("Fundamento", exact=True).fill(
        "Se cotejó la cédula original: los datos son legibles."
    )
    page.get_by_label("Levantar la inconsistencia ILEGIBLE (si es procedente)").check()
    page.get_by_role("button", name="Guardar resolución").click()
    expect(page.get_by_text(re.compile(r"resuelta: Procedente\. Los resultados"))).to_be_visible()
    expect(page.locator("[data-status=upheld]")).to_have_text("Procedente")
    expect(
        page.get_by_text(
            re.compile(r"Resultados recalculados con la compulsa N\.º \d+ \(terminada\)")
        )
    ).to_be_visible()
    shot(page, artifacts_dir, "6-resolucion")
    menu(page, "Resultados")
    expect(valid_cell(page, aspirant)).to_have_text("2")
    log_out(page)

    log_in(page, live_server, aspirant.user.username)
    page.get_by_role("link", name=re.compile("^Avisos")).click()
    notice = page.get_by_role("button", name=re.compile(r"fue resuelta: procedente$"))
    expect(notice).to_be_visible()
    notice.click()
    expect(page.locator("[data-status=upheld]")).to_have_text("Procedente")
    expect(
        page.get_by_text("Se cotejó la cédula original: los datos son legibles.")
    ).to_be_visible()
    shot(page, artifacts_dir, "6-resolucion-aspirante")
    menu(page, "Mis resultados")
    expect(page.locator("[data-count=valid]")).to_have_text("2")
    log_out(page)

    # 7. Once the window is over (the institute's calendar moves past its end), the dictamen.
    window = HearingWindow.objects.get(office=office)
    monkeypatch.setattr(hearings, "today", lambda: window.end_date + timedelta(days=1))
    log_in(page, live_server, "admin-opl")
    menu(page, "Resultados")
    page.get_by_role("link", name="Dictámenes").click()
    page.get_by_label("Revisé las cifras y confirmo que se genere el dictamen").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Generar dictamen").click()
    expect(
        page.get_by_role(
            "heading", name="Dictamen sobre el apoyo ciudadano de las personas aspirantes"
        )
    ).to_be_visible()
    summary = page.get_by_role("table", name="Resultado por aspirante").locator("tbody tr")
    expect(summary).to_have_count(1)
    expect(summary.locator("td").nth(3)).to_have_text("2")
    expect(summary.locator(".badge.meets")).to_have_text("Cumple")
    figures = page.get_by_role("table", name=f"Cifras de {aspirant.full_name}")
    before = figures.locator("tr", has_text="Apoyos válidos antes de la garantía de audiencia")
    expect(before.locator("td").nth(1)).to_have_text("1")
    section = page.locator("section.aspirant")
    expect(section.get_by_text("1 procedente (1 apoyo corregido)")).to_be_visible()
    heard = page.get_by_role("table", name=f"Solicitudes de audiencia de {aspirant.full_name}")
    expect(heard.locator("tbody tr")).to_have_count(1)
    expect(heard.locator("tbody tr")).to_contain_text("Procedente")
    expect(heard.locator("tbody tr")).to_contain_text("Se cotejó la cédula original")
    shot(page, artifacts_dir, "7-dictamen")
    href = page.get_by_role("link", name="Descargar PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

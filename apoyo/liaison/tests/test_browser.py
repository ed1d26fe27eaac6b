"""SIVOPLE in the system Chromium: from the OPL's registration to the answer it receives."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.liaison.models import Consultation
from apoyo.liaison.tests.helpers import World
from apoyo.testing.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_out(page):
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_label("Usuario")).to_be_visible()


def test_a_consultation_goes_from_the_opl_to_the_area_and_its_answer_back(
    page, live_server, artifacts_dir, tmp_path
):
    world = World()
    letter = tmp_path / "IEE-PRESI-137-2020.pdf"
    letter.write_bytes(b"%PDF-1.4\nOficio del IEE Sonora\n%%EOF\n")
    reply = tmp_path / "respuesta-derfe.pdf"
    reply.write_bytes(b"%PDF-1.4\nRespuesta de la DERFE\n%%EOF\n")

    # The OPL registers its consultation with the letter attached.
    log_in(page, live_server, world.opl.username)
    page.get_by_role("link", name="SIVOPLE").click()
    page.get_by_role("link", name="Registrar consulta o documento").click()
    page.get_by_label("Tipo de documento").select_option(label="CONSULTA")
    page.get_by_label("Folio del documento del OPL").fill("IEE-PRESI-137-2020")
    page.get_by_label("Asunto").fill("Captura de cédulas en papel")
    page.get_by_label("Descripción").fill(
        "Se hace consulta en materia de candidaturas independientes."
    )
    page.get_by_label("Anexos").set_input_files(str(letter))
    page.get_by_role("button", name="Registrar").click()
    folio = Consultation.objects.get().folio
    expect(page.get_by_role("status")).to_contain_text(f"Registrada con el folio {folio}")
    expect(page.get_by_role("link", name="IEE-PRESI-137-2020.pdf")).to_be_visible()
    log_out(page)

    # UTVOPL finds it in its inbox and assigns it to DERFE.
    log_in(page, live_server, world.utvopl.username)
    inbox = page.get_by_role("table", name="Por turnar")
    inbox.get_by_role("link", name=folio).click()
    page.get_by_label("DERFE · Dirección Ejecutiva del Registro Federal de Electores").check()
    page.get_by_label("Instrucción (opcional)").fill("Atender conforme al art. 26.6 del RE.")
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-turnar-utvopl.png"), full_page=True)
    page.get_by_role("button", name="Turnar").click()
    expect(page.get_by_role("status")).to_contain_text(f"{folio} turnada a DERFE")
    timeline = page.get_by_role("table", name="Línea de tiempo")
    expect(timeline.get_by_text("2 correos enviados")).to_be_visible()
    log_out(page)

    # A DERFE user drafts the answer with an attachment.
    log_in(page, live_server, world.derfe.username)
    page.get_by_role("link", name="SIVOPLE").click()
    page.get_by_role("table", name="Por atender").get_by_role("link", name=folio).click()
    page.get_by_role("link", name="Redactar respuesta de DERFE").click()
    page.get_by_label("Respuesta").fill(
        "No existe un módulo de carga masiva; la captura manual pide ocho campos."
    )
    page.get_by_label("Anexos").set_input_files(str(reply))
    page.get_by_role("button", name="Guardar respuesta").click()
    expect(page.get_by_role("status")).to_contain_text("Respuesta de DERFE guardada")
    log_out(page)

    # The head of DERFE approves it.
    log_in(page, live_server, world.derfe_head.username)
    page.get_by_role("link", name="SIVOPLE").click()
    page.get_by_role("table", name="Por aprobar").get_by_role("link", name=folio).click()
    page.get_by_role("button", name="Aprobar respuesta").click()
    expect(page.get_by_role("status")).to_contain_text("Respuesta de DERFE aprobada")
    log_out(page)

    # UTVOPL forwards it to the OPL.
    log_in(page, live_server, world.utvopl.username)
    page.get_by_role("table", name="Respuestas por remitir").get_by_role("link", name=folio).click()
    page.get_by_role("button", name="Remitir al OPL").click()
    expect(page.get_by_role("status")).to_contain_text("Respuesta de DERFE remitida al OPL.")
    log_out(page)

    # The OPL reads the answer and may ask a follow-up on the same folio.
    log_in(page, live_server, world.opl.username)
    page.get_by_role("link", name="SIVOPLE").click()
    page.get_by_role("table", name="Respuestas recibidas").get_by_role("link", name=folio).click()
    answer = page.get_by_role("article", name="Respuesta de DERFE")
    expect(answer.get_by_text("No existe un módulo de carga masiva")).to_be_visible()
    expect(answer.get_by_role("link", name="respuesta-derfe.pdf")).to_be_visible()
    expect(page.get_by_text("Respondida", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Pedir un seguimiento en este folio")).to_be_visible()
    timeline = page.get_by_role("table", name="Línea de tiempo")
    expect(timeline.get_by_text("Respuesta remitida al OPL")).to_be_visible()
    expect(timeline.get_by_text("Proyecto de respuesta")).to_have_count(0)
    page.screenshot(path=os.path.join(artifacts_dir, "sivople-respuesta-opl.png"), full_page=True)

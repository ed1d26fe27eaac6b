"""The dictamen (GLOSSARY: Ruling): when it may be generated, what it states, its printable page
and its stored PDF, and who may see it (verification.rulings and its pages)."""

import base64
import hashlib
import os
import re
import zlib
from datetime import timedelta

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.processes.models import Institute
from apoyo.testing.factories import citizen, elector_key, make_office, make_user, support
from apoyo.verification.hearings import resolution
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import RequestStatus, Ruling
from apoyo.verification.rulings.pdf import ruling_pdf
from apoyo.verification.rulings.services import RulingError, blockers, generate_ruling
from apoyo.verification.services import current_run, run_check
from apoyo.verification.tasks import check_office
from apoyo.verification.tests.hearing_data import build_hearing, opl

pytestmark = pytest.mark.django_db

NO_HEARING = "Ningún aspirante alcanza el umbral ni con sus apoyos no válidos."


@pytest.fixture
def h():
    return build_hearing()


@pytest.fixture
def admin():
    return opl()


def text(response):
    return response.content.decode()


def pdf_text(data):
    """The text drawn in a reportlab PDF: its content streams decoded (ASCII85, then Flate)."""
    found = []
    for header, body in re.findall(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", data, re.S):
        if b"ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"), adobe=False)
        if b"FlateDecode" in header:
            body = zlib.decompress(body)
        found.append(body.decode("latin-1"))
    return "\n".join(found)


@pytest.fixture
def heard(h, admin, monkeypatch, django_capture_on_commit_callbacks):
    """After the hearing: María's photocopy lifted (4 valid, meets), Pedro's request rejected,
    and the window over."""
    window = hearings.open_window(admin, h.office, hearings.today())
    upheld = hearings.file_hearing_request(h.maria.user, window, [h.photocopy.pk], "Es original.")
    rejected = hearings.file_hearing_request(h.pedro.user, window, [h.pedros.pk], "Sí firmó.")
    with django_capture_on_commit_callbacks(execute=True):
        resolution.resolve_hearing_request(
            admin,
            upheld,
            resolution.same_ruling(
                upheld,
                RequestStatus.UPHELD,
                "Se cotejó el original.",
                {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
            ),
        )
        resolution.resolve_hearing_request(
            admin,
            rejected,
            resolution.same_ruling(rejected, RequestStatus.REJECTED, "No hay firma."),
        )
    monkeypatch.setattr(hearings, "today", lambda: window.end_date + timedelta(days=1))
    return window


def test_the_ruling_states_counts_dispersion_outcome_and_hearing_per_aspirant(h, admin, heard):
    ruling = generate_ruling(admin, h.office)
    assert ruling.run == current_run(h.office) and ruling.run != h.run
    assert (ruling.generated_by, ruling.office) == (admin, h.office)
    f = ruling.figures
    assert f["number"] == ruling.pk and f["meet"] == 1
    maria, pedro = f["aspirants"]
    assert (maria["name"], maria["valid"], maria["required"], maria["meets"]) == (
        "MARIA SOTO LOPEZ",
        4,
        4,
        True,
    )
    assert maria["valid_before_hearing"] == 3 and maria["captured"] == 6
    assert {m["code"]: m["count"] for m in maria["motives"]}["NO_ENCONTRADO"] == 2
    assert {m["code"]: m["count"] for m in maria["motives"]}["INCONSISTENCIA"] == 0
    assert [(u["name"], u["valid"], u["met"]) for u in maria["units"]] == [
        ("Aconchi", 2, True),
        ("Agua Prieta", 1, True),
        ("Hermosillo", 1, True),
    ]
    assert maria["hearing"]["upheld"] == 1 and maria["hearing"]["corrected"] == 1
    assert maria["hearing"]["requests"][0]["resolution"] == (
        "Procedente (1 apoyo): Se cotejó el original."
    )
    assert (pedro["meets"], pedro["meets_threshold"], pedro["hearing"]["rejected"]) == (
        False,
        False,
        1,
    )
    assert f["windows"][0]["working_days"] == 5


def test_the_pdf_is_stored_with_its_hash_and_names_each_aspirant(h, admin, heard):
    ruling = generate_ruling(admin, h.office)
    with ruling.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == ruling.pdf_sha256
    assert ruling.pdf.name.startswith("dictamenes/") and h.office.code in ruling.pdf.name
    drawn = pdf_text(data)
    assert "MARIA SOTO LOPEZ" in drawn and "PEDRO RUIZ LOPEZ" in drawn
    assert "NO CUMPLE: no alcanza los apoyos requeridos" in drawn
    # Letters outside ASCII are written as WinAnsi octal escapes: º is \272.
    assert f"Dictamen N.\\272 {ruling.pk}" in drawn


def test_the_printable_page_and_the_pdf_download(client, h, admin, heard):
    ruling = generate_ruling(admin, h.office)
    user = opl(client, Role.OPL_REVIEWER)
    page = text(client.get(reverse("verification:ruling", args=[ruling.pk])))
    # The print rules are in apoyo.css, for the body of this page.
    assert "Dictamen sobre el apoyo ciudadano" in page and '<body class="printable"' in page
    assert "MARIA SOTO LOPEZ" in page and "NO CUMPLE: no alcanza los apoyos requeridos" in page
    assert "Apoyos válidos antes de la garantía de audiencia" in page
    assert "Dispersión por municipio" in page and "Agua Prieta" in page
    assert "Se cotejó el original." in page and "No hay firma." in page
    response = client.get(reverse("verification:ruling_pdf", args=[ruling.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=user, object_type="dictamen", action="descargar").exists()


def test_the_admin_generates_from_the_list_and_finds_it_there(client, h, heard):
    opl(client)
    url = reverse("verification:rulings", args=[h.office.pk])
    assert "Generar dictamen" in text(client.get(url))
    generate = reverse("verification:ruling_generate", args=[h.office.pk])
    unconfirmed = client.post(generate)
    assert unconfirmed.status_code == 400 and "Confirme que revisó las cifras" in text(unconfirmed)
    assert not Ruling.objects.exists()
    response = client.post(generate, {"confirm": "1"})
    ruling = Ruling.objects.get()
    assert response["Location"] == reverse("verification:ruling", args=[ruling.pk])
    listing = text(client.get(url))
    assert reverse("verification:ruling_pdf", args=[ruling.pk]) in listing
    assert "1 de 2" in listing and f"N.º {ruling.run_id}" in listing


def test_a_ruling_keeps_its_figures_after_later_runs(h, admin, heard):
    first = generate_ruling(admin, h.office)
    k = elector_key()
    citizen(k, section=3)
    support(h.pedro, k, reference="G-2")
    run_check(h.office)
    with pytest.raises(RulingError, match="indique el motivo para sustituirlo"):
        generate_ruling(admin, h.office)
    second = generate_ruling(admin, h.office, supersede_reason="Se incluye el apoyo G-2.")
    first.refresh_from_db()
    assert (first.superseded_by, first.supersede_reason) == (second, "Se incluye el apoyo G-2.")
    assert second.figures["supersedes"] == {
        "number": first.pk,
        "reason": "Se incluye el apoyo G-2.",
    }
    assert first.figures["aspirants"][1]["valid"] == 1
    assert second.figures["aspirants"][1]["valid"] == 2
    assert second.run != first.run
    assert list(Ruling.objects.filter(office=h.office)) == [second, first]


def test_no_ruling_without_a_compulsa(admin):
    office = make_office()
    with pytest.raises(RulingError, match="aún no tiene compulsa"):
        generate_ruling(admin, office)


def test_no_ruling_while_the_hearing_is_open_or_requests_are_pending(h, admin, monkeypatch):
    window = hearings.open_window(admin, h.office, hearings.today())
    hearings.file_hearing_request(h.maria.user, window, [h.missing.pk], "Revisen la clave.")
    with pytest.raises(RulingError, match="sigue abierta o programada hasta el"):
        generate_ruling(admin, h.office)
    monkeypatch.setattr(hearings, "today", lambda: window.end_date + timedelta(days=1))
    with pytest.raises(RulingError, match="Hay 1 solicitudes de audiencia sin resolver"):
        generate_ruling(admin, h.office)
    assert not Ruling.objects.exists()


def test_no_ruling_until_the_recompute_after_an_upheld_request_finishes(h, admin, monkeypatch):
    window = hearings.open_window(admin, h.office, hearings.today())
    hearing_request = hearings.file_hearing_request(
        h.maria.user, window, [h.photocopy.pk], "Original."
    )
    # The recompute is queued for after the commit; here the worker has not run it yet.
    resolution.resolve_hearing_request(
        admin,
        hearing_request,
        resolution.same_ruling(
            hearing_request,
            RequestStatus.UPHELD,
            "Original cotejado.",
            {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}},
        ),
    )
    monkeypatch.setattr(hearings, "today", lambda: window.end_date + timedelta(days=1))
    found = blockers(h.office, current_run(h.office))
    assert found == [
        "Hay una compulsa en curso para este cargo; espere a que termine.",
        "La compulsa vigente es anterior a la última solicitud declarada procedente; "
        "ejecute la compulsa de nuevo para incluir sus correcciones.",
    ]
    hearing_request.refresh_from_db()
    check_office.call(hearing_request.recheck_run.pk)  # the worker runs it
    assert blockers(h.office, current_run(h.office)) == []
    figures = generate_ruling(admin, h.office).figures["aspirants"]
    # By code, not by place: the factories' codes (A-99, A-100) sort as text.
    assert next(a for a in figures if a["code"] == h.maria.code)["valid"] == 4


def test_a_ruling_without_a_hearing_needs_a_recorded_reason_and_says_so(client, h, admin):
    with pytest.raises(RulingError, match="no se ha celebrado su garantía de audiencia"):
        generate_ruling(admin, h.office)
    ruling = generate_ruling(admin, h.office, no_hearing_reason=NO_HEARING)
    assert ruling.no_hearing_reason == NO_HEARING
    assert ruling.figures["windows"] == []
    assert ruling.figures["aspirants"][0]["valid_before_hearing"] is None
    opl(client)
    page = text(client.get(reverse("verification:ruling", args=[ruling.pk])))
    assert "No se abrió garantía de audiencia para este cargo." in page


@pytest.mark.parametrize("role", [Role.OPL_REVIEWER, Role.OPL_CAPTURIST])
def test_only_an_administrator_generates_the_ruling(client, h, role):
    opl(client, role)
    page = text(client.get(reverse("verification:rulings", args=[h.office.pk])))
    assert "Dictámenes generados" in page and "Generar dictamen" not in page
    response = client.post(reverse("verification:ruling_generate", args=[h.office.pk]))
    assert response.status_code == 403
    with pytest.raises(RulingError, match="Solo un administrador"):
        generate_ruling(make_user(role), h.office)
    assert not Ruling.objects.exists()


def test_a_refused_generation_explains_why_on_the_page(client, h, admin):
    hearings.open_window(admin, h.office, hearings.today())
    client.force_login(admin)
    page = text(client.get(reverse("verification:rulings", args=[h.office.pk])))
    assert "Aún no se puede generar el dictamen" in page and "Generar dictamen" not in page
    response = client.post(reverse("verification:ruling_generate", args=[h.office.pk]))
    assert response.status_code == 400 and "sigue abierta o programada" in text(response)


def test_an_opl_user_of_another_entity_gets_404(client, h, admin):
    ruling = generate_ruling(admin, h.office, no_hearing_reason=NO_HEARING)
    opl(client, state_number=14)
    for url in [
        reverse("verification:rulings", args=[h.office.pk]),
        reverse("verification:ruling", args=[ruling.pk]),
        reverse("verification:ruling_pdf", args=[ruling.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("verification:ruling_generate", args=[h.office.pk])).status_code == 404
    )
    with pytest.raises(RulingError, match="no es de su entidad"):
        generate_ruling(opl(state_number=14), h.office)


def test_aspirants_and_ine_users_get_403_on_ruling_pages(client, h, admin):
    ruling = generate_ruling(admin, h.office, no_hearing_reason=NO_HEARING)
    for user in (h.maria.user, make_user(Role.INE_UTVOPL)):
        client.force_login(user)
        assert client.get(reverse("verification:ruling", args=[ruling.pk])).status_code == 403
        assert client.get(reverse("verification:ruling_pdf", args=[ruling.pk])).status_code == 403
        assert client.get(reverse("verification:rulings", args=[h.office.pk])).status_code == 403


def test_the_pdf_carries_the_opl_the_legal_basis_the_signature_and_page_n_of_m(h, admin, heard):
    Institute.objects.update_or_create(
        state_id=26,
        defaults={"name": "Instituto Estatal Electoral de Sonora", "heading": "Consejo General"},
    )
    h.office.process.legal_basis = "Artículos 371 y 383 a 385 de la LGIPE."
    h.office.process.save()
    ruling = generate_ruling(admin, h.office)
    with ruling.pdf.open("rb") as handle:
        drawn = pdf_text(handle.read())
    assert "Instituto Estatal Electoral de Sonora" in drawn and "Consejo General" in drawn
    assert "Fundamento legal" in drawn and "Art\\355culos 371 y 383 a 385 de la LGIPE." in drawn
    assert admin.get_full_name() in drawn and "Administrador OPL" in drawn
    assert re.search(r"P\\341gina 1 de (\d+)", drawn)
    total = int(re.search(r"P\\341gina 1 de (\d+)", drawn).group(1))
    assert total >= 2 and f"P\\341gina {total} de {total}" in drawn


def test_the_page_shows_the_pdf_sha256_and_what_a_ruling_supersedes(client, h, admin, heard):
    first = generate_ruling(admin, h.office)
    second = generate_ruling(admin, h.office, supersede_reason="Corrección de cifras.")
    opl(client)
    page = text(client.get(reverse("verification:ruling", args=[second.pk])))
    assert second.pdf_sha256 in page and f"Al dictamen N.º {first.pk}" in page
    listing = text(client.get(reverse("verification:rulings", args=[h.office.pk])))
    assert f"Sustituido por el N.º {second.pk}: Corrección de cifras." in listing
    assert first.pdf_sha256 in listing


def test_the_page_writes_counts_with_thousands_separators_and_percentages_with_the_sign(
    client, h, admin, heard
):
    ruling = generate_ruling(admin, h.office)
    # Figures of a large entity, as a ruling keeps them.
    first = ruling.figures["aspirants"][0]
    first.update(nominal_list=2105000, required=63145, captured=70312, valid=64000)
    first["percent"] = "3.04"
    ruling.figures["office"]["threshold_percent"] = "3.00"
    ruling.figures["run"]["supports"] = 140624
    Ruling.objects.filter(pk=ruling.pk).update(figures=ruling.figures)
    opl(client)
    page = text(client.get(reverse("verification:ruling", args=[ruling.pk])))
    assert '<td class="num">2,105,000</td>' in page and '<td class="num">63,145</td>' in page
    assert '<td class="num">70,312</td>' in page and '<td class="num">64,000</td>' in page
    assert '<td class="num">3.04%</td>' in page and "3.00% de la Lista Nominal" in page
    assert "140,624 apoyos revisados" in page
    assert " %" not in page
    drawn = pdf_text(ruling_pdf(ruling.figures))
    assert "(2,105,000)" in drawn and "(63,145)" in drawn and "(3.04%)" in drawn
    assert "3.00% de la" in drawn and "140,624 apoyos" in drawn


def test_the_first_page_of_the_dictamen_pdf_as_a_picture(h, admin, heard, artifacts_dir):
    """A picture of the PDF's first page for people to look at (test-artifacts)."""
    pdfium = pytest.importorskip("pypdfium2")
    ruling = generate_ruling(admin, h.office)
    with ruling.pdf.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    image = document[0].render(scale=1.5).to_pil()
    path = os.path.join(artifacts_dir, "dictamen-pagina-1.png")
    image.save(path)
    assert image.width > 800 and os.path.getsize(path) > 10_000

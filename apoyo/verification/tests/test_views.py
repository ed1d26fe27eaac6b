"""The results pages: the OPL's tables, the compulsa as a job, exports, the INE route, the portal."""

import csv
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import AccessLog, Role
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_process,
    make_sections,
    make_user,
    nominal_list,
    support,
)
from apoyo.testing.plans import plan
from apoyo.verification.exchange import EXPORT_HEADER
from apoyo.verification.models import CheckRun, RunStatus, Source, SupportResult
from apoyo.verification.results import ASPIRANT_HEADER, SUPPORT_HEADER
from apoyo.verification.services import run_check, start_run
from apoyo.verification.tasks import check_office

pytestmark = pytest.mark.django_db

# Sections of make_sections(): 1, 2 (Aconchi, mun 1), 3 (Agua Prieta, mun 2), 900, 901
# (Hermosillo, mun 49). Required: ceil(3 % of 120) = 4; a municipality needs 1 % of its LN.
LN = {1: 20, 2: 20, 3: 40, 900: 30, 901: 10}
ROLL_OCR = "9999999999999"


def make_state_office(**fields):
    values = {
        "dispersion_unit": "municipality",
        "dispersion_min_units": 2,
        "dispersion_min_percent": 1,
    }
    values.update(fields)
    return make_office(**values)


@pytest.fixture
def office():
    make_sections()
    nominal_list(LN)
    return make_state_office(name="Gubernatura")


@pytest.fixture
def data(office):
    """Aspirant A: 4 valid (3 municipalities), 1 not found, 1 duplicate. Aspirant B: 1 valid."""
    make_cut()
    a = make_aspirant(office, with_user=True, name="MARIA", paternal_surname="SOTO")
    b = make_aspirant(office, with_user=True, name="PEDRO", paternal_surname="RUIZ")
    keys = [elector_key() for _ in range(6)]
    for k, section in zip(keys, [1, 3, 900, 2, 1, 901], strict=True):
        citizen(k, section=section, ocr=ROLL_OCR)
    for k in keys[:4]:
        support(a, k, reference="F-1")
    missing = elector_key()
    support(a, missing, reference="F-2")
    support(a, keys[0], reference="F-3")
    support(b, keys[5], reference="G-1")
    return {"a": a, "b": b, "keys": keys, "missing": missing}


def logged(client, role=Role.OPL_ADMIN, state_number=26):
    user = make_user(role, state_number=state_number)
    client.force_login(user)
    return user


def text(response):
    return response.content.decode()


def streamed(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def start_from_page(client, office, capture):
    with capture(execute=True):
        response = client.post(reverse("verification:run_start", args=[office.pk]))
    return response, CheckRun.objects.filter(office=office).latest("id")


# Running the compulsa from the pages ------------------------------------------------------------


def test_admin_runs_the_compulsa_and_sees_the_aspirant_table(
    client, office, data, django_capture_on_commit_callbacks
):
    admin = logged(client)
    response, run = start_from_page(client, office, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("verification:run", args=[run.pk])
    assert (run.status, run.run_by, run.source, run.supports) == (
        RunStatus.DONE,
        admin,
        Source.ROLL,
        7,
    )
    page = text(client.get(response["Location"]))
    assert "Terminada" in page and 'data-count="meet">1<' in page
    partial = text(client.get(response["Location"], HTTP_HX_REQUEST="true"))
    assert partial.startswith('<div id="progress"') and "every 1s" not in partial

    index = text(client.get(reverse("verification:index")))
    assert data["a"].code in index and data["b"].code in index
    assert "Cumple" in index and "No cumple" in index
    # A: 4 valid of 4 required, 3 municipalities of 2; B: 1 of 4, 25 % of the way.
    assert 'value="100" aria-label="Avance de ' + data["a"].code in index
    assert 'value="25.00" aria-label="Avance de ' + data["b"].code in index
    assert "3 / 2" in index and "1 / 2" in index


def test_the_run_page_polls_until_the_run_finishes(client, office):
    logged(client)
    run = start_run(office)
    partial = text(client.get(reverse("verification:run", args=[run.pk]), HTTP_HX_REQUEST="true"))
    assert "every 1s" in partial and "En espera" in partial
    page = text(client.get(reverse("verification:run", args=[run.pk])))
    assert "Compulsa " + str(run.pk) in page and "every 1s" in page


def test_a_failed_run_shows_its_spanish_message(client, office, django_capture_on_commit_callbacks):
    make_aspirant(office)
    support(make_aspirant(office), elector_key())  # no roll cut and no INE answer
    logged(client)
    response, run = start_from_page(client, office, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    page = text(client.get(response["Location"]))
    assert "Falló" in page and "No hay corte del padrón del 31/08/2020" in page
    assert "every 1s" not in page
    office_page = text(client.get(reverse("verification:office", args=[office.pk])))
    assert "Aún no se ha ejecutado la compulsa" in office_page
    assert "importe el padrón o los resultados del INE" in office_page


def test_a_second_click_while_running_follows_the_running_compulsa(client, office):
    logged(client)
    running = start_run(office)
    response = client.post(reverse("verification:run_start", args=[office.pk]))
    assert response["Location"] == reverse("verification:run", args=[running.pk])
    assert CheckRun.objects.filter(office=office).count() == 1


def test_the_job_swallows_a_check_error_and_leaves_the_run_failed(office):
    support(make_aspirant(office), elector_key())
    run = start_run(office)
    assert check_office.call(run.pk) == RunStatus.FAILED  # process without a roll cut
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "No hay corte" in run.message


# Who may see and do what -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPL_CAPTURIST, Role.OPL_REVIEWER])
def test_capturist_and_reviewer_view_results_but_cannot_run(client, office, data, role):
    run = run_check(office)
    logged(client, role)
    assert client.get(reverse("verification:index")).status_code == 200
    assert client.get(reverse("verification:office", args=[office.pk])).status_code == 200
    assert client.get(reverse("verification:aspirant", args=[data["a"].pk])).status_code == 200
    assert client.get(reverse("verification:run", args=[run.pk])).status_code == 200
    page = text(client.get(reverse("verification:index")))
    assert "Ejecutar compulsa" not in page
    assert client.post(reverse("verification:run_start", args=[office.pk])).status_code == 403
    assert client.get(reverse("verification:ine", args=[office.pk])).status_code == 403
    assert client.get(reverse("verification:ine_export", args=[office.pk])).status_code == 403
    assert CheckRun.objects.count() == 1


def opl_urls(office, aspirant, run):
    return [
        reverse("verification:office", args=[office.pk]),
        reverse("verification:aspirant", args=[aspirant.pk]),
        reverse("verification:run", args=[run.pk]),
        reverse("verification:export", args=[office.pk, "resultados", "xlsx"]),
        reverse("verification:export", args=[office.pk, "apoyos", "csv"]),
        reverse("verification:ine", args=[office.pk]),
        reverse("verification:ine_export", args=[office.pk]),
    ]


def test_a_user_of_another_entity_gets_404(client, office, data):
    run = run_check(office)
    logged(client, Role.OPL_ADMIN, state_number=14)
    for url in opl_urls(office, data["a"], run):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("verification:run_start", args=[office.pk])).status_code == 404
    assert office.name not in text(client.get(reverse("verification:index")))
    assert CheckRun.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ASPIRANT, Role.INE_DERFE])
def test_aspirants_and_ine_get_403_on_opl_pages(client, office, data, role):
    run = run_check(office)
    user = data["a"].user if role == Role.ASPIRANT else make_user(role)
    client.force_login(user)
    for url in [reverse("verification:index"), *opl_urls(office, data["a"], run)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("verification:run_start", args=[office.pk])).status_code == 403


def test_the_ine_role_has_no_portal(client, office):
    client.force_login(make_user(Role.INE_UTVOPL))
    assert client.get(reverse("verification:portal")).status_code == 403


# The aspirant page and the motivo filter --------------------------------------------------------


def test_aspirant_page_shows_dispersion_table_chart_and_logs_the_access(client, office, data):
    run_check(office)
    admin = logged(client)
    page = text(client.get(reverse("verification:aspirant", args=[data["a"].pk])))
    assert "Dispersión por municipio" in page
    for name in ("Aconchi", "Agua Prieta", "Hermosillo"):
        assert name in page
    assert '<svg viewBox="0 0 720' in page and 'role="img"' in page
    assert page.count("<rect ") == 3
    assert '<title id="grafica-titulo">' in page
    assert "3 de 3 unidades alcanzan" in page
    assert data["missing"] in page and "No encontrado en el padrón" in page
    assert AccessLog.objects.filter(
        user=admin, action="ver", object_type="resultados", object_id=str(data["a"].pk)
    ).exists()


def test_motivo_filter(client, office, data):
    run_check(office)
    logged(client)
    url = reverse("verification:aspirant", args=[data["a"].pk])
    not_found = text(client.get(url, {"motivo": "NO_ENCONTRADO"}))
    assert data["missing"] in not_found and data["keys"][1] not in not_found
    duplicates = text(client.get(url, {"motivo": "DUPLICADO_MISMO"}))
    assert "F-3" in duplicates and data["missing"] not in duplicates
    valid = text(client.get(url, {"motivo": "validos"}))
    assert all(k in valid for k in data["keys"][:4]) and data["missing"] not in valid
    everything = text(client.get(url, {"motivo": ""}))
    assert data["missing"] in everything and data["keys"][1] in everything


@override_settings(APOYO_PAGE_SIZE=2)
def test_every_page_of_an_aspirants_results_follows_capture_order(client, office, data):
    # The last pages are read from the end of the list (core.pagination), by the index of the
    # aspirant's results in capture order.
    run_check(office)
    logged(client)
    url = reverse("verification:aspirant", args=[data["a"].pk])
    results = SupportResult.objects.filter(aspirant=data["a"]).order_by("support_id")
    for motive, expected in [
        ("", list(results.values_list("support_id", flat=True))),
        ("validos", list(results.filter(valid=True).values_list("support_id", flat=True))),
    ]:
        listed = []
        for number in range(1, -(-len(expected) // 2) + 1):
            page = client.get(url, {"motivo": motive, "page": number}).context["page"]
            listed += [result.support_id for result in page]
        assert listed == expected, motive


def test_a_page_of_results_is_read_from_the_index_in_capture_order(office, data):
    if connection.vendor != "sqlite":
        pytest.skip("a plan of SQLite's")
    run = run_check(office)
    results = SupportResult.objects.filter(run=run, aspirant=data["a"]).order_by("support_id", "id")
    for listed in [results, results.filter(motive="NO_ENCONTRADO")]:
        steps = plan(listed.values("pk")[:50])
        assert not any("TEMP B-TREE" in step for step in steps), steps


def test_pages_say_when_there_is_no_run_yet(client, office, data):
    logged(client)
    message = "Aún no se ha ejecutado la compulsa"
    assert message in text(client.get(reverse("verification:index")))
    assert message in text(client.get(reverse("verification:office", args=[office.pk])))
    assert message in text(client.get(reverse("verification:aspirant", args=[data["a"].pk])))
    export = reverse("verification:export", args=[office.pk, "apoyos", "csv"])
    assert client.get(export).status_code == 404
    client.force_login(data["a"].user)
    assert "aún no ha ejecutado la compulsa" in text(client.get(reverse("verification:portal")))


def test_past_runs_remain_viewable(client, office, data):
    first = run_check(office)
    support(data["b"], data["keys"][4], reference="G-2")
    second = run_check(office)
    logged(client)
    url = reverse("verification:office", args=[office.pk])
    current = text(client.get(url))
    assert "Compulsa vigente" in current and f"?run={first.pk}" in current
    old = text(client.get(url, {"run": first.pk}))
    assert "Compulsa anterior (no vigente)" in old
    export = reverse("verification:export", args=[office.pk, "apoyos", "csv"])
    assert streamed(client.get(export, {"run": first.pk})).count("\n") == 1 + 7
    assert streamed(client.get(export)).count("\n") == 1 + 8
    assert client.get(url, {"run": second.pk + 100}).status_code == 404
    assert client.get(url, {"run": "x"}).status_code == 404


# Exports -----------------------------------------------------------------------------------------


def test_exports_have_the_contract_headers_and_neutralise_formulas(client, office, data):
    make_cut()
    k = elector_key()
    citizen(k, section=3)
    support(data["b"], k, reference="=HYPERLINK(1)")
    run = run_check(office)
    logged(client)

    def url(kind, fmt):
        return reverse("verification:export", args=[office.pk, kind, fmt])

    supports = list(csv.reader(io.StringIO(streamed(client.get(url("apoyos", "csv"))))))
    assert supports[0] == SUPPORT_HEADER
    assert ["'=HYPERLINK(1)", k] == supports[-1][1:3]
    aspirants = list(csv.reader(io.StringIO(streamed(client.get(url("aspirantes", "csv"))))))
    assert aspirants[0] == ASPIRANT_HEADER
    assert [row[0] for row in aspirants[1:]] == [data["a"].code, data["b"].code]

    response = client.get(url("resultados", "xlsx"))
    assert f"resultados-{office.code}-compulsa-{run.pk}.xlsx" in response["Content-Disposition"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names == ["Aspirantes", "Dispersión", "Apoyos"]
    sheet = workbook.get_sheet_by_name("Apoyos").to_python()
    assert sheet[0] == SUPPORT_HEADER and sheet[-1][1] == "'=HYPERLINK(1)"
    assert workbook.get_sheet_by_name("Aspirantes").to_python()[0] == ASPIRANT_HEADER
    assert client.get(url("apoyos", "xlsx")).status_code == 404
    logged_exports = AccessLog.objects.filter(action="exportar", object_type="resultados")
    assert logged_exports.count() == 3 and {e.object_id for e in logged_exports} == {str(run.pk)}


# The INE exchange route --------------------------------------------------------------------------


def answer_file(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "SITUACION_REGISTRAL", "CAUSA_BAJA", "ENTIDAD", "SECCION"])
        writer.writerows(rows)
    return path


def post_answer(client, office, path):
    with open(path, "rb") as handle:
        return client.post(reverse("verification:ine", args=[office.pk]), {"file": handle})


def test_ine_route_export_then_import_changes_the_results(client, office, tmp_path):
    a = make_aspirant(office)
    keys = [elector_key() for _ in range(3)]
    for k in keys:
        support(a, k)
    admin = logged(client)
    assert "3 apoyos del cargo" in text(client.get(reverse("verification:ine", args=[office.pk])))

    exported = streamed(client.get(reverse("verification:ine_export", args=[office.pk])))
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == EXPORT_HEADER and [row[5] for row in rows[1:]] == keys
    ids = [row[0] for row in rows[1:]]
    answers = [
        [ids[0], "LN", "", "26", "1"],
        [ids[1], "LN", "", "26", "900"],
        [ids[2], "BAJA", "DEFUNCION", "26", "3"],
        ["abc", "LN", "", "26", "1"],
    ]
    response = post_answer(client, office, answer_file(tmp_path / "ine.csv", answers))
    page = text(response)
    assert response.status_code == 200
    assert 'data-count="imported">3<' in page and 'data-count="rejected">1<' in page
    assert "El ID debe ser el número de apoyo" in page

    run = CheckRun.objects.filter(office=office).latest("id")
    assert (run.status, run.source, run.run_by) == (RunStatus.DONE, Source.INE, admin)
    assert f"?run={run.pk}" in page
    valid = SupportResult.objects.filter(run=run, valid=True).count()
    assert valid == 2 and SupportResult.objects.get(run=run, motive="BAJA")
    assert AccessLog.objects.filter(action="exportar", object_type="apoyos para el INE").exists()
    assert AccessLog.objects.filter(action="importar", object_type="respuesta del INE").exists()


def test_ine_import_refuses_unusable_files_and_foreign_supports(client, office, tmp_path):
    own = support(make_aspirant(office), elector_key())
    other_state_office = make_office(make_process(state_number=14))
    foreign = support(make_aspirant(other_state_office), elector_key())
    logged(client)
    missing_column = tmp_path / "malo.csv"
    missing_column.write_text("ID,SITUACION_REGISTRAL\n1,LN\n", encoding="utf-8")
    page = text(post_answer(client, office, missing_column))
    assert "SECCION" in page and 'class="messages"' in page

    rows = [[own.pk, "LN", "", "26", "1"], [foreign.pk, "NO_ENCONTRADO", "", "", ""]]
    page = text(post_answer(client, office, answer_file(tmp_path / "ine.csv", rows)))
    assert "1 apoyos que no son de su entidad" in page
    assert not CheckRun.objects.exists()

    wrong = tmp_path / "ine.pdf"
    wrong.write_bytes(b"%PDF")
    response = post_answer(client, office, wrong)
    assert response.status_code == 400 and "Formato no admitido" in text(response)


def test_ine_import_reports_a_check_error_in_spanish(client, tmp_path):
    make_sections()
    office = make_state_office()  # no Lista Nominal statistics for the cut
    s = support(make_aspirant(office), elector_key())
    logged(client)
    rows = [[s.pk, "LN", "", "26", "1"]]
    page = text(post_answer(client, office, answer_file(tmp_path / "ine.csv", rows)))
    assert "Las respuestas se guardaron, pero no se pudo recalcular" in page
    assert "No hay estadísticas de Lista Nominal" in page


# The aspirant portal -----------------------------------------------------------------------------


def test_aspirant_portal_shows_only_own_results(client, office, data):
    run_check(office)
    a, b = data["a"], data["b"]
    client.force_login(a.user)
    page = text(client.get(reverse("verification:portal")))
    assert "Mis resultados preliminares" in page and a.full_name in page
    assert data["missing"] in page and "No encontrado en el padrón" in page
    assert data["keys"][5] not in page and b.full_name not in page
    # Never the roll's data: no OCR from the roll, no section, no causa de baja column.
    assert ROLL_OCR not in page and "OCR" not in page and "Causa de baja" not in page
    assert "Dispersión por municipio" in page and "<svg" in page
    filtered = text(client.get(reverse("verification:portal"), {"motivo": "NO_ENCONTRADO"}))
    assert data["missing"] in filtered and data["keys"][1] not in filtered
    assert AccessLog.objects.filter(
        user=a.user, object_type="resultados propios", object_id=str(a.pk)
    ).exists()


def test_aspirant_cannot_reach_another_offices_results_by_url(client, office, data):
    other = make_state_office(process=office.process)
    other_run = run_check(other)
    run_check(office)
    client.force_login(data["a"].user)
    response = client.get(reverse("verification:portal"), {"run": other_run.pk})
    assert response.status_code == 404
    assert client.get(reverse("verification:aspirant", args=[data["b"].pk])).status_code == 403

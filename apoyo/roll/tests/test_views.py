import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import AccessLog, Role
from apoyo.roll.models import ImportStatus, NominalListStat, RollEntry, RollImport
from apoyo.roll.services import import_roll
from apoyo.roll.tests.files import csv_text, elector_key, roll_row, write_roll
from apoyo.testing.factories import make_sections, make_user

pytestmark = pytest.mark.django_db

CUT = datetime.date(2020, 8, 31)


@pytest.fixture(autouse=True)
def sections():
    return make_sections()


@pytest.fixture
def derfe(client):
    user = make_user(Role.INE_DERFE)
    client.force_login(user)
    return user


def login(client, role, state_number=26):
    user = make_user(role, state_number=state_number)
    client.force_login(user)
    return user


def upload(client, rows, django_capture_on_commit_callbacks, name="padron.csv", cut="2020-08-31"):
    data = SimpleUploadedFile(name, csv_text(rows).encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roll:imports"), {"cut_date": cut, "file": data})
    return response, RollImport.objects.latest("id")


def test_derfe_uploads_a_cut_and_follows_the_job(client, derfe, django_capture_on_commit_callbacks):
    rows = [roll_row(1), roll_row(2), roll_row(3, clave_elector="=MAL()")]
    response, job = upload(client, rows, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("roll:import", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_read, job.imported, job.rejected, job.ln_sections) == (
        ImportStatus.DONE,
        3,
        2,
        1,
        1,
    )
    assert job.uploaded_by == derfe and job.cut_date == CUT
    assert not job.file  # the citizens' file is not kept once imported
    assert RollEntry.objects.count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Filas rechazadas (XLSX)" in page and "no tiene el formato" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="progress"') and "every 1s" not in partial


def test_a_running_job_is_polled_every_second(client, derfe):
    job = RollImport.objects.create(
        cut_date=CUT, original_name="p.csv", status=ImportStatus.RUNNING, rows_total=100
    )
    RollImport.objects.filter(pk=job.pk).update(rows_read=50, phase="Leyendo y validando filas")
    partial = client.get(reverse("roll:import", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text and "Leyendo y validando filas" in text
    assert 'value="35"' in text  # 50 of 100 rows read: 35% (reading is 70% of the bar)


def test_rejected_rows_report_in_csv_and_xlsx(client, derfe, django_capture_on_commit_callbacks):
    rows = [roll_row(1), roll_row(2, clave_elector="=HYPERLINK(1)"), roll_row(3, seccion="77")]
    _, job = upload(client, rows, django_capture_on_commit_callbacks)

    csv_report = b"".join(
        client.get(reverse("roll:import_report", args=[job.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    lines = csv_report.splitlines()
    assert lines[0].startswith("FILA,COLUMNA,MOTIVO,CLAVE_ELECTOR")
    assert lines[1].startswith("3,Clave de elector,") and "'=HYPERLINK(1)" in lines[1]
    assert lines[2].startswith("4,Sección,")
    xlsx = client.get(reverse("roll:import_report", args=[job.pk, "xlsx"])).content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in sheet[1:]] == [3.0, 4.0]
    assert AccessLog.objects.filter(action="exportar", object_id=str(job.pk)).count() == 2


def test_a_bad_file_fails_the_job_with_a_spanish_message_and_can_be_retried(
    client, derfe, django_capture_on_commit_callbacks
):
    data = SimpleUploadedFile("padron.csv", b"CLAVE_ELECTOR,OCR\nX,1\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roll:imports"), {"cut_date": "2020-08-31", "file": data})
    job = RollImport.objects.get()
    assert job.status == ImportStatus.FAILED and "Faltan las columnas obligatorias" in job.message
    assert job.file  # kept for a retry
    page = client.get(response["Location"]).content.decode()
    assert "Reintentar" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roll:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_the_form_refuses_other_formats_and_a_missing_date(client, derfe):
    data = SimpleUploadedFile("padron.pdf", b"%PDF")
    response = client.post(reverse("roll:imports"), {"cut_date": "", "file": data})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Formato no admitido" in text and "Este campo es obligatorio" in text
    assert not RollImport.objects.exists()


def test_derfe_browses_and_searches_a_cut_and_each_view_is_logged(client, derfe, tmp_path):
    import_roll(write_roll(tmp_path / "p.csv", [roll_row(n) for n in range(1, 4)]), CUT)
    url = reverse("roll:cut", args=[CUT])
    page = client.get(url).content.decode()
    assert all(elector_key(n) in page for n in range(1, 4))
    found = client.get(url, {"clave": elector_key(2)[:10].lower()}).content.decode()
    assert elector_key(2) in found and elector_key(1) not in found
    logs = AccessLog.objects.filter(action="consultar", object_type="padrón")
    assert logs.count() == 2 and logs.filter(detail__contains=elector_key(2)[:10]).exists()
    assert client.get("/padron/cortes/2020-02-30/").status_code == 404
    assert client.get("/padron/cortes/2019-08-31/").status_code == 404


@pytest.mark.parametrize("role", [Role.OPL_ADMIN, Role.OPL_CAPTURIST, Role.OPL_REVIEWER])
def test_opl_users_cannot_reach_the_import_or_the_roll(client, role, tmp_path):
    import_roll(write_roll(tmp_path / "p.csv", [roll_row(1)]), CUT)
    job = RollImport.objects.create(cut_date=CUT, original_name="p.csv")
    login(client, role)
    urls = [
        reverse("roll:imports"),
        reverse("roll:import", args=[job.pk]),
        reverse("roll:import_report", args=[job.pk, "csv"]),
        reverse("roll:cut", args=[CUT]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("roll:imports"), {}).status_code == 403
    assert client.post(reverse("roll:import_retry", args=[job.pk])).status_code == 403
    assert not AccessLog.objects.filter(object_type="padrón").exists()


def test_superusers_reach_the_roll_pages(client):
    admin = make_user(Role.OPL_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("roll:imports")).status_code == 200


@pytest.mark.parametrize("role", [Role.ASPIRANT, Role.AUXILIARY, Role.INE_UTVOPL])
def test_other_roles_get_403_everywhere(client, role):
    login(client, role)
    for url in [reverse("roll:imports"), reverse("roll:statistics")]:
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("roll:statistics"))
    assert response.status_code == 302 and "next=" in response["Location"]


def stat(state, section, count, cut=CUT):
    NominalListStat.objects.create(
        cut_date=cut, state_number=state, section_number=section, nominal_list=count, source="roll"
    )


def test_opl_users_see_the_statistics_of_their_own_entity(client):
    make_sections(25, [(5, 3, "Culiacán", 1, 1)])
    stat(26, 1, 100)
    stat(26, 2, 50)
    stat(26, 3, 7)
    stat(26, 900, 1000)
    stat(25, 5, 999_999)
    login(client, Role.OPL_REVIEWER)
    url = reverse("roll:statistics")

    municipalities = client.get(url).context
    assert municipalities["state"].number == 26
    assert [(u.number, u.name, u.nominal_list) for u in municipalities["units"]] == [
        (1, "Aconchi", 150),
        (2, "Agua Prieta", 7),
        (49, "Hermosillo", 1000),
    ]
    assert municipalities["total"].nominal_list == 1157
    local = client.get(url, {"nivel": "distrito_local"}).context["units"]
    assert [(u.number, u.nominal_list) for u in local] == [(7, 7), (8, 1000), (9, 0), (18, 150)]
    federal = client.get(url, {"nivel": "distrito_federal"}).context["units"]
    assert [(u.number, u.nominal_list) for u in federal] == [(2, 7), (3, 1000), (4, 150), (5, 0)]
    by_section = client.get(url, {"nivel": "seccion"}).context["units"]
    assert [(u.number, u.nominal_list) for u in by_section] == [
        (1, 100),
        (2, 50),
        (3, 7),
        (900, 1000),
        (901, 0),
    ]
    other_state = client.get(url, {"entidad": "25"})
    assert other_state.context["state"].number == 26
    assert b"999999" not in other_state.content
    assert "Culiacán" not in other_state.content.decode()


def test_statistics_choose_a_cut_date_and_download(client):
    older = datetime.date(2017, 8, 31)
    stat(26, 1, 100)
    stat(26, 1, 80, cut=older)
    login(client, Role.OPL_ADMIN)
    url = reverse("roll:statistics")
    response = client.get(url)
    assert response.context["cut_date"] == CUT and response.context["dates"] == [CUT, older]
    assert client.get(url, {"corte": "2017-08-31"}).context["total"].nominal_list == 80
    download = client.get(url, {"corte": "2020-08-31", "nivel": "seccion", "formato": "csv"})
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[:2] == ["SECCIÓN,NOMBRE,SECCIONES,LISTA_NOMINAL", "1,Aconchi,1,100"]


def test_statistics_without_data_say_so(client):
    login(client, Role.OPL_CAPTURIST)
    text = client.get(reverse("roll:statistics")).content.decode()
    assert "No hay estadísticas de Lista Nominal" in text


def test_derfe_sees_any_entity(client, derfe):
    make_sections(25, [(5, 3, "Culiacán", 1, 1)])
    stat(25, 5, 321)
    response = client.get(reverse("roll:statistics"), {"entidad": "25"})
    assert response.context["state"].number == 25 and response.context["total"].nominal_list == 321


def test_a_job_that_fails_while_storing_keeps_the_previous_cut(
    client, derfe, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from apoyo.roll import loading

    import_roll(write_roll(tmp_path / "p.csv", [roll_row(1)]), CUT)

    def broken_store(*args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(loading, "replace_stats", broken_store)
    _, job = upload(client, [roll_row(2)], django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "el corte anterior se conserva" in job.message
    assert list(RollEntry.objects.values_list("elector_key", flat=True)) == [elector_key(1)]

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import AccessLog, Role
from apoyo.supports.models import Status, Support, Upload, UploadStatus
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user
from apoyo.testing.files import good_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def capturist(client):
    user = make_user(Role.OPL_CAPTURIST)
    client.force_login(user)
    return user


@pytest.fixture
def aspirant():
    return make_aspirant()


def post_file(client, aspirant, path, django_capture_on_commit_callbacks, dry_run=False):
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        data = {"aspirant": aspirant.pk, "file": handle}
        if dry_run:
            data["dry_run"] = "on"
        response = client.post(reverse("uploads:list"), data)
    return response, Upload.objects.latest("id")


def test_upload_runs_as_a_job_and_the_page_shows_the_summary(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    rows = [good_row(1), good_row(2), ["F-1", "", "GARCIA", "", "MAL", "1", "", "", ""]]
    response, upload = post_file(
        client, aspirant, write_csv(tmp_path / "a.csv", rows), django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("uploads:detail", args=[upload.pk])
    assert (upload.status, upload.stored, upload.rejected, upload.uploaded_by) == (
        UploadStatus.DONE,
        2,
        1,
        capturist,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Reporte de errores (XLSX)" in page and "El nombre es obligatorio" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="progress"') and "every 1s" not in partial


def test_error_reports_hold_row_column_reason_and_neutralised_values(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    rows = [good_row(1), ["F-1", "=HYPERLINK(1)", "", "", "MAL", "1", "", "", ""], good_row(1)]
    _, upload = post_file(
        client, aspirant, write_csv(tmp_path / "a.csv", rows), django_capture_on_commit_callbacks
    )
    csv_report = b"".join(
        client.get(reverse("uploads:report", args=[upload.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_report
    assert "Rechazada" in csv_report and "Omitida" not in csv_report
    xlsx = client.get(reverse("uploads:report", args=[upload.pk, "xlsx"])).content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
    assert workbook.sheet_names == ["Rechazadas", "Omitidas"]
    rejected = workbook.get_sheet_by_name("Rechazadas").to_python()
    assert rejected[1][0] == 3.0
    skipped = workbook.get_sheet_by_name("Omitidas").to_python()
    assert skipped[1][0] == 4.0 and "fila 2" in skipped[1][3]
    assert AccessLog.objects.filter(action="exportar", object_id=str(upload.pk)).count() == 2


def test_dry_run_from_the_page_stores_nothing(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    _, upload = post_file(
        client,
        aspirant,
        write_csv(tmp_path / "a.csv", [good_row(1)]),
        django_capture_on_commit_callbacks,
        dry_run=True,
    )
    assert upload.dry_run and upload.stored == 1
    assert not Support.objects.exists()
    assert (
        "Se guardarían" in client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    )


def test_original_file_is_served_only_through_the_checked_view(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "a.csv", [good_row(1)])
    _, upload = post_file(client, aspirant, path, django_capture_on_commit_callbacks)
    response = client.get(reverse("uploads:original", args=[upload.pk]))
    assert b"".join(response.streaming_content) == path.read_bytes()
    other = make_user(Role.OPL_CAPTURIST, state_number=14)
    client.force_login(other)
    assert client.get(reverse("uploads:original", args=[upload.pk])).status_code == 404
    client.force_login(make_aspirant(with_user=True).user)
    assert client.get(reverse("uploads:detail", args=[upload.pk])).status_code == 403


def test_only_an_opl_administrator_reverts(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    _, upload = post_file(
        client,
        aspirant,
        write_csv(tmp_path / "a.csv", [good_row(1)]),
        django_capture_on_commit_callbacks,
    )
    url = reverse("uploads:revert", args=[upload.pk])
    assert client.post(url, {"reason": "duplicada"}).status_code == 403
    assert "Revertir carga" not in client.get(reverse("uploads:detail", args=[upload.pk])).text
    client.force_login(make_user(Role.OPL_ADMIN))
    client.post(url, {"reason": "duplicada"})
    assert Support.objects.get().status == Status.WITHDRAWN
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REVERTED


def test_a_revert_asks_for_the_reason_shows_it_and_confirms(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    _, upload = post_file(
        client,
        aspirant,
        write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]),
        django_capture_on_commit_callbacks,
    )
    admin = make_user(Role.OPL_ADMIN, first_name="Rosa")
    client.force_login(admin)
    detail = reverse("uploads:detail", args=[upload.pk])
    url = reverse("uploads:revert", args=[upload.pk])
    assert f'href="{url}"' in client.get(detail).text
    form = client.get(url)
    assert form.status_code == 200 and "Motivo de la reversión" in form.text
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and "Indique el motivo de la reversión" in refused.text
    assert Support.objects.filter(status=Status.WITHDRAWN).count() == 0
    done = client.post(url, {"reason": "Archivo de otro aspirante"}, follow=True)
    page = done.text
    assert f"Carga {upload.pk} revertida: 2 apoyos retirados" in page
    assert "«Archivo de otro aspirante»" in page
    assert "Motivo de la reversión" in page and "Archivo de otro aspirante" in page
    support = Support.objects.first()
    assert support.withdrawal_reason == "carga revertida: Archivo de otro aspirante"
    shown = client.get(reverse("supports:detail", args=[support.pk])).text
    assert "carga revertida: Archivo de otro aspirante" in shown
    listing = client.get(reverse("uploads:list")).text
    assert "Motivo: Archivo de otro aspirante" in listing


def test_oversized_request_is_refused_before_reading_the_body(
    client, capturist, aspirant, tmp_path, settings
):
    settings.APOYO_UPLOAD_MAX_BYTES = 10
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(3000)])
    with open(path, "rb") as handle:
        response = client.post(
            reverse("uploads:list"), {"aspirant": aspirant.pk, "file": handle}, follow=True
        )
    assert "excede el límite" in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_for_another_entitys_aspirant_is_refused(client, capturist, tmp_path):
    jalisco = make_aspirant(make_office(make_process(state_number=14)))
    with open(write_csv(tmp_path / "a.csv", [good_row(1)]), "rb") as handle:
        response = client.post(reverse("uploads:list"), {"aspirant": jalisco.pk, "file": handle})
    assert response.status_code == 400
    assert not Upload.objects.exists()


def test_templates_download(client, capturist):
    xlsx = client.get(reverse("uploads:template", args=["xlsx"]))
    assert (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(xlsx.streaming_content))).sheet_names[0]
        == "Apoyos"
    )
    csv = b"".join(client.get(reverse("uploads:template", args=["csv"])).streaming_content)
    assert csv.startswith(b"\xef\xbb\xbfNUMERO_REFERENCIA,")
    assert client.get(reverse("uploads:template", args=["pdf"])).status_code == 404


def test_a_file_refused_for_its_content_shows_a_failed_state_without_retry(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "a.csv"
    path.write_text("NOMBRE\nJUAN\n", encoding="utf-8")
    _, upload = post_file(client, aspirant, path, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.FAILED
    page = client.get(reverse("uploads:detail", args=[upload.pk])).text
    assert 'class="card failed"' in page and '<span class="badge fails">Falló</span>' in page
    assert "<progress" not in page and "Reintentar" not in page
    assert "rechazado por su contenido" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("uploads:retry", args=[upload.pk]), follow=True)
    assert "Esta carga no se reintenta" in response.text
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED and "NUMERO_REFERENCIA" in upload.message


def test_an_upload_that_crashed_offers_retry_and_runs_again(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from apoyo.uploads import services as uploads

    real_insert = uploads.insert_rows

    def crash(*args, **kwargs):
        raise RuntimeError("la base no responde")

    monkeypatch.setattr(uploads, "insert_rows", crash)
    path = write_csv(tmp_path / "a.csv", [good_row(1)])
    _, upload = post_file(client, aspirant, path, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.FAILED
    page = client.get(reverse("uploads:detail", args=[upload.pk])).text
    assert 'class="card failed"' in page and "<progress" not in page
    assert "Reintentar" in page
    monkeypatch.setattr(uploads, "insert_rows", real_insert)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("uploads:retry", args=[upload.pk]))
    upload.refresh_from_db()
    assert (upload.status, upload.stored) == (UploadStatus.DONE, 1)


def test_the_upload_page_lists_stored_rows_with_warnings_naming_the_expected_letters(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    # A clave of GARCIA LOPEZ JUAN typed for GARCIA LOPEZ MARIO: the name implies GRLPMR.
    warned = ["F-1", "MARIO", "GARCIA", "LOPEZ", "GRLPJN85010126H001", "1234567890123", "", ""]
    fine = ["F-1", "JUAN", "GARCIA", "LOPEZ", "GRLPJN85010126H002", "1234567890124", "", ""]
    _, upload = post_file(
        client,
        aspirant,
        write_csv(tmp_path / "a.csv", [warned + ["2020-12-20"], fine + ["2020-12-20"]]),
        django_capture_on_commit_callbacks,
    )
    assert upload.stored == 2
    page = client.get(reverse("uploads:detail", args=[upload.pk])).text
    assert "Filas guardadas con advertencias" in page
    assert "(se esperaba GRLPMR): revise el nombre." in page
    assert "GRLPJN85010126H002" not in page
    assert AccessLog.objects.filter(object_type="advertencias de una carga").exists()


def test_the_progress_card_writes_its_counts_with_thousands_separators(
    client, capturist, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    _, upload = post_file(
        client,
        aspirant,
        write_csv(tmp_path / "a.csv", [good_row(1)]),
        django_capture_on_commit_callbacks,
    )
    Upload.objects.filter(pk=upload.pk).update(
        rows_read=70312, stored=63145, skipped=1200, rejected=5967
    )
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert 'data-count="rows_read">70,312<' in page and 'data-count="stored">63,145<' in page
    assert 'data-count="skipped">1,200<' in page and 'data-count="rejected">5,967<' in page

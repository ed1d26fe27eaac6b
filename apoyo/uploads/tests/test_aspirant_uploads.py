"""The aspirant's carga masiva with the OPL's template: every row enters the mesa de control queue
as pending review."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.review.queue import review_queue
from apoyo.supports.models import (
    Cedula,
    Channel,
    IssueKind,
    Status,
    Support,
    Upload,
    UploadStatus,
)
from apoyo.testing.factories import (
    make_aspirant,
    make_user,
)
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(with_user=True)


@pytest.fixture
def portal(client, aspirant):
    client.force_login(aspirant.user)
    return client


def upload_as_aspirant(aspirant, path):
    with open(path, "rb") as source:
        upload = register_upload(
            aspirant.user, aspirant, source, path.name, channel=Channel.ASPIRANT
        )
    return run_upload(upload)


# Bulk upload ---------------------------------------------------------------------------------------


def test_aspirant_bulk_upload_enters_pending_review_with_channel_aspirant(aspirant, tmp_path):
    upload = upload_as_aspirant(aspirant, write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]))
    assert (upload.status, upload.stored, upload.channel) == (
        UploadStatus.DONE,
        2,
        Channel.ASPIRANT,
    )
    supports = Support.objects.all()
    assert {s.channel for s in supports} == {Channel.ASPIRANT}
    assert {s.status for s in supports} == {Status.PENDING_REVIEW}
    assert {s.captured_by for s in supports} == {aspirant.user}
    assert Cedula.objects.get().created_by == aspirant.user
    assert review_queue(make_user(Role.OPL_REVIEWER)).count() == 2


def test_the_opl_bulk_upload_still_stores_preliminary_supports(tmp_path):
    aspirant = make_aspirant()
    with open(write_csv(tmp_path / "a.csv", [good_row(1)]), "rb") as source:
        upload = run_upload(register_upload(None, aspirant, source, "a.csv"))
    assert upload.channel == Channel.BULK
    assert Support.objects.get().status == Status.PRELIMINARY


def test_aspirant_upload_rejects_rows_that_carry_an_inconsistency_type(aspirant, tmp_path):
    flagged = good_row(2)
    flagged[6] = "FOTOCOPIA"
    upload = upload_as_aspirant(aspirant, write_csv(tmp_path / "a.csv", [good_row(1), flagged]))
    assert (upload.stored, upload.rejected) == (1, 1)
    issue = upload.issues.get(kind=IssueKind.REJECTED)
    assert (issue.row_number, issue.column) == (3, "TIPO_INCONSISTENCIA")
    assert "mesa de control" in issue.reason
    assert not Support.objects.filter(inconsistency__isnull=False).exists()


def test_aspirant_upload_through_the_portal_with_progress_and_report(
    portal, aspirant, tmp_path, django_capture_on_commit_callbacks
):
    rows = [good_row(1), ["F-1", "", "GARCIA", "", "MAL", "1", "", "", ""]]
    with (
        django_capture_on_commit_callbacks(execute=True),
        open(write_csv(tmp_path / "a.csv", rows), "rb") as handle,
    ):
        response = portal.post(reverse("uploads:aspirant_list"), {"file": handle})
    upload = Upload.objects.get()
    assert response["Location"] == reverse("uploads:aspirant_detail", args=[upload.pk])
    assert (upload.aspirant, upload.channel, upload.stored, upload.rejected) == (
        aspirant,
        Channel.ASPIRANT,
        1,
        1,
    )
    page = portal.get(response["Location"]).content.decode()
    assert "El nombre es obligatorio" in page and "Reporte de errores (XLSX)" in page
    assert "Revertir" not in page and "Archivo original" not in page
    partial = portal.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="progress"')
    report = portal.get(reverse("uploads:aspirant_report", args=[upload.pk, "xlsx"]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(report.content))
    assert workbook.get_sheet_by_name("Rechazadas").to_python()[1][0] == 3.0
    history = portal.get(reverse("uploads:aspirant_list")).content.decode()
    assert "a.csv" in history
    # The OPL sees the aspirant's upload among its own, marked as pre-capture.
    portal.force_login(make_user(Role.OPL_CAPTURIST))
    assert "pre-captura del aspirante" in portal.get(reverse("uploads:list")).content.decode()


def test_aspirant_downloads_the_same_template_as_the_opl(portal):
    response = portal.get(reverse("uploads:template", args=["csv"]))
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfNUMERO_REFERENCIA,")


# Only their own ------------------------------------------------------------------------------------

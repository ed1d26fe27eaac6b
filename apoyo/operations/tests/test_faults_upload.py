"""A carga masiva whose worker is killed (SIGKILL) while it stores the rows: after the worker
restarts, the job is dead (heartbeat older than the limit) and shown failed with a Spanish reason;
not one support, cédula or issue of it was stored; its retry, by a new worker, stores exactly what
a clean run of the same file stores."""

import pytest
from django.urls import reverse

from apoyo.core.jobs import DEAD_MESSAGE
from apoyo.operations.tests.conftest import LIMIT, wait_until_stale
from apoyo.supports.models import Cedula, Support, Upload, UploadIssue, UploadStatus
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.services import register_upload, run_upload
from apoyo.uploads.tasks import process_upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def register(user, aspirant, path):
    with open(path, "rb") as source:
        return register_upload(user, aspirant, source, path.name)


def stored(upload):
    """What an upload left: its summary, its supports (by content, ids aside) and its issues."""
    upload.refresh_from_db()
    supports = Support.objects.filter(upload=upload).values_list(
        "cedula__reference",
        "elector_key",
        "name",
        "paternal_surname",
        "maternal_surname",
        "ocr",
        "status",
        "channel",
        "support_date",
        "warnings",
    )
    issues = UploadIssue.objects.filter(upload=upload).values_list(
        "kind", "row_number", "column", "reason"
    )
    summary = (upload.status, upload.rows_read, upload.stored, upload.skipped, upload.rejected)
    return summary, upload.message, sorted(supports), sorted(issues)


def test_an_upload_killed_while_storing_leaves_nothing_and_its_retry_equals_a_clean_run(
    workers, client, settings, tmp_path
):
    aspirant = make_aspirant(code="A-01")
    twin = make_aspirant(aspirant.office, code="A-02")
    user = make_user()
    rows = [good_row(n) for n in range(1, 60)]
    rows += [good_row(5), ["F-9", "JUAN", "GARCIA", "LOPEZ", "NO-ES-CLAVE", "1", "", "", ""]]
    path = write_csv(tmp_path / "cedulas.csv", rows)
    upload = register(user, aspirant, path)
    process_upload.enqueue(upload.pk)

    workers.kill_at("upload")

    upload.refresh_from_db()
    assert upload.status == UploadStatus.RUNNING  # as the killed worker left it
    assert upload.heartbeat_at is not None
    assert not Support.objects.filter(upload=upload).exists()
    assert not Cedula.objects.filter(aspirant=aspirant).exists()
    assert not UploadIssue.objects.filter(upload=upload).exists()

    client.force_login(user)
    page = reverse("uploads:detail", args=[upload.pk])
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = 3600
    assert "Procesando" in client.get(page).content.decode()  # not dead before the limit
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = LIMIT
    wait_until_stale(upload)
    shown = client.get(page).content.decode()
    assert "Falló" in shown and DEAD_MESSAGE in shown
    upload.refresh_from_db()
    assert (upload.status, upload.message, upload.can_retry) == (
        UploadStatus.FAILED,
        DEAD_MESSAGE,
        True,
    )

    client.post(reverse("uploads:retry", args=[upload.pk]))
    workers.run()
    clean = run_upload(register(user, twin, path))
    assert stored(upload) == stored(clean)
    assert stored(upload)[0] == (UploadStatus.DONE, 61, 59, 1, 1)
    assert Upload.objects.get(pk=upload.pk).finished_at is not None

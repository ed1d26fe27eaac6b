"""A roll import whose worker is killed (SIGKILL) after the new cut's rows are written, before the
commit: the cut it was replacing is still whole (its entries and its Lista Nominal statistics);
the job is dead once its heartbeat is older than the limit and shown failed in Spanish; its retry,
by a new worker, leaves the same cut a clean import of the file leaves."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.core.jobs import DEAD_MESSAGE
from apoyo.operations.tests.conftest import LIMIT, wait_until_stale
from apoyo.roll.jobs import register_import, run_import
from apoyo.roll.models import ImportStatus, NominalListStat, RollCut, RollEntry, RollImport
from apoyo.roll.services import import_roll
from apoyo.roll.tasks import process_roll_import
from apoyo.roll.tests.files import csv_text, roll_row, write_roll
from apoyo.testing.factories import make_sections, make_user
from apoyo.testing.faults import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CUT = datetime.date(2020, 8, 31)
CLEAN_CUT = datetime.date(2020, 9, 30)


def cut_contents(cut_date):
    """A cut as the compulsa reads it: its entries and its statistics (ids and dates aside)."""
    entries = RollEntry.objects.filter(cut__cut_date=cut_date).values_list(
        "elector_key", "ocr", "state_number", "section_number", "situation", "removal_cause"
    )
    stats = NominalListStat.objects.filter(cut_date=cut_date).values_list(
        "state_number", "section_number", "nominal_list", "source"
    )
    cut = RollCut.objects.filter(cut_date=cut_date).first()
    return sorted(entries), sorted(stats), cut.entries if cut else None


def job_outcome(job):
    job.refresh_from_db()
    fields = ("status", "rows_read", "imported", "rejected", "issues_total", "ln_sections")
    return tuple(getattr(job, name) for name in fields), sorted(
        job.issues.values_list("row_number", "column", "reason")
    )


def new_job(user, cut_date, rows):
    data = SimpleUploadedFile("padron.csv", csv_text(rows).encode("utf-8"), "text/csv")
    return register_import(user, cut_date, data, "padron.csv")


def test_a_roll_import_killed_before_its_commit_keeps_the_previous_cut_and_retries_cleanly(
    workers, client, settings, tmp_path
):
    make_sections()
    derfe = make_user(Role.INE_DERFE)
    import_roll(write_roll(tmp_path / "anterior.csv", [roll_row(n) for n in range(1, 20)]), CUT)
    previous = cut_contents(CUT)
    rows = [roll_row(n, section=2) for n in range(10, 50)] + [roll_row(99, clave_elector="=X")]
    job = new_job(derfe, CUT, rows)
    process_roll_import.enqueue(job.pk)

    beats = []
    workers.kill_at("roll", while_paused=lambda: beats.extend(heartbeat_moves(job)))

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert cut_contents(CUT) == previous
    assert not job.issues.exists()
    if connection.vendor == "postgresql":
        # Its rows in one open transaction, the job's heartbeat kept beating from its thread.
        assert beats == [True]

    client.force_login(derfe)
    page = reverse("roll:import", args=[job.pk])
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = LIMIT
    wait_until_stale(job)
    shown = client.get(page).content.decode()
    assert "Falló" in shown and DEAD_MESSAGE in shown
    assert RollImport.objects.get(pk=job.pk).status == ImportStatus.FAILED

    client.post(reverse("roll:import_retry", args=[job.pk]))
    workers.run()
    clean = new_job(derfe, CLEAN_CUT, rows)
    run_import(clean)
    assert job_outcome(job) == job_outcome(clean)
    assert job_outcome(job)[0] == (ImportStatus.DONE, 41, 40, 1, 1, 1)
    assert cut_contents(CUT) == cut_contents(CLEAN_CUT) != previous


def heartbeat_moves(job):
    """On PostgreSQL, whether the paused job's heartbeat advances (its thread writes apart from
    the job's open transaction); on SQLite that transaction holds the only write lock."""
    if connection.vendor != "postgresql":
        return []
    first = RollImport.objects.get(pk=job.pk).heartbeat_at
    wait_until(
        lambda: RollImport.objects.get(pk=job.pk).heartbeat_at > first,
        timeout=10,
        what="un latido nuevo del trabajo en pausa",
    )
    return [True]

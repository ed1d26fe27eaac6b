"""The web import of a roll file as a background job (a RollImport row), like the carga masiva.

The job row is the progress record: it is updated in short transactions of its own, so the page
polling it sees the counters while the file is read and validated (DESIGN.md, background jobs).
The cut itself is replaced in one transaction by services.import_roll; on PostgreSQL that
transaction is open while the rows are read, so the counters go through a connection of their
own (apoyo.core.jobs.own_connection).
"""

import logging

import polars as pl
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from apoyo.core.bulk import insert_rows
from apoyo.core.encrypted_storage import decrypted_copy
from apoyo.core.jobs import finish, own_connection, set_progress
from apoyo.core.tabular import FileRejected
from apoyo.roll.frames import COLUMN_LABELS, COLUMNS, ROW
from apoyo.roll.models import ImportStatus, RollImport, RollImportIssue
from apoyo.roll.services import ISSUE_HEADER, import_roll

logger = logging.getLogger(__name__)

REPORT_HEADER = [*ISSUE_HEADER, *COLUMNS]
PROGRESS_FIELDS = {"phase", "rows_total", "rows_read", "rejected"}
FAILED_MESSAGE = (
    "La importación falló por un error interno; el corte anterior se conserva sin cambios. "
    "Puede reintentarla."
)


def max_upload_bytes():
    """Largest roll file accepted from the page (APOYO_ROLL_UPLOAD_MAX_BYTES, default 2 GB)."""
    return settings.APOYO_ROLL_UPLOAD_MAX_BYTES


def register_import(user, cut_date, source, name):
    """Store the received file through the storage API, queued to run."""
    job = RollImport(
        cut_date=cut_date, uploaded_by=user, original_name=name[:255], size=source.size or 0
    )
    job.file.save(name, File(source), save=False)
    job.save()
    return job


def report_progress(job, through=None):
    """The progress callback given to import_roll: only the job's own fields are written."""

    def progress(**fields):
        known = {name: value for name, value in fields.items() if name in PROGRESS_FIELDS}
        if known:
            set_progress(job, through, **known)

    return progress


def run_import(job):
    """The job: import the file as the job's cut. Never raises for a bad file."""
    reset_import(job)
    try:
        # The stored file is encrypted (core.encrypted_storage): polars reads a private copy.
        with own_connection() as through, decrypted_copy(job.file) as path:
            result = import_roll(
                path,
                job.cut_date,
                user=job.uploaded_by,
                progress=report_progress(job, through),
                name=job.original_name,
            )
    except FileRejected as rejected:
        return finish(job, ImportStatus.FAILED, str(rejected))
    except Exception:
        logger.exception("Roll import %s failed", job.pk)
        return finish(job, ImportStatus.FAILED, FAILED_MESSAGE)
    # The report's rows and the job's end together: a worker killed in between leaves neither.
    with transaction.atomic():
        store_issues(job, result["issues"])
        finish(
            job,
            ImportStatus.DONE,
            rows_read=result["read"],
            imported=result["imported"],
            rejected=result["rejected"],
            issues_total=result["issues_total"],
            ln_sections=result["ln_sections"],
        )
    discard_file(job)
    return job


def reset_import(job):
    RollImportIssue.objects.filter(job=job).delete()
    set_progress(
        job,
        status=ImportStatus.RUNNING,
        phase="En espera de iniciar",
        rows_total=0,
        rows_read=0,
        imported=0,
        rejected=0,
        issues_total=0,
        ln_sections=0,
        message="",
        started_at=timezone.now(),
        finished_at=None,
    )


def discard_file(job):
    """The roll file holds the personal data of every citizen of the cut: once imported, the
    copy received by the page is deleted (the cut in the database is the record)."""
    if job.file:
        job.file.delete(save=False)
        RollImport.objects.filter(pk=job.pk).update(file="")


def store_issues(job, issues: pl.DataFrame):
    """The kept issues as RollImportIssue rows, original values as JSON."""
    if issues.is_empty():
        return 0
    values = issues.select(pl.struct(COLUMNS).struct.json_encode()).to_series().to_list()
    rows = zip(
        [job.pk] * issues.height,
        issues.get_column(ROW).to_list(),
        issues.get_column("column").to_list(),
        [reason[:500] for reason in issues.get_column("reason").to_list()],
        values,
        strict=True,
    )
    columns = ["job_id", "row_number", "column", "reason", "values"]
    return insert_rows(RollImportIssue._meta.db_table, columns, rows)


def issue_rows(job):
    """Report rows: row number, column, reason, then the row's original values."""
    for issue in job.issues.order_by("row_number", "id").iterator(chunk_size=5000):
        values = issue.values or {}
        column = COLUMN_LABELS.get(issue.column, issue.column)
        yield [issue.row_number, column, issue.reason, *(values.get(name, "") for name in COLUMNS)]

"""Carga masiva: bulk upload of paper cédula rows (CONTRACT.md upload_supports).

One service for the web page (as a background job) and the `upload_supports` command. Every row of
the file ends up stored, skipped as already registered, or rejected with row, column and reason.
The whole file is read and validated first, a chunk of rows at a time, its decisions kept on disk
(outcome.py); then everything is written in one transaction, so an upload is either complete or
not stored at all, and a failed one can be run again. On SQLite the valid rows are staged first in
short transactions and that one transaction publishes them with a single statement (staging.py).
A file larger, expanding to more, or holding more rows than the limits below is refused whole,
with nothing stored (DESIGN.md, security).

The aspirant's pre-capture uses the same job (`channel=Channel.ASPIRANT`): its supports enter the
mesa de control queue as pending review, and its rows may not carry a tipo de inconsistencia.
"""

import contextlib
import gc
import hashlib
import itertools
import json
import logging

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone

from apoyo.core.bulk import db_date, db_datetime, insert_rows
from apoyo.core.encrypted_storage import decrypted_copy
from apoyo.core.jobs import finish, set_progress
from apoyo.core.tabular import FileRejected, open_table
from apoyo.supports.models import (
    Cedula,
    Channel,
    Inconsistency,
    IssueKind,
    Support,
    Upload,
    UploadIssue,
    UploadStatus,
    inconsistencies_for_state,
    initial_status,
)
from apoyo.supports.rules import COLUMN_LABELS, COLUMNS, OPTIONAL_COLUMNS
from apoyo.uploads import staging
from apoyo.uploads.columnar import validate_chunk
from apoyo.uploads.outcome import Outcome
from apoyo.uploads.row_extras import RowClassifier
from apoyo.uploads.staging import DbDates

logger = logging.getLogger(__name__)

# Rows per validation chunk (column-wise, so large): also how often progress is written.
CHUNK_ROWS = 10000
ISSUE_COLUMNS = ["FILA", "TIPO", "COLUMNA", "MOTIVO", *COLUMNS, *OPTIONAL_COLUMNS]
# Defaults of the settings below. 500 MB of CSV or sheet XML is several times the largest real
# carga (README: 200,000 rows or more); a million rows is five times that.


def max_upload_bytes():
    return settings.APOYO_UPLOAD_MAX_BYTES


def max_uncompressed_bytes():
    """What a .csv.gz or .xlsx upload may decompress to (APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES)."""
    return settings.APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES


def max_rows():
    """Non-blank data rows an upload may hold (APOYO_UPLOAD_MAX_ROWS)."""
    return settings.APOYO_UPLOAD_MAX_ROWS


def dry_run_max_issues():
    """Issues a dry run keeps for its report; the rest are only counted
    (APOYO_UPLOAD_DRY_RUN_MAX_ISSUES)."""
    return settings.APOYO_UPLOAD_DRY_RUN_MAX_ISSUES


def register_upload(user, aspirant, source, name, dry_run=False, channel=Channel.BULK):
    """Store the received file through the storage API with its size and SHA-256, queued to run.

    `channel` is BULK for the OPL's carga masiva and ASPIRANT for the aspirant's pre-capture.
    """
    digest = hashlib.sha256()
    size = 0
    source.seek(0)
    for chunk in iter(lambda: source.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    source.seek(0)
    upload = Upload(
        aspirant=aspirant,
        uploaded_by=user,
        original_name=name[:255],
        size=size,
        sha256=digest.hexdigest(),
        dry_run=dry_run,
        channel=channel,
    )
    upload.file.save(name, File(source), save=False)
    upload.save()
    return upload


# Why a failed upload may be run again: the file was fine, the system was not.
CRASHED = (
    "La carga se interrumpió por un error del sistema; no se guardó ninguna fila. "
    "Puede reintentarla."
)
STORE_FAILED = "Falló al guardar; no se guardó ninguna fila. Puede reintentar la carga."


def run_upload(upload):
    """The job: read, validate and store one upload. Never raises for bad input, nor for a crash
    (recorded as a failure that may be retried)."""
    with cyclic_gc_paused():
        return read_validate_and_store(upload)


@contextlib.contextmanager
def cyclic_gc_paused():
    """An upload makes millions of tuples and lists, in no cycle: the cyclic collector, run every
    700 new ones, went through them again and again (measured: a quarter of the upload's CPU).
    Reference counting still frees them all; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_validate_and_store(upload):
    reset_upload(upload)
    try:
        outcome = read_and_validate(upload)
    except FileRejected as rejected:
        # The file itself was refused: running it again would refuse it again.
        return finish(upload, UploadStatus.FAILED, str(rejected), rejected=0, skipped=0)
    except Exception:
        logger.exception("Upload %s crashed while validating", upload.pk)
        return fail_retryable(upload, CRASHED, rejected=0, skipped=0)
    with outcome:
        return store_or_fail(upload, outcome)


def read_and_validate(upload):
    # The stored file is encrypted (core.encrypted_storage): the readers get a private copy,
    # deleted once every row is validated (the outcome keeps what storing needs).
    with decrypted_copy(upload.file) as path:
        table = open_table(
            path,
            required=COLUMNS,
            optional=OPTIONAL_COLUMNS,
            max_bytes=max_upload_bytes(),
            max_uncompressed_bytes=max_uncompressed_bytes(),
            max_rows=max_rows(),
        )
        set_progress(upload, rows_total=table.estimated_rows())
        return validate_file(upload, table)


def fail_retryable(upload, message, **counts):
    set_progress(upload, retryable=True)
    return finish(upload, UploadStatus.FAILED, message, **counts)


def store_or_fail(upload, outcome):
    staged = not upload.dry_run and outcome.valid_count > 0 and staging.uses_staging()
    try:
        if staged:
            set_progress(upload, phase=f"Preparando {outcome.valid_count:,} apoyos")
            staging.stage_rows(upload, outcome.valid_rows())
        with transaction.atomic():
            check_constraints_now()
            store_outcome(upload, outcome, staged)
    except Exception:
        logger.exception("Upload %s failed while storing", upload.pk)
        return fail_retryable(upload, STORE_FAILED, stored=0)
    finally:
        if staged:
            staging.discard_quietly(upload)
    return upload


def check_constraints_now():
    """PostgreSQL checks deferred foreign keys at commit from a queue of one event per row and key,
    which costs more than checking each row as it is copied (measured: 3.4 s against 1.4 s per
    100,000 supports)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def reset_upload(upload):
    UploadIssue.objects.filter(upload=upload).delete()
    staging.discard(upload)  # what a killed run left staged
    set_progress(
        upload,
        status=UploadStatus.RUNNING,
        phase="Leyendo y validando filas",
        rows_total=0,
        rows_read=0,
        stored=0,
        skipped=0,
        rejected=0,
        message="",
        retryable=False,
        started_at=timezone.now(),
        finished_at=None,
    )


def validate_file(upload, table):
    """Validate every row of the file, a chunk at a time, into an Outcome (spooled to disk).

    A FileRejected midway (a row past the limit, damage) closes the Outcome and propagates."""
    outcome = Outcome(
        keep_valid=not upload.dry_run,
        max_issues=dry_run_max_issues() if upload.dry_run else None,
    )
    try:
        classify = RowClassifier(upload, table.fields, outcome)
        for chunk, results in validated_chunks(table, rule_arguments(upload)):
            classify(chunk, results)
            outcome.flush()
            report_validation_progress(upload, outcome)
    except BaseException:
        outcome.close()
        raise
    return outcome


def rule_arguments(upload):
    """The catalogue codes, collection period and default date the row rules need."""
    office = upload.aspirant.office
    codes = frozenset(
        inconsistencies_for_state(office.process.state_id).values_list("code", flat=True)
    )
    period = (office.collection_start, office.collection_end)
    return codes, period, timezone.localdate(upload.uploaded_at)


def validated_chunks(table, rule_args):
    """Yield (chunk, results) in file order, validated column-wise (columnar.py); a pool of
    processes was measured slower: pickling the rows costs more than the validation it spreads."""
    rows = table.rows()
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk, validate_chunk(table.fields, chunk, *rule_args)


def report_validation_progress(upload, outcome):
    set_progress(
        upload, rows_read=outcome.rows_read, rejected=outcome.rejected, skipped=outcome.skipped
    )


def store_outcome(upload, outcome, staged=False):
    """Write the upload's supports and issues; the caller wraps this in one transaction.
    `staged`: the valid rows are in StagedSupport (staging.py), published from there.

    A dry run stores only its kept issues, and a note when its report leaves some out."""
    stored = 0
    if not upload.dry_run and outcome.valid_count:
        set_progress(upload, phase=f"Guardando {outcome.valid_count:,} apoyos")
        register_cedulas(upload, outcome.first_dates)
        if staged:
            stored = staging.publish(upload, outcome.valid_count)
        else:
            stored = insert_supports(upload, outcome.valid_rows())
    elif upload.dry_run:
        stored = outcome.valid_count  # what a real upload would store
    insert_issues(upload, outcome.issues())
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.DONE,
        phase="",
        rows_read=outcome.rows_read,
        stored=stored,
        skipped=outcome.skipped,
        rejected=outcome.rejected,
        message=outcome.report_message(),
        finished_at=timezone.now(),
    )
    upload.refresh_from_db()


def register_cedulas(upload, first_dates):
    """Register the file's new folios, dated by their first row (`first_dates`: folio -> date of
    its first valid row)."""
    aspirant = upload.aspirant
    existing = set(Cedula.objects.filter(aspirant=aspirant).values_list("reference", flat=True))
    now = db_datetime(timezone.now())
    new_cedulas = (
        (aspirant.pk, reference, db_date(date), upload.uploaded_by_id, now)
        for reference, date in first_dates.items()
        if reference not in existing
    )
    columns = ["aspirant_id", "reference", "date", "created_by_id", "created_at"]
    insert_rows(Cedula._meta.db_table, columns, new_cedulas)


SUPPORT_COLUMNS = [
    "aspirant_id",
    "cedula_id",
    "channel",
    "name",
    "paternal_surname",
    "maternal_surname",
    "elector_key",
    "ocr",
    "inconsistency_id",
    "comment",
    "support_date",
    "captured_at",
    "captured_by_id",
    "status",
    "withdrawal_reason",
    "upload_id",
]
# With whether FECHA_APOYO was written, the row's warnings and the name as searches read it (the
# benchmark inserts SUPPORT_COLUMNS, all written).
UPLOAD_COLUMNS = [*SUPPORT_COLUMNS, "date_written", "warnings", "search_name"]


def insert_supports(upload, valid_rows):
    """Insert the valid rows in file order, so ids keep the order of capture (tie-break rule).
    `valid_rows` is consumed once, as it is read back from disk, with each row's warnings and
    search name (row_extras.py)."""
    cedula_ids = dict(
        Cedula.objects.filter(aspirant_id=upload.aspirant_id).values_list("reference", "id")
    )
    inconsistency_ids = dict(Inconsistency.objects.values_list("code", "id"))
    now = db_datetime(timezone.now())
    dates = DbDates()  # a file holds few distinct dates: adapt each once
    aspirant_id, user_id, upload_id = upload.aspirant_id, upload.uploaded_by_id, upload.pk
    channel = Channel(upload.channel)
    status = initial_status(channel).value
    rows = (
        (
            aspirant_id,
            cedula_ids[row.reference],
            channel.value,
            row.name,
            row.paternal_surname,
            row.maternal_surname,
            row.elector_key,
            row.ocr,
            inconsistency_ids.get(row.inconsistency_code),
            row.comment,
            dates[row.support_date],
            now,
            user_id,
            status,
            "",
            upload_id,
            row.date_written,
            warnings,
            search_name,
        )
        for _, row, warnings, search_name in valid_rows
    )
    return insert_rows(Support._meta.db_table, UPLOAD_COLUMNS, rows)


def insert_issues(upload, issues):
    rows = (
        (
            upload.pk,
            kind,
            row_number,
            column,
            reason[:500],
            json.dumps(values, ensure_ascii=False),
        )
        for kind, row_number, column, reason, values in issues
    )
    columns = ["upload_id", "kind", "row_number", "column", "reason", "values"]
    insert_rows(UploadIssue._meta.db_table, columns, rows)


def issue_rows(upload, kinds=(IssueKind.REJECTED,)):
    """Report rows: row number, kind, column, reason, then the row's original values."""
    issues = upload.issues.filter(kind__in=kinds).order_by("row_number", "id")
    for issue in issues.iterator(chunk_size=5000):
        values = issue.values or {}
        column = COLUMN_LABELS.get(issue.column, issue.column)
        head = [issue.row_number, issue.get_kind_display(), column, issue.reason]
        yield head + [values.get(name, "") for name in COLUMNS + OPTIONAL_COLUMNS]

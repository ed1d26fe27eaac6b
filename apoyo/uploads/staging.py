"""Publishing a carga masiva on SQLite without holding the write lock for the whole insert.

SQLite has one write lock for the database: inserting 100,000 supports in one transaction (rows
built in Python, nine indexes, the tally trigger per row) kept every other write (a capturista's
cédula row, a revisor's decision, the access log) waiting for seconds. So the validated rows are
first written to StagedSupport a chunk at a time, each chunk its own short transaction, and then
published by one INSERT ... SELECT inside the upload's single storing transaction: the lock is held
only for that statement, with no Python in between. The all-or-nothing rule is untouched: staged
rows are read by nothing but the publish, and a failed or killed upload leaves only staged rows,
which its retry (reset) deletes before staging again.

PostgreSQL keeps the COPY in one transaction (services.insert_supports): its writers do not wait
for each other's inserts (MVCC), so staging would only add a second copy of every row.
"""

import logging

from django.db import connection, transaction
from django.utils import timezone

from apoyo.core.bulk import db_date, db_datetime, insert_rows
from apoyo.core.jobs import set_progress
from apoyo.supports.models import Cedula, Channel, Inconsistency, Support, initial_status
from apoyo.uploads.models import StagedSupport

logger = logging.getLogger(__name__)

# Rows per staging transaction: each holds SQLite's lock for tens of milliseconds.
STAGE_ROWS = 5000
STAGED_COLUMNS = [
    "upload_id",
    "reference",
    "name",
    "paternal_surname",
    "maternal_surname",
    "elector_key",
    "search_name",
    "ocr",
    "inconsistency_id",
    "comment",
    "warnings",
    "support_date",
    "date_written",
]
# supports_support's columns filled from each staged row (same names), besides the upload's own.
COPIED_COLUMNS = STAGED_COLUMNS[2:]


def uses_staging():
    return connection.vendor == "sqlite"


def stage_rows(upload, valid_rows):
    """Write the valid rows (Outcome.valid_rows) to StagedSupport in file order, one short
    transaction per STAGE_ROWS rows. Returns how many."""
    inconsistency_ids = dict(Inconsistency.objects.values_list("code", "id"))
    dates = DbDates()
    upload_id = upload.pk
    rows = (
        (
            upload_id,
            row.reference,
            row.name,
            row.paternal_surname,
            row.maternal_surname,
            row.elector_key,
            search_name,
            row.ocr,
            inconsistency_ids.get(row.inconsistency_code),
            row.comment,
            warnings,
            dates[row.support_date],
            row.date_written,
        )
        for _, row, warnings, search_name in valid_rows
    )
    staged = 0
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == STAGE_ROWS:
            staged += stage_chunk(upload, chunk)
            chunk = []
    if chunk:
        staged += stage_chunk(upload, chunk)
    return staged


def stage_chunk(upload, rows):
    """One chunk in its own transaction: the lock is released when it returns."""
    with transaction.atomic():
        count = insert_rows(StagedSupport._meta.db_table, STAGED_COLUMNS, rows)
    set_progress(upload)  # a heartbeat: staging a large file takes a few seconds
    return count


def publish(upload, expected):
    """Insert the upload's staged rows as supports, in staged (file) order, with their cédulas'
    ids; run inside the storing transaction, after the cédulas are registered. Returns the count,
    which must be `expected` (the valid rows): a row without its cédula, or one staged twice,
    fails the transaction rather than store a different set than validation decided."""
    channel = Channel(upload.channel)
    constants = {
        "aspirant_id": upload.aspirant_id,
        "channel": channel.value,
        "captured_at": db_datetime(timezone.now()),
        "captured_by_id": upload.uploaded_by_id,
        "status": initial_status(channel).value,
        "withdrawal_reason": "",
        "upload_id": upload.pk,
    }
    quote = connection.ops.quote_name
    target = [*constants, "cedula_id", *COPIED_COLUMNS]
    selected = ["%s"] * len(constants) + ["c.id"] + [f"s.{quote(c)}" for c in COPIED_COLUMNS]
    # Table and column names come from model metadata, never from input.
    sql = (
        f"INSERT INTO {quote(Support._meta.db_table)} ({', '.join(quote(c) for c in target)}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM {quote(StagedSupport._meta.db_table)} s "
        f"JOIN {quote(Cedula._meta.db_table)} c ON c.aspirant_id = %s AND c.reference = s.reference "
        "WHERE s.upload_id = %s ORDER BY s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), upload.aspirant_id, upload.pk])
        published = cursor.rowcount
    if published != expected:
        raise RuntimeError(f"Upload {upload.pk}: {published} staged rows, {expected} valid")
    return published


def discard(upload):
    """Delete the upload's staged rows, a chunk per transaction like the staging; the database
    picks each chunk, so no id comes through Python."""
    table = connection.ops.quote_name(StagedSupport._meta.db_table)
    # The table name comes from model metadata, never from input.
    sql = (
        f"DELETE FROM {table} WHERE id IN "  # noqa: S608
        f"(SELECT id FROM {table} WHERE upload_id = %s ORDER BY id LIMIT %s)"
    )
    deleted = STAGE_ROWS
    while deleted == STAGE_ROWS:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [upload.pk, STAGE_ROWS])
            deleted = cursor.rowcount


def discard_quietly(upload):
    """After the upload is published or failed its staged rows are of no further use; if deleting
    them fails (the database went away), its retry or reset deletes them."""
    try:
        discard(upload)
    except Exception:
        logger.exception("Upload %s: staged rows not deleted", upload.pk)


class DbDates(dict):
    """Each date adapted for the database once, on first use: a file holds few distinct dates."""

    def __missing__(self, day):
        self[day] = db_date(day)
        return self[day]

"""Storing a roll cut (CONTRACT.md import_roll: "importing the same cut date again replaces that
cut").

One transaction deletes the previous entries of the cut date, loads the new ones and replaces the
cut's Lista Nominal statistics: a failure anywhere leaves the previous cut, its statistics and
the table's key as they were. Rows go to the database without model instances (DESIGN.md
"Shape of the code"):

- PostgreSQL (stream_cut): the rows are COPYed as CSV written by polars while the file is still
  being read and validated, so reading, checking and storing overlap on the two cores; the key
  is dropped before and built again in bulk after (PostgreSQL's "Populating a Database" advice;
  transactional DDL restores it if anything fails). Building the key is also what finds a
  clave repeated in the file: then nothing is kept and RepeatedKeys tells the caller;
- SQLite (store_cut, rows validated beforehand): rows are inserted in clave order, many rows per
  statement. With the rows in key order SQLite appends to the key as it goes, which measured
  cheaper than dropping it and building it again (a Sonora cut: sort 2 s + 2 s of upkeep against
  7 s of CREATE INDEX). The table is WITHOUT ROWID (the model), so the key is the table itself:
  there is no second b-tree to drop.
"""

import io
from collections.abc import Callable, Iterable

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from apoyo.core.bulk import db_date, insert_rows
from apoyo.roll.frames import ENTRY_COLUMNS
from apoyo.roll.models import NominalListStat, RollCut, RollEntry, StatSource

INSERT_BATCH_ROWS = 50_000
SQLITE_ROWS_PER_STATEMENT = 200
# Page cache for the load (KiB): the pages of a Sonora-sized cut stay in memory until commit.
SQLITE_LOAD_CACHE_KIB = 1_000_000
# Memory to sort the key of a national cut (100 million claves) in fewer, larger runs.
POSTGRES_INDEX_MEMORY = "1GB"
STAT_COLUMNS = ["cut_date", "state_number", "section_number", "nominal_list", "source"]
_TEXT_COLUMNS = [
    name for name in ENTRY_COLUMNS if name not in {"birth_date", "state_number", "section_number"}
]


class RepeatedKeys(Exception):
    """The file repeats a clave de elector, found when the key was built; nothing was stored."""


def _quote(name):
    return connection.ops.quote_name(name)


def _table():
    return _quote(RollEntry._meta.db_table)


def store_cut(cut_date, entries: pl.LazyFrame, ln_counts, user=None, source_name=""):
    """Replace the cut of `cut_date` with `entries` (ENTRY_COLUMNS, every row valid and every
    clave once) and its statistics with `ln_counts` ((state, section, count) tuples). Returns
    (entries stored, statistic rows)."""
    if connection.vendor == "postgresql":
        batches = entries.collect_batches(chunk_size=INSERT_BATCH_ROWS)
        return stream_cut(cut_date, batches, lambda: ln_counts, user, source_name)
    with transaction.atomic():
        cut, replaced = _renewed_cut(cut_date, user, source_name)
        count = _load_sqlite(cut, replaced, entries)
        return count, _close_cut(cut, count, ln_counts)


def stream_cut(
    cut_date, batches: Iterable[pl.DataFrame], ln_counts: Callable, user=None, source_name=""
):
    """PostgreSQL: replace the cut of `cut_date` with the rows of `batches` (DataFrames of
    ENTRY_COLUMNS, consumed as they come) and its statistics with `ln_counts()`, asked for once
    every batch is stored. Returns (entries stored, statistic rows); raises RepeatedKeys, with
    nothing changed, when two rows share a clave.

    While the import runs the roll table is locked (TRUNCATE, or the key dropped), so a compulsa
    started meanwhile waits for the new cut instead of reading half of it."""
    with transaction.atomic():
        cut, replaced = _renewed_cut(cut_date, user, source_name)
        count = _load_postgresql(cut, replaced, batches)
        return count, _close_cut(cut, count, ln_counts())


def _close_cut(cut, count, ln_counts):
    RollCut.objects.filter(pk=cut.pk).update(entries=count)
    return replace_stats(cut.cut_date, ln_counts, source=StatSource.ROLL.value)


def _renewed_cut(cut_date, user, source_name):
    """The RollCut row of the date, created or stamped anew; True when it already existed."""
    fields = {
        "imported_at": timezone.now(),
        "imported_by": user,
        "source_name": source_name[:255],
        "entries": 0,
    }
    cut = RollCut.objects.select_for_update().filter(cut_date=cut_date).first()
    if cut is None:
        return RollCut.objects.create(cut_date=cut_date, **fields), False
    RollCut.objects.filter(pk=cut.pk).update(**fields)
    return cut, True


def _only_cut(cut):
    return not RollCut.objects.exclude(pk=cut.pk).exists()


def replace_stats(cut_date, counts, source):
    """Replace every Lista Nominal statistic of the cut date ("whichever ran last wins")."""
    NominalListStat.objects.filter(cut_date=cut_date).delete()
    day = db_date(cut_date)
    rows = ((day, state, section, total, source) for state, section, total in counts)
    return insert_rows(NominalListStat._meta.db_table, STAT_COLUMNS, rows)


# --- PostgreSQL -------------------------------------------------------------------------------


def _load_postgresql(cut, replaced, batches):
    """Load into a table without its key and build the key afterwards. When the cut is the only
    one, the table is emptied with TRUNCATE and the rows are COPYed FREEZE: written already
    frozen and visible to all, so neither the compulsa's first reads nor a later VACUUM rewrite
    100 million rows to set their hint bits."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{POSTGRES_INDEX_MEMORY}'")
        # ALTER TABLE refuses to run while deferred checks are queued (the new RollCut row's).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        restore_key = _drop_key(cursor)
        freeze = _only_cut(cut)
        if freeze:
            cursor.execute(f"TRUNCATE {_table()}")
        elif replaced:
            cursor.execute(f"DELETE FROM {_table()} WHERE cut_id = %s", [cut.pk])  # noqa: S608
        count = copy_entries(cursor, cut.pk, batches, freeze=freeze)
        try:
            cursor.execute(restore_key)
        except IntegrityError as exc:
            raise RepeatedKeys from exc
        cursor.execute(f"ANALYZE {_table()}")
    return count


def _drop_key(cursor):
    """Drop RollEntry's primary key; return the statement that makes it again as the migration
    made it."""
    constraints = connection.introspection.get_constraints(cursor, RollEntry._meta.db_table)
    name = next(name for name, details in constraints.items() if details["primary_key"])
    columns = ", ".join(_quote(column) for column in constraints[name]["columns"])
    cursor.execute(f"ALTER TABLE {_table()} DROP CONSTRAINT {_quote(name)}")
    return f"ALTER TABLE {_table()} ADD CONSTRAINT {_quote(name)} PRIMARY KEY ({columns})"


def copy_entries(cursor, cut_id, batches: Iterable[pl.DataFrame], freeze=False):
    """COPY the entries as CSV text written by polars, one block per batch. The blocks are sent
    by psycopg's writer thread, so the next batch is read and checked while PostgreSQL stores
    this one."""
    columns = ", ".join(_quote(name) for name in ["cut_id", *ENTRY_COLUMNS])
    not_null = ", ".join(_quote(name) for name in _TEXT_COLUMNS)
    options = f"FORMAT csv, FREEZE {str(freeze).lower()}, FORCE_NOT_NULL ({not_null})"
    sql = f"COPY {_table()} ({columns}) FROM STDIN WITH ({options})"
    count = 0
    with cursor.cursor.copy(sql, writer=QueuedLibpqWriter(cursor.cursor)) as copy:
        for batch in batches:
            block = io.BytesIO()
            batch.select(pl.lit(cut_id).alias("cut_id"), *ENTRY_COLUMNS).write_csv(
                block, include_header=False
            )
            copy.write(block.getbuffer())
            count += batch.height
    return count


# --- SQLite -----------------------------------------------------------------------------------


def _load_sqlite(cut, replaced, entries: pl.LazyFrame):
    """Insert in clave order with the key in place, the page cache enlarged for the load."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
        try:
            if replaced:
                _delete_sqlite_entries(cursor, cut)
            count = insert_entries(cursor, cut.pk, entries.sort("elector_key"))
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
    return count


def _delete_sqlite_entries(cursor, cut):
    """Remove the previous entries of the cut; an unqualified DELETE, which frees whole pages,
    when it is the only cut."""
    if _only_cut(cut):
        cursor.execute(f"DELETE FROM {_table()}")  # noqa: S608 - names from model metadata
    else:
        cursor.execute(f"DELETE FROM {_table()} WHERE cut_id = %s", [cut.pk])  # noqa: S608


def _flat_values(batch: pl.DataFrame):
    """All the values of a batch in one list, row after row: the parameters of the statements."""
    width = batch.width
    values = [None] * (batch.height * width)
    for index, column in enumerate(batch.iter_columns()):
        values[index::width] = column.to_list()
    return values


def _insert_sql(cut_id, rows):
    columns = ", ".join(_quote(name) for name in ["cut_id", *ENTRY_COLUMNS])
    one = f"({int(cut_id)}, " + ", ".join(["%s"] * len(ENTRY_COLUMNS)) + ")"
    return f"INSERT INTO {_table()} ({columns}) VALUES " + ", ".join([one] * rows)  # noqa: S608


def insert_entries(cursor, cut_id, entries: pl.LazyFrame):
    """executemany of multi-row INSERTs, batch after batch. (A helper thread preparing the next
    batch measured no faster: the conversion and the binding both need the interpreter.)"""
    frames = entries.select(
        *[
            pl.col(name).dt.to_string("%Y-%m-%d") if name == "birth_date" else pl.col(name)
            for name in ENTRY_COLUMNS
        ]
    )
    count = 0
    for batch in frames.collect_batches(chunk_size=INSERT_BATCH_ROWS):
        count += _execute_rows(cursor, cut_id, _flat_values(batch))
    return count


def _execute_rows(cursor, cut_id, values):
    width = len(ENTRY_COLUMNS)
    rows = len(values) // width
    per_statement = SQLITE_ROWS_PER_STATEMENT
    whole = rows - rows % per_statement
    step = per_statement * width
    if whole:
        groups = (values[start : start + step] for start in range(0, whole * width, step))
        cursor.executemany(_insert_sql(cut_id, per_statement), groups)
    if rows > whole:
        cursor.execute(_insert_sql(cut_id, rows - whole), values[whole * width :])
    return rows

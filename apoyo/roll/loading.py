"""Storing a validated roll cut (CONTRACT.md import_roll: "importing the same cut date again
replaces that cut").

One transaction deletes the previous entries of the cut date, loads the new ones and replaces the
cut's Lista Nominal statistics: a failure anywhere leaves the previous cut, its statistics and
the roll_entry_cut_key key as they were. Rows go to the database without model instances
(DESIGN.md "Shape of the code"):

- PostgreSQL: the clave key and the primary key are dropped, the
  rows are COPYed as CSV written by polars, and the keys are built again in bulk (PostgreSQL's
  "Populating a Database" advice; transactional DDL restores them if anything fails);
- SQLite: rows are inserted in clave order, many rows per statement. With the rows in index
  order SQLite appends to the index as it goes, which measured cheaper than dropping the index
  and building it again (a Sonora cut: sort 2 s + 2 s of index upkeep against 7 s of CREATE
  INDEX). Its primary key is the rowid, which costs nothing to keep.
"""

import io

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from apoyo.bulk import db_date, insert_rows

from .frames import ENTRY_COLUMNS
from .models import NominalListStat, RollCut, RollEntry, StatSource

INDEX_NAME = "roll_entry_cut_key"
INDEX_COLUMNS = ["cut_id", "elector_key"]
INSERT_BATCH_ROWS = 50_000
SQLITE_ROWS_PER_STATEMENT = 200
# Page cache for the load (KiB): the pages of a Sonora-sized cut stay in memory until commit.
SQLITE_LOAD_CACHE_KIB = 1_000_000
POSTGRES_INDEX_MEMORY = "512MB"
STAT_COLUMNS = ["cut_date", "state_number", "section_number", "nominal_list", "source"]
_TEXT_COLUMNS = [
    name for name in ENTRY_COLUMNS if name not in {"birth_date", "state_number", "section_number"}
]


def _quote(name):
    return connection.ops.quote_name(name)


def _table():
    return _quote(RollEntry._meta.db_table)


def _key_columns():
    return ", ".join(_quote(column) for column in INDEX_COLUMNS)


def create_index_sql():
    """The clave key of RollEntry.Meta as its migration creates it on SQLite (a unique index)."""
    return (
        f"CREATE UNIQUE INDEX IF NOT EXISTS {_quote(INDEX_NAME)} ON {_table()} ({_key_columns()})"
    )


def store_cut(cut_date, entries: pl.LazyFrame, ln_counts, user=None, source_name=""):
    """Replace the cut of `cut_date` with `entries` (ENTRY_COLUMNS) and its statistics with
    `ln_counts` ((state, section, count) tuples). Returns (entries stored, statistic rows).
    Entries point to their cut without a database constraint (RollEntry.cut), so nothing checks
    a key per row."""
    with transaction.atomic():
        cut, replaced = _renewed_cut(cut_date, user, source_name)
        if connection.vendor == "postgresql":
            count = _load_postgresql(cut, replaced, entries)
        else:
            count = _load_sqlite(cut, replaced, entries)
        RollCut.objects.filter(pk=cut.pk).update(entries=count)
        sections = replace_stats(cut_date, ln_counts, source=StatSource.ROLL.value)
    return count, sections


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


def _delete_entries(cursor, cut):
    """Remove the previous entries of the cut. When it is the only cut, the whole table is
    emptied at once (TRUNCATE; on SQLite an unqualified DELETE, which frees whole pages)."""
    alone = not RollCut.objects.exclude(pk=cut.pk).exists()
    if alone and connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {_table()}")
    elif alone:
        cursor.execute(f"DELETE FROM {_table()}")  # noqa: S608 - names from model metadata
    else:
        cursor.execute(f"DELETE FROM {_table()} WHERE cut_id = %s", [cut.pk])  # noqa: S608


def replace_stats(cut_date, counts, source):
    """Replace every Lista Nominal statistic of the cut date ("whichever ran last wins")."""
    NominalListStat.objects.filter(cut_date=cut_date).delete()
    day = db_date(cut_date)
    rows = ((day, state, section, total, source) for state, section, total in counts)
    return insert_rows(NominalListStat._meta.db_table, STAT_COLUMNS, rows)


# --- PostgreSQL -------------------------------------------------------------------------------


def _load_postgresql(cut, replaced, entries: pl.LazyFrame):
    """Load into a bare table and build its keys afterwards, as PostgreSQL's "Populating a
    Database" advises: the primary key and the unique clave key are dropped, then made again in
    bulk before commit. Transactional DDL puts them back if anything fails."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{POSTGRES_INDEX_MEMORY}'")
        # ALTER TABLE refuses to run while deferred checks are queued (the new RollCut row's).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        keys = _drop_keys(cursor)
        if replaced:
            _delete_entries(cursor, cut)
        count = copy_entries(cursor, cut.pk, entries)
        for sql in keys:
            cursor.execute(sql)
        cursor.execute(f"ANALYZE {_table()}")
    return count


def _drop_keys(cursor):
    """Drop RollEntry's primary key and its unique clave key; return the statements that make
    them again exactly as Django's migration created them."""
    constraints = connection.introspection.get_constraints(cursor, RollEntry._meta.db_table)
    restore = []
    for name, details in constraints.items():
        if details["primary_key"]:
            restore.insert(0, _primary_key_sql(name))
        elif name == INDEX_NAME:
            restore.append(_unique_key_sql(name))
        else:
            continue
        cursor.execute(f"ALTER TABLE {_table()} DROP CONSTRAINT {_quote(name)}")
    return restore


def _primary_key_sql(name):
    return f"ALTER TABLE {_table()} ADD CONSTRAINT {_quote(name)} PRIMARY KEY ({_quote('id')})"


def _unique_key_sql(name):
    return f"ALTER TABLE {_table()} ADD CONSTRAINT {_quote(name)} UNIQUE ({_key_columns()})"


def copy_entries(cursor, cut_id, entries: pl.LazyFrame):
    """COPY the entries as CSV text written by polars, one block per batch."""
    columns = ", ".join(_quote(name) for name in ["cut_id", *ENTRY_COLUMNS])
    not_null = ", ".join(_quote(name) for name in _TEXT_COLUMNS)
    sql = f"COPY {_table()} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
    frames = entries.select(pl.lit(cut_id).alias("cut_id"), *ENTRY_COLUMNS)
    count = 0
    with cursor.cursor.copy(sql) as copy:
        for batch in frames.collect_batches(chunk_size=INSERT_BATCH_ROWS):
            block = io.BytesIO()
            batch.write_csv(block, include_header=False)
            copy.write(block.getvalue())
            count += batch.height
    return count


# --- SQLite -----------------------------------------------------------------------------------


def _load_sqlite(cut, replaced, entries: pl.LazyFrame):
    """Insert in clave order with the index in place, the page cache enlarged for the load."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
        try:
            if replaced:
                _delete_entries(cursor, cut)
            count = insert_entries(cursor, cut.pk, entries.sort("elector_key"))
            cursor.execute(create_index_sql())
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
    return count


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

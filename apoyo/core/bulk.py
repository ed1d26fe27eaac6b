"""The fastest insert each database offers, for imports of many rows.

Model instances and bulk_create cost 10 to 15 times the raw driver (DESIGN.md); large imports hand
ready tuples here instead: COPY on PostgreSQL, executemany on SQLite.
"""

import re

from django.db import connection


def insert_rows(table, columns, rows, batch_size=20000):
    """Insert an iterable of tuples (already in database form) into `table`. Returns the count."""
    if connection.vendor == "postgresql":
        return _copy_rows(table, columns, rows)
    return _executemany_rows(table, columns, rows, batch_size)


def _copy_rows(table, columns, rows, batch_size=20000):
    """COPY in text format, written in large blocks: psycopg's per-row write_row costs more than
    formatting the lines here."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    lines = []
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            lines.append("\t".join(map(_copy_text, row)))
            if len(lines) >= batch_size:
                copy.write("\n".join(lines) + "\n")
                count += len(lines)
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
            count += len(lines)
    return count


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """One value in COPY's text format: NULL is \\N; backslash, tab and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _executemany_rows(table, columns, rows, batch_size):
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from model metadata, never from input.
    sql = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({placeholders})"  # noqa: S608
    count = 0
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def db_datetime(value):
    """A timezone-aware datetime in the form this database's raw driver expects."""
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value):
    return connection.ops.adapt_datefield_value(value)

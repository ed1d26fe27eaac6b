"""The fastest insert each database offers, for imports of many rows.

Model instances and bulk_create cost 10 to 15 times the raw driver (DESIGN.md); large imports hand
ready tuples here instead: COPY on PostgreSQL, executemany on SQLite.
"""

from django.db import connection


def insert_rows(table, columns, rows, batch_size=20000):
    """Insert an iterable of tuples (already in database form) into `table`. Returns the count."""
    if connection.vendor == "postgresql":
        return _copy_rows(table, columns, rows)
    return _executemany_rows(table, columns, rows, batch_size)


def _copy_rows(table, columns, rows):
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


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

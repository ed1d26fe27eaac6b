"""The query planner's statistics, refreshed after large changes of the data.

SQLite never gathers them on its own (3.40 has no automatic ANALYZE, and PRAGMA optimize only
analyses tables the same connection has queried): without sqlite_stat1 the planner guesses, and
the mesa de control's queue sorts every support of the entity instead of reading its partial index
(90 ms against 5 ms at 105,000 supports, issue 15). PostgreSQL's autovacuum analyses within a
minute, but pages asked right after a large load should not wait for it.
"""

from django.db import connection

# Rows SQLite reads per index; 0 reads them all. A sample (PRAGMA analysis_limit) reads the first
# entries of each index, which here all belong to one aspirant: at 1,000 rows it recorded 1,001
# supports per aspirant where there were 250,000, and the planner then walked every support of the
# entity to count an empty table of reviews (2.5 s against 0 ms, issue 15). A full ANALYZE of a
# million supports takes about 2 s, and runs only after migrate and large loads.
SQLITE_ANALYSIS_LIMIT = 0


# The statistics of the indexes whose first column is a date or a time, not marked yet.
TIME_LED_INDEXES = """
    SELECT stat.tbl, stat.idx FROM sqlite_stat1 stat
    JOIN pragma_index_info(stat.idx) lead ON lead.seqno = 0
    JOIN pragma_table_info(stat.tbl) col ON col.name = lead.name
    WHERE lower(col.type) IN ('datetime', 'date') AND stat.stat NOT LIKE '%noskipscan%'
"""


def refresh_statistics(tables=()):
    """ANALYZE `tables` (every table when empty) on the default database."""
    quote = connection.ops.quote_name
    targets = [quote(table) for table in tables] or [""]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        for target in targets:
            cursor.execute(f"ANALYZE {target}".strip())
        if connection.vendor == "sqlite":
            forbid_skip_scans_of_times(cursor)


def forbid_skip_scans_of_times(cursor):
    """Mark every SQLite index led by a date or time "noskipscan" (a token of sqlite_stat1).

    A skip-scan seeks once per distinct value of the index's first column, and SQLite chooses it
    when its statistics say there are few. A carga masiva stamps its 100,000 rows with one capture
    time, so statistics taken after one say so of (captured_at, id); every capture after them adds
    a time, and a page of a search's ids, read by a skip-scan, sought each id once per capture
    time (2.3 s a portal search in make bench ONLY=web). Looked up by id and sorted instead, such
    a page costs the same when the times are indeed few."""
    cursor.execute(TIME_LED_INDEXES)
    marked = cursor.fetchall()
    for table, index in marked:
        cursor.execute(
            "UPDATE sqlite_stat1 SET stat = stat || ' noskipscan' WHERE tbl = %s AND idx = %s",
            [table, index],
        )
    if marked:
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads sqlite_stat1 again


def after_migrate(sender, plan=None, **kwargs):
    """post_migrate of `migrate` (start-up of `make run`, deployments); not of the test runner's
    flush between tests (plan None), where the tables are empty anyway."""
    if plan is not None and kwargs.get("using", "default") == "default":
        refresh_statistics()

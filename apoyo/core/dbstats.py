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


def refresh_statistics(tables=()):
    """ANALYZE `tables` (every table when empty) on the default database."""
    quote = connection.ops.quote_name
    targets = [quote(table) for table in tables] or [""]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        for target in targets:
            cursor.execute(f"ANALYZE {target}".strip())


def after_migrate(sender, plan=None, **kwargs):
    """post_migrate of `migrate` (start-up of `make run`, deployments); not of the test runner's
    flush between tests (plan None), where the tables are empty anyway."""
    if plan is not None and kwargs.get("using", "default") == "default":
        refresh_statistics()

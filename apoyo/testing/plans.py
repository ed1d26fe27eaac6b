"""SQLite query plans under the statistics `make bench ONLY=web` had: tests that a page's query
is planned as intended whatever rows the test itself holds."""

from django.db import connection

from apoyo.core.dbstats import refresh_statistics

# sqlite_stat1 as ANALYZE wrote it in `make bench ONLY=web` (105,000 supports of one instant,
# four aspirants, no review yet): the planner's view of the tables, whatever rows a test holds.
BENCH_STATISTICS = [
    ("supports_support", "support_aspirant_newest", "105000 26250 26250 1"),
    ("supports_support", "support_newest_first", "105000 105000 1"),
    ("supports_support", "support_review_queue", "21000 21000 1"),
    ("supports_support", "support_aspirant_key", "105000 26250 1"),
    ("supports_support", "supports_support_upload_id_9865717e", "105000 105000"),
    ("supports_support", "supports_support_cedula_id_d2e87953", "105000 10"),
    ("supports_support", "support_unique_in_cedula", "105000 10 1"),
    ("aspirants_aspirant", "aspirants_aspirant_office_id_7707902d", "5 3"),
    ("aspirants_aspirant", "sqlite_autoindex_aspirants_aspirant_2", "5 3 1"),
    ("aspirants_aspirant", "sqlite_autoindex_aspirants_aspirant_1", "5 2"),
    ("supports_cedula", "supports_cedula_aspirant_id_8e26979f", "10565 2642"),
    ("supports_cedula", "sqlite_autoindex_supports_cedula_1", "10565 2642 1"),
]


def with_bench_statistics():
    """Replace SQLite's statistics with BENCH_STATISTICS."""
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", BENCH_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again


def plan(queryset):
    """The steps of SQLite's EXPLAIN QUERY PLAN for `queryset`."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[3] for row in cursor.fetchall()]

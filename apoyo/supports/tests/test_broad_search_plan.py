"""SQLite's plan for a page of a broad search (more matches than supports.search.LISTED_BY_ID,
lowered here): the list's rows are read in its own order and each is tested against the
matches, never each match looked up through the (captured_at, id) index.

That lookup is a skip-scan: one seek per distinct capture time for every match. SQLite picks it
when its statistics were taken while most supports shared one capture time (a carga masiva stamps
every row with one instant); once app captures had added a few thousand capture times, one
portal search took 2.7 s of CPU (make bench ONLY=web)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from apoyo.core.dbstats import refresh_statistics
from apoyo.supports import search
from apoyo.supports.models import Channel, Status, Support
from apoyo.testing.factories import elector_key, make_aspirant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL gets a broad search as a condition on each row (search.py)")


def stored_at_one_instant(aspirant, count):
    """`count` supports of one carga masiva: one capture time; one in ten named LOPEZ."""
    at = timezone.now() - datetime.timedelta(days=1)
    Support.objects.bulk_create(
        Support(
            aspirant=aspirant,
            channel=Channel.BULK,
            name="ANA",
            paternal_surname="LOPEZ" if n % 10 == 0 else "PEREZ",
            search_name="LOPEZ ANA" if n % 10 == 0 else "PEREZ ANA",
            elector_key=elector_key(n + 10000 * aspirant.pk),
            support_date=datetime.date(2021, 1, 10),
            captured_at=at,
            status=Status.PRELIMINARY,
        )
        for n in range(1, count + 1)
    )


# sqlite_stat1 as ANALYZE wrote it in `make bench ONLY=web` (105,000 supports of one instant,
# four aspirants): the planner's view of the tables, whatever rows this test holds.
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


def statistics_of_one_instant():
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", BENCH_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[3] for row in cursor.fetchall()]


def test_a_broad_search_page_is_not_read_by_a_skip_scan_per_match(monkeypatch):
    monkeypatch.setattr(search, "LISTED_BY_ID", 5)
    aspirant = make_aspirant(with_user=True)
    for one in [make_aspirant(), make_aspirant(), aspirant]:
        stored_at_one_instant(one, 300)
    statistics_of_one_instant()
    listed = Support.objects.filter(aspirant__user=aspirant.user).order_by("-captured_at", "-id")
    found, broad = search.search_supports(listed, "lopez")
    assert broad
    steps = plan(found.values_list("pk", flat=True)[:50])
    assert not any("ANY(" in step for step in steps), steps
    assert found.count() == 30

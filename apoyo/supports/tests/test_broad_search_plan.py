"""SQLite's plan for a page of a broad search (more matches than supports.search.LISTED_BY_ID,
lowered here): the list's rows are read in its own order and each is tested against the
matches, never each match looked up through the (captured_at, id) index.

That lookup is a skip-scan: one seek per distinct capture time for every match. SQLite picks it
when its statistics were taken while most supports shared one capture time (a carga masiva stamps
every row with one instant); once app captures had added a few thousand capture times, one
portal search took 2.7 s of CPU (make bench ONLY=web)."""

import pytest
from django.db import connection

from apoyo.supports import search
from apoyo.supports.models import Support
from apoyo.testing.factories import make_aspirant, stored_at_one_instant
from apoyo.testing.plans import plan, with_bench_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL gets a broad search as a condition on each row (search.py)")


def test_a_broad_search_page_is_not_read_by_a_skip_scan_per_match(monkeypatch):
    monkeypatch.setattr(search, "LISTED_BY_ID", 5)
    aspirant = make_aspirant(with_user=True)
    for one in [make_aspirant(), make_aspirant(), aspirant]:
        stored_at_one_instant(one, 300)
    with_bench_statistics()
    listed = Support.objects.filter(aspirant__user=aspirant.user).order_by("-captured_at", "-id")
    found, broad = search.search_supports(listed, "lopez")
    assert broad
    steps = plan(found.values_list("pk", flat=True)[:50])
    assert not any("ANY(" in step for step in steps), steps
    assert found.count() == 30

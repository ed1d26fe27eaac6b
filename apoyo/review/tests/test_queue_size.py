"""The mesa de control queue's size without counting it: SupportTally's pending supports less those
with an open four-eyes proposal, equal to counting the queue; and its page read by ids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.review.queue import queue_size, review_queue, visible_proposals
from apoyo.supports.models import Review, ReviewOutcome
from apoyo.testing.factories import (
    make_aspirant,
    make_office,
    make_process,
    make_user,
    precaptured_named,
)
from apoyo.testing.plans import plan, with_bench_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    aspirant = make_aspirant(make_office(), with_user=True)
    other_state = make_aspirant(make_office(make_process(state_number=14)), with_user=True)
    supports = [precaptured_named(aspirant, n, "ANA", "LOPEZ") for n in range(1, 6)]
    precaptured_named(other_state, 9, "ANA", "LOPEZ")
    reviewer = make_user(Role.OPL_REVIEWER)
    Review.objects.create(support=supports[0], reviewer=reviewer, outcome=ReviewOutcome.PROPOSED)
    return reviewer


def test_the_queue_size_from_the_tally_equals_counting_the_queue(queue):
    awaiting = visible_proposals(queue).count()
    assert awaiting == 1
    assert queue_size(queue, awaiting) == review_queue(queue).count() == 4


def test_the_unfiltered_queue_page_does_not_count_the_pending_supports(client, queue):
    client.force_login(queue)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert len(response.context["page"]) == 4
    counts = [query["sql"] for query in queries if 'COUNT(*) AS "__count"' in query["sql"]]
    # The open proposals (few) and the user's notices are counted; the pending supports are not.
    assert not any('FROM "supports_support"' in sql for sql in counts), counts


def test_a_filtered_queue_is_counted(client, queue):
    client.force_login(queue)
    response = client.get(reverse("review:queue"), {"q": "lopez"})
    assert response.context["page"].paginator.count == 4


def test_the_queue_page_reads_its_rows_without_asking_again_for_a_current_sample(client, queue):
    # The order puts a current sample first; reading the page's rows by id needs no order.
    client.force_login(queue)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:queue"))
    assert len(response.context["page"].object_list) == 4
    probes = [q["sql"] for q in queries if "sampling_sampledsupport" in q["sql"]]
    assert len(probes) == 1, probes


def test_the_open_proposals_are_found_through_their_index_not_by_walking_the_queue(queue):
    """The mesa counts them on every view: as a join SQLite walked every pending support of the
    entity to find a handful (20–120 ms at 105,000 supports in make bench ONLY=web)."""
    if connection.vendor != "sqlite":
        pytest.skip("a plan of SQLite's; PostgreSQL starts from the partial index either way")
    with_bench_statistics()
    steps = plan(visible_proposals(queue))
    assert any("USING INDEX review_one_open_proposal" in step for step in steps), steps
    assert not any(step.startswith("SCAN supports_support") for step in steps), steps
    assert visible_proposals(queue).count() == 1

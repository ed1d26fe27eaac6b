"""A search that finds few enough supports lists them by id (supports.search.listed_ids): the ids
travel as one parameter of each query, never one parameter each, which SQLite's queries compiled
in Python once per query of the list (50 ms a search of 4,679 matches at a million)."""

import pytest
from django.db import connection
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.core.dbstats import refresh_statistics
from apoyo.supports.models import Support
from apoyo.supports.search import listed_ids
from apoyo.testing.factories import (
    make_aspirant,
    make_office,
    make_user,
    precaptured_named,
    stored_at_one_instant,
)
from apoyo.testing.plans import plan

pytestmark = pytest.mark.django_db

MATCHES = 12


def test_the_ids_a_search_found_are_one_parameter_of_each_query_of_the_list(client, settings):
    # A page's own rows are read by their ids: fewer than the matches.
    settings.APOYO_PAGE_SIZE = 4
    aspirant = make_aspirant(make_office())
    for n in range(MATCHES):
        precaptured_named(aspirant, n + 1, f"Nombre{n}", "López")
    client.force_login(make_user(Role.OPL_REVIEWER))
    parameters = []

    def count_parameters(execute, sql, params, many, context):
        parameters.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_parameters):
        response = client.get(reverse("supports:list"), {"q": "lopez"})

    assert response.context["page"].paginator.count == MATCHES
    assert max(parameters) < MATCHES


def test_after_a_carga_at_one_instant_a_page_of_found_ids_is_not_a_skip_scan_of_capture_times():
    """With statistics taken while most supports share one capture time (a carga masiva stamps
    its rows with one instant), SQLite read a page of found ids by a skip-scan of the (captured_at,
    id) index: one seek per capture time for each id. Captures made after the statistics add
    capture times, and a portal search took 2.3 s (make bench ONLY=web, without pauses)."""
    if connection.vendor != "sqlite":
        pytest.skip("a skip-scan is SQLite's; PostgreSQL has none")
    aspirant = make_aspirant(with_user=True)
    stored_at_one_instant(aspirant, 300)
    refresh_statistics()
    found = Support.objects.filter(aspirant__user=aspirant.user).order_by("-captured_at", "-id")
    ids = list(found.values_list("pk", flat=True)[::7])
    steps = plan(found.filter(pk__in=listed_ids(ids)).values_list("pk", flat=True)[:50])
    assert not any("ANY(captured_at)" in step for step in steps), steps

"""The mesa de control queue counts a broad search (more matches than supports.search.LISTED_BY_ID,
lowered here to three) only up to that cap and says so, as the OPL list and the portal do; its
download still has every match."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.supports import search
from apoyo.testing.downloads import csv_rows
from apoyo.testing.factories import (
    make_aspirant,
    make_office,
    make_user,
    precaptured_named,
)

pytestmark = pytest.mark.django_db

CAP = 3


@pytest.fixture
def pending(monkeypatch):
    monkeypatch.setattr(search, "LISTED_BY_ID", CAP)
    aspirant = make_aspirant(make_office(), with_user=True)
    names = ["Ana", "Eva", "Luis", "José", "Rosa"]
    lopez = [precaptured_named(aspirant, n, name, "López") for n, name in enumerate(names, start=1)]
    return {"lopez": lopez, "munoz": precaptured_named(aspirant, 9, "Iván", "Muñoz")}


@pytest.fixture
def reviewer(client):
    user = make_user(Role.OPL_REVIEWER)
    client.force_login(user)
    return user


def test_a_broad_search_of_the_queue_shows_the_notice_and_the_capped_count(
    client, pending, reviewer, settings
):
    settings.APOYO_PAGE_SIZE = 2
    response = client.get(reverse("review:queue"), {"q": "lopez"})
    page = response.content.decode()
    assert f"Más de {CAP} apoyos coinciden con «lopez»: se muestran los primeros {CAP}." in page
    assert response.context["page"].paginator.count == CAP
    assert response.context["page"].paginator.num_pages == 2
    assert f"({CAP} registros)." not in page


def test_a_narrow_search_of_the_queue_keeps_its_exact_count(client, pending, reviewer):
    response = client.get(reverse("review:queue"), {"q": "munoz"})
    page = response.content.decode()
    assert "coinciden con" not in page
    assert response.context["page"].paginator.count == 1 and "(1 registro)." in page


def test_the_queue_export_of_a_broad_search_has_every_match(client, pending, reviewer):
    rows = csv_rows(client.get(reverse("review:queue_export", args=["csv"]), {"q": "lopez"}))
    assert {row[4] for row in rows[1:]} == {s.elector_key for s in pending["lopez"]}


def test_a_broad_search_is_run_to_find_it_broad_to_count_and_for_the_ids_not_for_the_rows(
    client, pending, reviewer
):
    # Each run gathers every match anew (SQLite: the word index's whole list), so the page's
    # rows are read by their ids alone. PostgreSQL gets the search as a condition its word index
    # serves, never as LIKE tests of each row.
    searched = "MATCH" if connection.vendor == "sqlite" else "to_tsquery"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:queue"), {"q": "lopez"})
    assert len(response.context["page"].object_list) == CAP
    runs = [query["sql"] for query in queries if searched in query["sql"]]
    assert len(runs) == 3
    assert not any("LIKE" in sql for sql in runs)

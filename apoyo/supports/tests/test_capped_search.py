"""A search matching more supports than supports.search.LISTED_BY_ID (a lone common surname) is
counted by the OPL list and the aspirant portal only up to that cap: the page says so and shows
no summary of its matches, while its downloads still carry every match. The cap is lowered here
so that a handful of supports make a broad search."""

import pytest
from django.template.loader import render_to_string
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
NOTICE = f"Más de {CAP} apoyos coinciden con «lopez»: se muestran los primeros {CAP}."


@pytest.fixture
def world(monkeypatch):
    """Aspirant `a` with five López and a Muñoz, aspirant `b` with two López: "lopez" matches
    seven supports, more than the cap of three."""
    monkeypatch.setattr(search, "LISTED_BY_ID", CAP)
    office = make_office()
    a = make_aspirant(office, with_user=True)
    b = make_aspirant(office, with_user=True)
    names = ["Ana", "Eva", "Luis", "José", "Rosa"]
    lopez = [precaptured_named(a, n, name, "López") for n, name in enumerate(names, start=1)]
    b_lopez = [precaptured_named(b, n, name, "López") for n, name in enumerate(names[:2], start=10)]
    return {
        "a": a,
        "b": b,
        "lopez": lopez,
        "b_lopez": b_lopez,
        "munoz": precaptured_named(a, 20, "Iván", "Muñoz"),
    }


def test_a_broad_search_of_the_opl_list_shows_the_notice_and_the_capped_count_without_summary(
    client, world, settings
):
    settings.APOYO_PAGE_SIZE = 2
    client.force_login(make_user(Role.OPL_REVIEWER))
    response = client.get(reverse("supports:list"), {"q": "lopez"})
    page = response.content.decode()
    assert NOTICE in page
    assert response.context["counts"] is None and "Apoyos registrados" not in page
    assert response.context["page"].paginator.count == CAP
    assert response.context["page"].paginator.num_pages == 2
    # The download line does not claim the capped count: the file has every match.
    assert f"({CAP} registros)." not in page


def test_a_narrow_search_of_the_opl_list_keeps_its_exact_counts(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    response = client.get(reverse("supports:list"), {"q": "munoz"})
    page = response.content.decode()
    assert "coinciden con" not in page
    assert response.context["counts"]["total"] == 1
    assert response.context["page"].paginator.count == 1
    assert "Apoyos registrados" in page and "(1 registro)" in page


def test_a_broad_search_narrowed_by_a_filter_to_the_cap_is_counted_exactly(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    response = client.get(reverse("supports:list"), {"q": "lopez", "aspirant": world["b"].pk})
    assert "coinciden con" not in response.content.decode()
    assert response.context["counts"]["total"] == 2
    assert response.context["page"].paginator.count == 2


def test_the_opl_export_of_a_broad_search_has_every_match(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    rows = csv_rows(client.get(reverse("supports:export", args=["csv"]), {"q": "lopez"}))
    expected = {s.elector_key for s in world["lopez"] + world["b_lopez"]}
    assert {row[1] for row in rows[1:]} == expected


def test_a_broad_search_of_the_portal_shows_the_notice_and_the_capped_count(client, world):
    client.force_login(world["a"].user)
    response = client.get(reverse("supports:portal"), {"q": "lopez"})
    page = response.content.decode()
    assert NOTICE in page
    assert response.context["page"].paginator.count == CAP
    assert len(response.context["page"]) == CAP
    # The portal's summary is of every own support (the tally), not of the search.
    assert response.context["counts"]["total"] == 6


def test_a_portal_search_broad_elsewhere_but_within_the_cap_here_is_counted_exactly(client, world):
    # "lopez" matches seven supports in all, but only the two of aspirant b are b's.
    client.force_login(world["b"].user)
    response = client.get(reverse("supports:portal"), {"q": "lopez"})
    assert "coinciden con" not in response.content.decode()
    assert response.context["page"].paginator.count == 2


def test_the_portal_export_of_a_broad_search_has_every_own_match(client, world):
    client.force_login(world["a"].user)
    url = reverse("supports:portal_export", args=["csv"])
    rows = csv_rows(client.get(url, {"q": "lopez"}))
    assert {row[1] for row in rows[1:]} == {s.elector_key for s in world["lopez"]}


def test_the_notice_writes_the_cap_with_a_thousands_separator():
    notice = render_to_string("supports/_capped_notice.html", {"capped": 5000, "q": "lopez"})
    assert "Más de 5,000 apoyos coinciden con «lopez»: se muestran los primeros 5,000." in notice
    assert "otro apellido o el nombre" in notice

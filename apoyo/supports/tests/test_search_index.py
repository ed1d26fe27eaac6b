"""The indexes that serve the supports search (migration 0017): the word index over search_name
follows every change of a support, whatever is typed is a search and never an error, a clave's
prefix is a range of claves, and each database reads the name through its index."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from apoyo.accounts.models import Role
from apoyo.supports import search
from apoyo.supports.models import Support
from apoyo.supports.search import name_ids, search_supports
from apoyo.supports.services import capture_support, correct_support, open_cedula
from apoyo.testing.factories import PERIOD_START, elector_key, make_aspirant, make_user

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("apoyo.supports.migrations.0017_support_search_words")


def row(n, name, paternal, maternal=""):
    return {
        "NOMBRE": name,
        "APELLIDO_PATERNO": paternal,
        "APELLIDO_MATERNO": maternal,
        "CLAVE_ELECTOR": elector_key(n),
        "OCR": f"{n:013d}",
    }


@pytest.fixture
def people():
    aspirant = make_aspirant()
    capturist = make_user(Role.OPL_CAPTURIST)
    cedula, _ = open_cedula(capturist, aspirant, "F-9", PERIOD_START)
    typed = [
        (1, "José", "Muñoz", "García"),
        (2, "Ana", "Pérez-Gil", "O'Brien"),
        (1999, "Juan", "López", "Pérez"),
    ]
    return {n: capture_support(capturist, cedula, row(n, *names)).support for n, *names in typed}


def found(text):
    supports, _ = search_supports(Support.objects.all(), text)
    return set(supports.values_list("pk", flat=True))


def test_a_changed_name_is_found_by_the_new_one_and_no_longer_by_the_old(people):
    capturist = make_user(Role.OPL_CAPTURIST)
    assert correct_support(capturist, people[1999], {"APELLIDO_PATERNO": "Núñez"}).errors == []
    assert found("nunez juan") == {people[1999].pk}
    assert found("lopez") == set()


def test_a_deleted_support_is_no_longer_found(people):
    Support.objects.filter(pk=people[1].pk).delete()
    assert found("munoz") == set()
    assert found("jose") == set()


def test_hyphens_and_apostrophes_in_names_are_found_as_typed(people):
    assert found("perez-gil") == {people[2].pk}
    assert found("o'brien ana") == {people[2].pk}
    assert found("gil") == {people[2].pk}  # a hyphen splits words for both word indexes


@pytest.mark.parametrize("typed", ['"', "'", "-", "a:b", "x & y | !z", "\\", "*", "(NEAR"])
def test_whatever_is_typed_is_a_search_and_never_an_error(people, typed):
    assert found(typed) <= {s.pk for s in people.values()}


def test_a_clave_prefix_ending_in_a_digit_or_a_letter_is_a_range_of_claves(people):
    # elector_key(1999) is GRLPJN00000126H999, the others GRLPJN00000026H001 and ...H002.
    assert found(elector_key(1999)[:16]) == {people[1999].pk}  # ...26H9: ends in a digit
    assert found(elector_key(1999)[:15]) == {people[1999].pk}  # ...26H: ends in a letter
    assert found(elector_key(1)[:15].lower()) == {people[1].pk, people[2].pk}
    assert found(elector_key(1)[:6]) == {s.pk for s in people.values()}
    assert found(elector_key(1999) + "0") == set()


def plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few test rows: without this the planner reads the table rather than the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(line) for line in cursor.fetchall())


def test_a_name_is_read_through_the_word_index(people):
    sql, params = name_ids(["MUNOZ", "JO"])
    expected = MIGRATION.POSTGRES_INDEX if connection.vendor == "postgresql" else "VIRTUAL TABLE"
    assert expected in plan(sql, params)


@pytest.mark.parametrize(
    "typed",
    ["perez", "gil", "o'brien ana", "jose munoz", "f-9", "grlpjn00000026h", "zzz", '"'],
)
def test_a_search_finding_many_supports_finds_the_same_ones(people, monkeypatch, typed):
    # Past LISTED_BY_ID the list keeps the indexes' query (SQLite) or gets it as a condition on
    # each row (PostgreSQL): the same supports as the ids read once.
    listed = found(typed)
    monkeypatch.setattr(search, "LISTED_BY_ID", 0)
    assert found(typed) == listed


def test_the_searches_above_find_what_they_should(people):
    assert found("perez") == {people[2].pk, people[1999].pk}
    assert found("f-9") == {s.pk for s in people.values()}
    assert found("grlpjn00000026h") == {people[1].pk, people[2].pk}


def test_the_migration_indexes_the_names_stored_before_it(people):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's transaction holds deferred foreign key checks, which bar CREATE INDEX.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        MIGRATION.drop_index(apps, editor)
        MIGRATION.create_index(apps, editor)
    assert found("munoz jose") == {people[1].pk}
    assert found("obrien") == set()  # an apostrophe splits the word, as when typed

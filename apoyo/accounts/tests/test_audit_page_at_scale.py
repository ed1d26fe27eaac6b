"""The bitácora page with years of entries (five by default): it lists and counts at most the most
recent LISTED_ENTRIES per filter, and finds its actions and the people asked for through indexes,
never by reading every entry (at 3 million entries on SQLite, the first page took 1.4 s before and
32 ms after; a person with no entries 1.2 s and 11 ms)."""

import sqlite3

import pytest
from django.db import connections
from django.urls import reverse

from apoyo.accounts import audit_views
from apoyo.accounts.audit import record
from apoyo.accounts.models import AccessLog, Role
from apoyo.accounts.routers import audit_database
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user(Role.OPL_ADMIN, username="admin.son")
    client.force_login(admin)
    return client


def test_past_the_listed_entries_the_page_says_it_shows_the_most_recent_and_counts_no_further(
    admin_client, monkeypatch
):
    monkeypatch.setattr(audit_views, "LISTED_ENTRIES", 3)
    colleague = make_user(Role.OPL_CAPTURIST, username="capturista.son")
    for number in range(5):
        record(colleague, "ver", "apoyo", str(number))
    response = admin_client.get(reverse("audit_log"), {"person": "capturista"})
    page = response.context["page"]
    assert page.paginator.count == 3
    assert [entry.object_id for entry in page] == ["4", "3", "2"]
    text = response.content.decode()
    assert "Más de 3 entradas coinciden con los filtros" in text
    assert "la exportación CSV o XLSX las incluye todas" in text
    exported = admin_client.get(reverse("audit_log_export", args=["csv"]), {"person": "capturista"})
    rows = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 5


def test_within_the_listed_entries_there_is_no_notice(admin_client):
    record(make_user(Role.OPL_CAPTURIST, username="capturista.son"), "ver", "apoyo", "1")
    response = admin_client.get(reverse("audit_log"), {"person": "capturista"})
    assert response.context["page"].paginator.count == 1
    assert "coinciden con los filtros" not in response.content.decode()


def test_the_action_filter_offers_every_logged_action_once_in_order(admin_client):
    colleague = make_user(Role.OPL_CAPTURIST)
    for action in ["ver", "exportar", "ver", "listar", "exportar"]:
        record(colleague, action, "apoyo", "1")
    form = admin_client.get(reverse("audit_log")).context["form"]
    offered = [value for value, _ in form.fields["action"].choices]
    # The administrator's own sign-in is an entry too.
    assert offered == ["", "exportar", "inicio de sesión", "listar", "ver"]


def test_the_actions_are_found_through_their_index_not_by_reading_every_entry():
    if connections[audit_database()].vendor != "sqlite":
        pytest.skip("a plan of SQLite's; PostgreSQL takes MIN(action) from the index as well")
    with connections[audit_database()].cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + audit_views.DISTINCT_SQL.format(column="action"))
        steps = [row[-1] for row in cursor.fetchall()]
    reads = [step for step in steps if "accounts_accesslog" in step]
    assert reads and all("USING COVERING INDEX accesslog_action_at" in step for step in reads), (
        steps
    )


def listed_people(client, person):
    page = client.get(reverse("audit_log"), {"person": person}).context["page"]
    return sorted({entry.username for entry in page})


def test_a_person_is_found_by_part_of_the_username_whatever_its_case(admin_client):
    for username in ["capturista.son", "capturista.obregon", "revisora.son"]:
        record(make_user(Role.OPL_CAPTURIST, username=username), "ver", "apoyo", "1")
    assert listed_people(admin_client, "CAPTURISTA") == ["capturista.obregon", "capturista.son"]
    assert listed_people(admin_client, " revisora ") == ["revisora.son"]
    assert listed_people(admin_client, "nadie") == []


def test_a_failed_sign_in_is_found_by_the_username_typed(admin_client):
    make_user(Role.OPL_CAPTURIST, username="capturista.son")
    record(None, "inicio fallido", "sesión", username="capturista.son")
    page = admin_client.get(reverse("audit_log"), {"person": "capturista"}).context["page"]
    assert [(entry.username, entry.action) for entry in page] == [
        ("capturista.son", "inicio fallido")
    ]


def test_one_person_is_read_newest_first_from_the_username_index():
    database = connections[audit_database()]
    if database.vendor != "sqlite":
        pytest.skip("a plan of SQLite's")
    record(make_user(Role.OPL_CAPTURIST, username="capturista.son"), "ver", "apoyo", "1")
    entries = audit_views.person_entries(AccessLog.objects.all(), "capturista")
    sql, params = entries.order_by("-at", "-id")[:50].query.sql_with_params()
    with database.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
    assert any("USING INDEX accesslog_username_at" in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps


def sprayed(count):
    """Failed sign-ins under `count` different made-up usernames, as a password spray leaves."""
    AccessLog.objects.bulk_create(
        AccessLog(username=f"spray{n:06d}", action="acceso fallido", object_type="sesión")
        for n in range(count)
    )


def test_a_person_filter_matching_more_usernames_than_a_statement_takes_still_answers(
    admin_client, request
):
    # SQLite's limit of parameters in a statement (32,766 in its default build) is lowered here.
    audit = connections[audit_database()]
    names = 1_001
    if audit.vendor == "sqlite":
        audit.ensure_connection()
        raw = audit.connection
        previous = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1_000)
        request.addfinalizer(lambda: raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, previous))
    sprayed(names)
    record(make_user(Role.OPL_CAPTURIST, username="sprayer.son"), "ver", "apoyo", "1")
    response = admin_client.get(reverse("audit_log"), {"person": "spray"})
    assert response.status_code == 200
    # Made-up usernames belong to no entity: of the entries, only the colleague's is listed.
    assert [entry.username for entry in response.context["page"]] == ["sprayer.son"]

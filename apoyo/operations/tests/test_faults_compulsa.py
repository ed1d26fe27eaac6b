"""A compulsa whose worker is killed (SIGKILL) after every result is written, before the commit:
no result of that run exists and the published one is still the previous run; the run is dead
once its heartbeat is older than the limit (while the worker lived, its heartbeat moved on
PostgreSQL), shown failed in Spanish, and a new compulsa started from the page, run by a new
worker, gives the results a clean run gives."""

import pytest
from django.db import connection
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.core.jobs import DEAD_MESSAGE
from apoyo.operations.tests.conftest import LIMIT, wait_until_stale
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_user,
    office_ready_for_compulsa,
    support,
)
from apoyo.testing.faults import wait_until
from apoyo.verification.models import AspirantResult, CheckRun, RunStatus, SupportResult
from apoyo.verification.services import current_run, run_check
from apoyo.verification.tasks import queue_check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def results(run):
    """A run's outcome, support by support and aspirant by aspirant (run ids aside)."""
    supports = SupportResult.objects.filter(run=run).values_list(
        "support_id", "registry_status", "ocr_match", "duplicity", "valid", "motive"
    )
    aspirants = AspirantResult.objects.filter(run=run).values_list(
        "aspirant_id", "nominal_list", "required", "captured", "valid", "meets", "motive_counts"
    )
    return sorted(supports), sorted(aspirants, key=lambda row: row[0])


@pytest.fixture
def office():
    office = office_ready_for_compulsa()
    first, second = make_aspirant(office), make_aspirant(office, code="A-02")
    for n in range(1, 30):
        key = elector_key(n)
        if n % 5:
            citizen(key, section=1 + n % 3)
        support(first, key, reference=f"F-{n // 10}")
        if n % 4 == 0:
            support(second, key, reference="S-1")
    return office


def test_a_compulsa_killed_before_its_commit_leaves_no_result_and_a_new_run_equals_a_clean_one(
    office, workers, client, settings
):
    published = run_check(office)
    support(office.aspirants.first(), elector_key(100), reference="F-9")  # captured since
    admin = make_user(Role.OPL_ADMIN)
    run = queue_check(office, admin)

    beats = []
    workers.kill_at("compulsa", while_paused=lambda: beats.extend(heartbeat_moves(run)))

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert not SupportResult.objects.filter(run=run).exists()
    assert not AspirantResult.objects.filter(run=run).exists()
    assert current_run(office) == published
    if connection.vendor == "postgresql":
        assert beats == [True]

    client.force_login(admin)
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = LIMIT
    wait_until_stale(run)
    shown = client.get(reverse("verification:run", args=[run.pk])).content.decode()
    assert "Falló" in shown and DEAD_MESSAGE in shown

    # Starting the compulsa again is not refused as "already running": the dead run is over.
    response = client.post(reverse("verification:run_start", args=[office.pk]))
    retry = CheckRun.objects.latest("id")
    assert retry.pk != run.pk and response["Location"].endswith(f"/compulsas/{retry.pk}/")
    workers.run()
    retry.refresh_from_db()
    assert retry.status == RunStatus.DONE and current_run(office) == retry
    clean = run_check(office)
    assert results(retry) == results(clean) != results(published)
    assert retry.supports == clean.supports == published.supports + 1


def heartbeat_moves(run):
    """On PostgreSQL, whether the paused run's heartbeat advances (its thread writes apart from
    the run's open transaction); on SQLite that transaction holds the only write lock."""
    if connection.vendor != "postgresql":
        return []
    first = CheckRun.objects.get(pk=run.pk).heartbeat_at
    wait_until(
        lambda: CheckRun.objects.get(pk=run.pk).heartbeat_at > first,
        timeout=10,
        what="un latido nuevo de la compulsa en pausa",
    )
    return [True]

"""Heartbeats of background jobs (apoyo.core.jobs): every progress write stamps one, a thread
stamps them while the job works between writes, and a running job whose heartbeat is older than
APOYO_JOB_HEARTBEAT_LIMIT_SECONDS is marked failed with a Spanish reason, and only such a job."""

import datetime

import pytest
from django.utils import timezone

from apoyo.core.jobs import DEAD_MESSAGE, fail_dead, fail_if_dead, heartbeat, set_progress
from apoyo.testing.factories import make_office
from apoyo.testing.faults import wait_until
from apoyo.verification.models import CheckRun, RunStatus


def run_with(status, beat_seconds_ago=None, started_seconds_ago=None, office=None):
    now = timezone.now()
    return CheckRun.objects.create(
        office=office or make_office(),
        source="roll",
        status=status,
        heartbeat_at=None
        if beat_seconds_ago is None
        else now - datetime.timedelta(seconds=beat_seconds_ago),
        started_at=None
        if started_seconds_ago is None
        else now - datetime.timedelta(seconds=started_seconds_ago),
    )


@pytest.mark.django_db
def test_every_progress_write_is_a_heartbeat():
    run = run_with(RunStatus.RUNNING, beat_seconds_ago=500)
    set_progress(run, phase="Compulsa y cruces")
    run.refresh_from_db()
    assert timezone.now() - run.heartbeat_at < datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_only_running_jobs_with_a_stale_heartbeat_are_marked_failed(settings):
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = 60
    office = make_office()
    dead = run_with(RunStatus.RUNNING, beat_seconds_ago=61, office=office)
    alive = run_with(RunStatus.RUNNING, beat_seconds_ago=30, office=office)
    # A row from before heartbeats existed: judged by its start.
    legacy = run_with(RunStatus.RUNNING, started_seconds_ago=120, office=office)
    done = run_with(RunStatus.DONE, beat_seconds_ago=3600, office=office)
    queued = run_with(RunStatus.QUEUED, office=office)

    assert fail_dead(CheckRun.objects.all()) == 2
    statuses = dict(CheckRun.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: RunStatus.FAILED,
        alive.pk: RunStatus.RUNNING,
        legacy.pk: RunStatus.FAILED,
        done.pk: RunStatus.DONE,
        queued.pk: RunStatus.QUEUED,
    }
    dead.refresh_from_db()
    assert dead.message == DEAD_MESSAGE and dead.finished_at is not None
    assert "se interrumpió" in DEAD_MESSAGE and "puede reintentarlo" in DEAD_MESSAGE
    assert fail_dead(CheckRun.objects.all()) == 0


@pytest.mark.django_db
def test_a_page_sees_its_job_failed_once_the_limit_passes(settings):
    run = run_with(RunStatus.RUNNING, beat_seconds_ago=10)
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = 20
    assert fail_if_dead(run).status == RunStatus.RUNNING
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = 5
    assert (fail_if_dead(run).status, run.message) == (RunStatus.FAILED, DEAD_MESSAGE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heartbeat_thread_stamps_a_job_that_writes_no_progress_and_stops_with_it(settings):
    settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = 0.5  # a stamp every 0.1 s
    run = run_with(RunStatus.RUNNING, beat_seconds_ago=300)
    first = run.heartbeat_at
    with heartbeat(run):
        wait_until(
            lambda: CheckRun.objects.get(pk=run.pk).heartbeat_at > first,
            timeout=10,
            what="un latido del hilo",
        )
    stamped = CheckRun.objects.get(pk=run.pk).heartbeat_at
    assert not fail_dead(CheckRun.objects.filter(pk=run.pk))
    # Stopped with the job: no stamp after the block.
    wait_until(lambda: timezone.now() - stamped > datetime.timedelta(seconds=0.3), timeout=5)
    assert CheckRun.objects.get(pk=run.pk).heartbeat_at == stamped

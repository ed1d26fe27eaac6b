"""What the fault tests share: the test database as the worker processes see it, a worker killed
at a stage of its job, a worker run to the end, and the wait for a heartbeat to go stale."""

import datetime

import pytest
from django.utils import timezone

from apoyo.testing.faults import SharedDatabase, kill_when_paused, run_to_end, start, wait_until

# The heartbeat limit of these tests, in seconds (the killed worker's too: it stamps every 0.1 s).
LIMIT = 1


class Workers:
    def __init__(self, shared, folder):
        self.shared = shared
        self.folder = folder

    def kill_at(self, stage, while_paused=None):
        """Start a worker, let it run its queued job to `stage`, kill it there (SIGKILL)."""
        self.shared.push()
        marker = self.folder / f"pausa-{stage}"
        env = self.shared.env(APOYO_JOB_HEARTBEAT_LIMIT_SECONDS=LIMIT)
        process = start("worker", env, "--pause-at", stage, "--marker", str(marker))
        kill_when_paused(process, marker, while_paused=while_paused)
        self.shared.pull()

    def run(self):
        """A worker started anew: it runs the queued jobs and stops."""
        self.shared.push()
        run_to_end(start("worker", self.shared.env()))
        self.shared.pull()


@pytest.fixture
def workers(settings, tmp_path):
    """Jobs go to the database queue (as in production), for worker processes to take."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return Workers(SharedDatabase(tmp_path), tmp_path)


def wait_until_stale(job, limit=LIMIT):
    """Poll until the job's last heartbeat is older than the limit (at most a few seconds)."""

    def stale():
        job.refresh_from_db()
        return timezone.now() - job.heartbeat_at > datetime.timedelta(seconds=limit)

    wait_until(stale, timeout=limit + 10, what="un latido más viejo que el límite")

from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from apoyo.core.jobs import heartbeat, set_progress
from apoyo.verification.models import CheckRun, RunStatus
from apoyo.verification.services import CheckError, run_check, start_run

UNEXPECTED_FAILURE = "La compulsa se interrumpió por un error inesperado; vuelva a ejecutarla."


@task()
def check_office(run_id):
    """Background job of a compulsa started from the results page (the page polls the run)."""
    run = CheckRun.objects.select_related("office__process", "run_by").get(pk=run_id)
    try:
        with heartbeat(run):
            run_check(run.office, run.run_by, run=run)
    except CheckError:
        pass  # run_check already marked the run failed with its Spanish message.
    except Exception:
        # Never leave a run "running" forever: the page would poll it without end.
        set_progress(
            run,
            status=RunStatus.FAILED,
            phase="",
            message=UNEXPECTED_FAILURE,
            finished_at=timezone.now(),
        )
        raise
    return run.status


def queue_check(office, user):
    """A new run of the office, its compulsa queued for after the commit so the worker reads
    what this transaction wrote; the caller's page follows the run."""
    run = start_run(office, user)
    transaction.on_commit(partial(check_office.enqueue, run.pk))
    return run

"""Progress and heartbeat of background jobs (uploads, roll imports, compulsas).

Each job is a row of ours; the worker writes its counters with a plain UPDATE outside the job's
big transaction, so the page polling the row sees them at once (DESIGN.md, background jobs).
A job that writes progress while its transaction is open does it through own_connection().

A worker killed mid-job (SIGKILL, a machine restarted, the out-of-memory killer) leaves its job
"running" for ever, and its task is never run again. So every running job carries a heartbeat:
each progress write stamps it, and a thread of the worker stamps it between writes
(`heartbeat`). A running job whose heartbeat is older than APOYO_JOB_HEARTBEAT_LIMIT_SECONDS is
dead: the pages that show it mark it failed with DEAD_MESSAGE (`fail_dead`). Each job stores its
results in one transaction, so a dead one left nothing half-stored and may simply be retried.
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import CURSOR
from django.utils import timezone

logger = logging.getLogger(__name__)

# The status values every job model uses for these two states (UploadStatus, ImportStatus,
# RunStatus).
RUNNING = "running"
FAILED = "failed"
DEAD_MESSAGE = (
    "El proceso se interrumpió: el servicio que lo ejecutaba se detuvo sin terminarlo. No quedó "
    "nada guardado a medias; puede reintentarlo."
)


class JobProgress(models.Model):
    """The progress columns every file job shows while it runs (carga masiva, roll import).
    Each job adds its own status choices and counters."""

    phase = models.CharField("fase", max_length=120, blank=True)
    rows_total = models.PositiveIntegerField("filas estimadas", default=0)
    rows_read = models.PositiveIntegerField("filas leídas", default=0)
    rejected = models.PositiveIntegerField("rechazadas", default=0)
    message = models.CharField("mensaje", max_length=500, blank=True)
    started_at = models.DateTimeField("inicio", null=True, blank=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    heartbeat_at = models.DateTimeField("última señal del trabajo", null=True, blank=True)

    class Meta:
        abstract = True


@contextmanager
def own_connection():
    """A connection to the database apart from the job's, for progress written while the job's
    transaction is open (on PostgreSQL the roll import stores rows as it reads them, in one
    transaction, and the page must still see the counters move). SQLite allows one writer at
    a time, so there it is the job's own connection: its jobs write progress only outside
    their transaction."""
    if connection.vendor != "postgresql":
        yield None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield side
    finally:
        side.close()


def set_progress(job, through=None, **fields):
    """Set the fields on the instance and write them to its row right away, through the
    connection of own_connection() when one is given. Every write is also a heartbeat."""
    fields.setdefault("heartbeat_at", timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    if through is None:
        type(job).objects.filter(pk=job.pk).update(**fields)
        return
    query = UpdateQuery(type(job))
    query.add_update_values(fields)
    query.add_q(Q(pk=job.pk))
    query.get_compiler(connection=through).execute_sql(CURSOR)


def finish(job, status, message="", **counts):
    """Close the job with its final status, message and counts."""
    set_progress(
        job, status=status, message=message, phase="", finished_at=timezone.now(), **counts
    )
    return job


# Heartbeat ----------------------------------------------------------------------------------------


def heartbeat_limit():
    """How long a running job may go without a heartbeat before it is taken as dead."""
    return timedelta(seconds=settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS)


def beat_interval():
    """Seconds between the heartbeat thread's stamps: a tenth of the limit, so a busy database
    may delay several of them before a live job looks dead."""
    return max(settings.APOYO_JOB_HEARTBEAT_LIMIT_SECONDS / 10, 0.1)


@contextmanager
def heartbeat(job):
    """Stamp the job's heartbeat from a thread of its own while the block runs: the job may spend
    minutes in one statement (building the roll's key, the compulsa's join) without writing
    progress. The thread has its own connection (Django's are per thread). On SQLite its stamps
    wait while the job's transaction holds the only write lock, hence a limit well above the
    longest such transaction (README, "Trabajos en segundo plano y fallas")."""
    stop = threading.Event()
    beater = threading.Thread(target=_beat, args=(job, stop), name="heartbeat", daemon=True)
    beater.start()
    try:
        yield job
    finally:
        stop.set()
        beater.join()


def _beat(job, stop):
    model = type(job)._base_manager
    try:
        while not stop.wait(beat_interval()):
            try:
                model.filter(pk=job.pk, status=RUNNING).update(heartbeat_at=timezone.now())
            except DatabaseError:
                # Locked or briefly unreachable: the next stamp tries again.
                logger.warning("Heartbeat of %s not written", job, exc_info=True)
    finally:
        connection.close()


def dead(queryset):
    """The running jobs of `queryset` whose last heartbeat (or start, for a row written before
    heartbeats existed) is older than the limit."""
    cutoff = timezone.now() - heartbeat_limit()
    last = Coalesce("heartbeat_at", "started_at")
    return queryset.filter(status=RUNNING).alias(last_sign=last).filter(last_sign__lt=cutoff)


def fail_dead(queryset, **fields):
    """Mark failed, with DEAD_MESSAGE and `fields`, the dead jobs of `queryset`; returns how many.
    Reads first and writes only when there is one: on SQLite any UPDATE waits for the write lock,
    which a running upload may hold for seconds."""
    found = list(dead(queryset).values_list("pk", flat=True)[:1000])
    if not found:
        return 0
    model = queryset.model._base_manager
    return dead(model.filter(pk__in=found)).update(
        status=FAILED, phase="", message=DEAD_MESSAGE, finished_at=timezone.now(), **fields
    )


def fail_if_dead(job, **fields):
    """The job as its page shows it: failed with DEAD_MESSAGE when its worker died."""
    if job.status == RUNNING and fail_dead(type(job)._base_manager.filter(pk=job.pk), **fields):
        job.refresh_from_db()
    return job

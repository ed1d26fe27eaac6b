"""Progress of background jobs (uploads, roll imports, compulsas).

Each job is a row of ours; the worker writes its counters with a plain UPDATE outside the job's
big transaction, so the page polling the row sees them at once (DESIGN.md, background jobs).
A job that writes progress while its transaction is open does it through own_connection().
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import CURSOR
from django.utils import timezone


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
    connection of own_connection() when one is given."""
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

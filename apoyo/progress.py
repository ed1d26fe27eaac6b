"""Progress of background jobs (uploads, roll imports, compulsas).

Each job is a row of ours; the worker writes its counters with a plain UPDATE outside the job's
big transaction, so the page polling the row sees them at once (DESIGN.md, background jobs).
"""

from django.db import models
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


def set_progress(job, **fields):
    """Set the fields on the instance and write them to its row right away."""
    for name, value in fields.items():
        setattr(job, name, value)
    type(job).objects.filter(pk=job.pk).update(**fields)


def finish(job, status, message="", **counts):
    """Close the job with its final status, message and counts."""
    set_progress(
        job, status=status, message=message, phase="", finished_at=timezone.now(), **counts
    )
    return job

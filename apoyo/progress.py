"""Progress of background jobs (uploads, roll imports, compulsas).

Each job is a row of ours; the worker writes its counters with a plain UPDATE outside the job's
big transaction, so the page polling the row sees them at once (DESIGN.md, background jobs).
"""

from django.utils import timezone


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

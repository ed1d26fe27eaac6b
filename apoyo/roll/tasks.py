from django_tasks import task

from apoyo.core.jobs import heartbeat
from apoyo.roll.jobs import run_import
from apoyo.roll.models import RollImport


@task()
def process_roll_import(import_id):
    """Background job of a roll import (the page polls the RollImport row for progress)."""
    job = RollImport.objects.select_related("uploaded_by").get(pk=import_id)
    with heartbeat(job):
        run_import(job)
    return job.status

from django_tasks import task

from apoyo.core.jobs import heartbeat
from apoyo.supports.models import Upload
from apoyo.uploads.services import run_upload


@task()
def process_upload(upload_id):
    """Background job of a carga masiva (the page polls the Upload row for progress)."""
    upload = Upload.objects.select_related("aspirant__office__process").get(pk=upload_id)
    with heartbeat(upload):
        run_upload(upload)
    return upload.status

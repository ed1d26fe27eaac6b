"""Reverting a carga masiva: its still-active supports are withdrawn, never deleted (README,
"Carga masiva": un administrador puede revertir una carga completa)."""

from django.db import transaction
from django.utils import timezone

from apoyo.supports.models import ChangeAction, Status, Support, SupportChange, Upload, UploadStatus

REVERT_REASON = "carga revertida"


def revert_upload(user, upload):
    """Withdraw every still-active support of an upload with the reason "carga revertida".

    Nothing is deleted: each support keeps its data and gets a history line.
    """
    if not upload.can_revert:
        return 0
    with transaction.atomic():
        active = Support.objects.filter(upload=upload).exclude(status=Status.WITHDRAWN)
        previous = list(active.values_list("id", "status"))
        now = timezone.now()
        active.update(
            status=Status.WITHDRAWN,
            withdrawn_at=now,
            withdrawn_by=user,
            withdrawal_reason=REVERT_REASON,
        )
        SupportChange.objects.bulk_create(
            (
                SupportChange(
                    support_id=pk,
                    at=now,
                    user=user,
                    action=ChangeAction.WITHDRAWN,
                    field="estado",
                    old_value=Status(status).label,
                    new_value=f"Retirado: {REVERT_REASON} (carga {upload.pk})",
                )
                for pk, status in previous
            ),
            batch_size=5000,
        )
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.REVERTED, reverted_at=now, reverted_by=user
        )
    upload.refresh_from_db()
    return len(previous)

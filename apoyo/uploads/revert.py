"""Reverting a carga masiva: its still-active supports are withdrawn, never deleted (README,
"Carga masiva": un administrador puede revertir una carga completa, diciendo por qué)."""

from django.db import transaction
from django.utils import timezone

from apoyo.supports.models import ChangeAction, Status, Support, SupportChange, Upload, UploadStatus

REVERT_REASON = "carga revertida"
MAX_REASON_LENGTH = Upload._meta.get_field("revert_reason").max_length


def clean_reason(reason):
    """The administrator's reason, whitespace collapsed; (text, Spanish error or None)."""
    text = " ".join(str(reason or "").split())
    if not text:
        return "", "Indique el motivo de la reversión: queda en el historial de la carga."
    if len(text) > MAX_REASON_LENGTH:
        return text, f"El motivo no puede exceder {MAX_REASON_LENGTH} caracteres."
    return text, None


def withdrawal_reason(reason):
    """What each withdrawn support keeps as its reason: that its upload was reverted, and why."""
    return f"{REVERT_REASON}: {reason}"


def revert_upload(user, upload, reason):
    """Withdraw every still-active support of an upload, the administrator's reason kept on the
    upload and on each support ("carga revertida: <motivo>").

    Nothing is deleted: each support keeps its data and gets a history line. Returns (count,
    error): the number of supports withdrawn, or 0 and the Spanish reason it was refused (no
    reason given, or the upload cannot be reverted)."""
    reason, error = clean_reason(reason)
    if error:
        return 0, error
    if not upload.can_revert:
        return 0, "Esta carga no se puede revertir: no está terminada o no guardó apoyos."
    with transaction.atomic():
        count = withdraw_upload_supports(user, upload, reason)
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.REVERTED,
            reverted_at=timezone.now(),
            reverted_by=user,
            revert_reason=reason,
        )
    upload.refresh_from_db()
    return count, None


def withdraw_upload_supports(user, upload, reason):
    active = Support.objects.filter(upload=upload).exclude(status=Status.WITHDRAWN)
    previous = list(active.values_list("id", "status"))
    now = timezone.now()
    withdrawn = withdrawal_reason(reason)
    active.update(
        status=Status.WITHDRAWN,
        withdrawn_at=now,
        withdrawn_by=user,
        withdrawal_reason=withdrawn,
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
                new_value=f"Retirado: {withdrawn} (carga {upload.pk})",
            )
            for pk, status in previous
        ),
        batch_size=5000,
    )
    return len(previous)

"""The files of a consultation, a follow-up or an answer: checked by their content, kept through
the storage API and served only by the permission-checked download view."""

import os
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apoyo.core.filetypes import DOCUMENTS, check_upload, sha256_of
from apoyo.liaison.models import Attachment

MAX_FILES = 10


def max_attachment_bytes():
    return settings.APOYO_SIVOPLE_MAX_BYTES


def check_files(files):
    """Bound the number and size of attachments and check each one's type by its content."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"Adjunte como máximo {MAX_FILES} archivos a la vez.")
    for uploaded in files:
        check_upload(uploaded, DOCUMENTS, max_attachment_bytes())


def store_attachment(consultation, uploaded, user, now=None, answer=None, follow_up=None):
    """Keep one file through the storage API with its size, SHA-256 and detected kind."""
    kind = check_upload(uploaded, DOCUMENTS, max_attachment_bytes())
    name = os.path.basename(uploaded.name or "anexo")[:255]
    attachment = Attachment(
        consultation=consultation,
        answer=answer,
        follow_up=follow_up,
        original_name=name,
        kind=kind,
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        uploaded_by=user,
        uploaded_at=now or timezone.now(),
    )
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


def remove_attachments(attachments):
    """Take attachments off an answer being edited, inside the caller's transaction."""
    for attachment in attachments:
        # The file goes only once the removal commits: a later failure keeps both.
        transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
        attachment.delete()

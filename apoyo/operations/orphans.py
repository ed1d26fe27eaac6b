"""Files of the data folder that no row names: what a save killed mid-way leaves behind.

Every save that keeps a file (a cédula's scan and its pages, the app's photos, a carga masiva, a
roll file, a hearing's evidence, a dictamen) writes the file first and commits the row that names
it after, in one transaction with the rest of the save. A process killed in between (the web
server's, the worker's) leaves a file and no row: never a row without its file, never half a
cédula. Those files hold personal data and nobody can reach them, so they are deleted once they
are older than a grace period longer than any save (a younger one may belong to a save still
under way).
"""

import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.audit import log_command
from apoyo.operations.manifest import data_files

DEFAULT_GRACE_HOURS = 24


def referenced_names():
    """Every file name some FileField of some row holds (one query per field)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                stored = model._base_manager.exclude(**{field.name: ""}).exclude(
                    **{f"{field.name}__isnull": True}
                )
                names.update(stored.values_list(field.name, flat=True))
    return names


def orphan_files(grace_hours=DEFAULT_GRACE_HOURS):
    """(name, bytes) of the data folder's files no row names, older than the grace period."""
    root = Path(settings.MEDIA_ROOT)
    cutoff = (timezone.now() - datetime.timedelta(hours=grace_hours)).timestamp()
    referenced = referenced_names()
    found = []
    for name in data_files(root):
        if name in referenced:
            continue
        try:
            stat = (root / name).stat()
        except FileNotFoundError:
            continue  # deleted meanwhile
        if stat.st_mtime <= cutoff:
            found.append((name, stat.st_size))
    return found


def remove_orphans(grace_hours=DEFAULT_GRACE_HOURS):
    """Delete the orphan files; returns what was deleted, and logs it in the bitácora."""
    root = Path(settings.MEDIA_ROOT)
    found = orphan_files(grace_hours)
    for name, _ in found:
        (root / name).unlink(missing_ok=True)
    if found:
        size = sum(size for _, size in found)
        log_command("borrar", "archivos sin registro", "", f"{len(found)} archivos, {size} bytes")
    return found

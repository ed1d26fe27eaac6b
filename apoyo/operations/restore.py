"""`manage.py restore DIR`: rebuild an instance from a backup (backup.py).

In order, stopping at the first refusal with nothing changed: the manifest is read and every
file's size and SHA-256 checked (a damaged or altered backup is refused whole); the backup must
be of the same database engine; the instance must be empty (no accounts, processes, supports,
roll cuts or geography, and no file in the data folder) unless `force`. Then the database is
replaced, the files are put back, and the row count of every table is compared with the
backup's; on SQLite the bitácora's own file likewise, last, so that the restore's own entry is
written into the restored bitácora. With `force`, the data folder's current files are moved
aside, never deleted.

The web and the worker are stopped while it runs (README, "Respaldo y restauración").
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apoyo.accounts.audit import log_command
from apoyo.geo.models import Section
from apoyo.operations import database
from apoyo.operations.manifest import (
    FILES,
    BackupError,
    copy_private,
    data_files,
    problems,
    read_manifest,
)
from apoyo.processes.models import Process
from apoyo.roll.models import RollCut
from apoyo.supports.models import Support

# Tables that hold what people or batch commands entered; the catalogues migrations load do not
# count (a freshly migrated instance is empty).
DATA_MODELS = (get_user_model(), Process, Support, RollCut, Section)
SHOWN_PROBLEMS = 10


def restore_backup(folder, force=False):
    """Restore the backup in `folder`; returns (manifest, folder the old files went to or None)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    verify(folder, manifest)
    if manifest["motor"] != database.engine():
        raise BackupError(
            f"El respaldo es de una base {manifest['motor']} y esta instancia usa "
            f"{database.engine()}: restáurelo en una instancia con la misma base de datos."
        )
    if not force:
        refuse_non_empty()
    moved = move_files_aside() if force else None
    database.load(folder / manifest["base"])
    put_files_back(folder, manifest)
    compare_counts(manifest["tablas"], database.current_counts(), "La base restaurada")
    restore_audit(folder, manifest)
    log_command("restaurar", "respaldo", "", f"{folder} (creado {manifest['creado']})")
    return manifest, moved


def verify(folder, manifest):
    found = problems(folder, manifest)
    if not found:
        return
    shown = "; ".join(found[:SHOWN_PROBLEMS])
    more = f" y {len(found) - SHOWN_PROBLEMS} más" if len(found) > SHOWN_PROBLEMS else ""
    raise BackupError(
        f"El respaldo no pasó la verificación de sus sumas SHA-256 y no se restauró nada "
        f"({len(found)} archivos dañados, alterados, faltantes o añadidos): {shown}{more}."
    )


def refuse_non_empty():
    tables = set(connection.introspection.table_names())
    holding = [
        model._meta.verbose_name_plural
        for model in DATA_MODELS
        if model._meta.db_table in tables and model._base_manager.exists()
    ]
    files = data_files(settings.MEDIA_ROOT)
    if files:
        holding.append(f"{len(files)} archivos en {settings.MEDIA_ROOT}")
    if holding:
        raise BackupError(
            "La instancia no está vacía (tiene " + ", ".join(str(h) for h in holding) + "): "
            "restaure en una instancia nueva, o use --force para reemplazar sus datos."
        )


def move_files_aside():
    """The data folder's current files, renamed aside (nothing is deleted)."""
    root = Path(settings.MEDIA_ROOT)
    if not data_files(root):
        return None
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    aside = root.with_name(f"{root.name}-antes-de-restaurar-{stamp}")
    os.replace(root, aside)
    return aside


def put_files_back(folder, manifest):
    root = Path(settings.MEDIA_ROOT)
    prefix = f"{FILES}/"
    for entry in manifest["archivos"]:
        if entry["ruta"].startswith(prefix):
            name = entry["ruta"][len(prefix) :]
            copy_private(folder / entry["ruta"], root / name)


def restore_audit(folder, manifest):
    """Put the bitácora's own file back where this instance keeps it apart (SQLite)."""
    if database.separate_audit() is None:
        return
    if "bitacora" in manifest:
        database.load_audit(folder / manifest["bitacora"])
        counts = database.audit_counts()
        compare_counts(manifest["tablas_bitacora"], counts, "La bitácora restaurada")
        return
    # A backup made before the bitácora had a file of its own keeps the entries in its main
    # database: the file starts empty, and migrating it moves them there with their ids and
    # hashes (accounts 0006), as for an instance upgraded in place. Without its table the
    # restore's own entry could not be written.
    database.empty_audit()
    call_command("migrate", database=database.separate_audit(), interactive=False, verbosity=0)


def compare_counts(expected, current, restored):
    """Refuse, in Spanish, a restored database (`restored` names it) whose {table: rows}
    `current` differs from the backup's `expected`."""
    wrong = [
        f"{table}: {current.get(table, 'sin tabla')} en lugar de {rows}"
        for table, rows in sorted(expected.items())
        if current.get(table) != rows
    ]
    if wrong:
        raise BackupError(
            f"{restored} no tiene las filas del respaldo: " + "; ".join(wrong[:10]) + "."
        )

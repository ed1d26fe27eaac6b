"""`manage.py backup --out DIR`: a copy of the database and of the data folder (MEDIA_ROOT) taken
while the system runs, with a manifest of SHA-256 sums (manifest.py), that `restore` turns back
into a working instance.

Consistency of files and rows: a file is written before the row that names it commits, and never
rewritten under the same name. So the files are copied before the database's snapshot and those
that appeared meanwhile after it: every file a row of the snapshot names is in the backup, unless
it was deleted in the seconds between the snapshot and the second pass (a scan removed then). A
file no row names (a save interrupted) is copied too, harmless: `clean_orphan_files` removes them.
On SQLite the bitácora's own file is copied right after the main one: its entries name rows by id,
without a constraint, so the moment between the two copies breaks nothing; the backup's own entry
is written after both, and so is not in them.

The keys are not in the backup (APOYO_SECRET_KEY, APOYO_FILE_KEYS, or their files in the data
folder): a backup that travels off-site is then of encrypted files without their key.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from apoyo.accounts.audit import log_command
from apoyo.core.private_files import private_directory
from apoyo.operations import database
from apoyo.operations.manifest import (
    FILES,
    FORMAT,
    BackupError,
    copy_private,
    data_files,
    sha256_of,
    write_manifest,
)


def create_backup(out):
    """Write a complete backup into the new or empty folder `out`; returns its manifest. On any
    failure the folder is removed: a backup is whole or absent."""
    out = prepare(Path(out))
    try:
        copied = copy_data_files(out, {})
        main = database.dump(out)
        audit = database.dump_audit(out)
        copy_data_files(out, copied)
        manifest = build_manifest(out, main, audit, copied)
        write_manifest(out, manifest)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    log_command("respaldar", "base de datos y archivos", "", f"{out}: {len(copied)} archivos")
    return manifest


def prepare(out):
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(
            f"{out} ya existe y no es una carpeta vacía: indique una carpeta nueva para el respaldo."
        )
    try:
        return private_directory(out)
    except OSError as error:
        raise BackupError(f"No se pudo crear la carpeta {out}: {error.strerror}.") from error


def copy_data_files(out, copied):
    """Copy the data folder's files not copied yet into out/archivos; `copied` (name -> size and
    sum) grows with them. A file deleted while the backup runs is skipped."""
    root = Path(settings.MEDIA_ROOT)
    for name in data_files(root):
        if name in copied:
            continue
        try:
            copied[name] = copy_private(root / name, out / FILES / name)
        except FileNotFoundError:
            continue
    return copied


def build_manifest(out, main, audit, copied):
    """The manifest of the backup in `out`: `main` and `audit` are (file name, {table: rows}) of
    the database's copy and of the bitácora's own (None where it is in the main database)."""
    databases = [main] if audit is None else [main, audit]
    entries = [file_entry(out, name) for name, _ in databases]
    entries += [
        {"ruta": f"{FILES}/{name}", "bytes": file_size, "sha256": file_digest}
        for name, (file_size, file_digest) in sorted(copied.items())
    ]
    manifest = {
        "formato": FORMAT,
        "aplicacion": "Apoyo",
        "creado": timezone.localtime().isoformat(timespec="seconds"),
        "motor": database.engine(),
        "base": main[0],
        "migraciones": last_migrations(),
        "tablas": main[1],
    }
    if audit is not None:
        # Apart from "tablas": both files have tables of the same name (django_migrations).
        manifest |= {"bitacora": audit[0], "tablas_bitacora": audit[1]}
    return manifest | {"archivos": entries}


def file_entry(out, name):
    size, digest = sha256_of(out / name)
    return {"ruta": name, "bytes": size, "sha256": digest}


def last_migrations():
    """The newest migration applied of each app: tells which version of Apoyo made the backup."""
    applied = MigrationRecorder.Migration.objects.values_list("app", "name")
    newest = {}
    for app, name in applied:
        newest[app] = max(newest.get(app, name), name)
    return dict(sorted(newest.items()))

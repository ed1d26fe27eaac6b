"""A backup's folder and its manifest: every file of the backup with its size and SHA-256.

    DIR/manifest.json        written last: a folder without it is an unfinished backup
    DIR/base.sqlite3         SQLite's copy, or DIR/base.dump (pg_dump, custom format)
    DIR/bitacora.sqlite3     SQLite only: the bitácora's own file (PostgreSQL's is in the dump)
    DIR/archivos/...         the data folder's files (MEDIA_ROOT) under their own names

The sums let `restore` refuse a damaged or altered backup before it touches anything. They are
not a signature: whoever can rewrite the files can rewrite the manifest too, so copies kept
off-site are encrypted and access-controlled (README, "Respaldo y restauración").
"""

import hashlib
import json
import os
from pathlib import Path

from apoyo.core.private_files import open_private, private_directory

MANIFEST = "manifest.json"
FILES = "archivos"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Spanish."""


def data_files(root):
    """The regular files under `root` (not links), as sorted relative POSIX paths."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def sha256_of(path):
    """(size, SHA-256 hex) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def copy_private(source, target):
    """Copy a file of personal data (0600, folders 0700), hashing it on the way; (size, sum)."""
    private_directory(Path(target).parent)
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as reader, open_private(target, "wb") as writer:
        for chunk in iter(lambda: reader.read(CHUNK), b""):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_manifest(folder, manifest):
    """Write the manifest whole or not at all (a temporary name, then renamed)."""
    partial = Path(folder) / f".{MANIFEST}.parcial"
    with open_private(partial, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
    os.replace(partial, Path(folder) / MANIFEST)


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise BackupError(f"No existe la carpeta {folder}.")
    if not path.exists():
        raise BackupError(
            f"{folder} no es un respaldo completo: falta {MANIFEST} (el respaldo no terminó o la "
            "carpeta no es un respaldo de Apoyo)."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{MANIFEST} está dañado y no se puede leer: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("formato") != FORMAT:
        raise BackupError(f"{MANIFEST} no es de un respaldo de Apoyo que esta versión sepa leer.")
    return manifest


def problems(folder, manifest):
    """What does not match the manifest, in Spanish: files missing, altered or added."""
    folder = Path(folder)
    listed = {entry["ruta"]: entry for entry in manifest.get("archivos", [])}
    present = set(data_files(folder)) - {MANIFEST}
    found = [f"{name}: falta" for name in sorted(set(listed) - present)]
    found += [f"{name}: no está en el manifiesto" for name in sorted(present - set(listed))]
    for name in sorted(set(listed) & present):
        size, digest = sha256_of(folder / name)
        if (size, digest) != (listed[name]["bytes"], listed[name]["sha256"]):
            found.append(f"{name}: la suma SHA-256 no coincide")
    return found


def data_file_entries(manifest):
    """The manifest's entries of the data folder's files (not the databases' copies)."""
    return [entry for entry in manifest["archivos"] if entry["ruta"].startswith(f"{FILES}/")]


def database_rows(manifest):
    """(rows, tables) of the databases' copies: the main one and, on SQLite, the bitácora's."""
    counts = [manifest["tablas"], manifest.get("tablas_bitacora", {})]
    return sum(sum(c.values()) for c in counts), sum(len(c) for c in counts)

"""Files and folders that hold personal data are readable by the service's own user only
(DESIGN.md "Security and personal data"; LGPDPPSO art. 31, security measures).

Files are created 0600 and folders 0700 whatever the process's umask, which on most servers is
022 and would make them readable by every local user. Uploaded files get the same modes through
Django's FILE_UPLOAD_PERMISSIONS and FILE_UPLOAD_DIRECTORY_PERMISSIONS; this module covers what
the project writes itself: error reports, exports, the roll's working copy, the SQLite database.
"""

import os
from pathlib import Path

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
# SQLite creates its journal, -wal and -shm files with the mode of the database file.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def open_private(path, mode="w", **options):
    """open() for writing a file of personal data: a new file is created 0600 and an existing one
    is made 0600 before it is truncated, so not a byte is written while others may read it.
    `mode` is "w" (text; `options` as for open) or "wb"."""
    if mode not in ("w", "wb"):
        raise ValueError(f"open_private writes only: mode {mode!r}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
        os.ftruncate(descriptor, 0)
        return os.fdopen(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


def private_directory(path):
    """Create a folder for personal data and its missing parents 0700; a folder that already
    exists is left as it is (it may be the user's own, such as /tmp or their home)."""
    target = Path(path)
    missing = []
    folder = target
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(DIRECTORY_MODE, exist_ok=True)
        folder.chmod(DIRECTORY_MODE)  # mkdir's mode is filtered by the umask
    return target


def private_sqlite_file(path):
    """Make an SQLite database file 0600 before SQLite opens it (creating it empty if missing: an
    empty file is an empty database), so that its -wal, -shm and journal, which SQLite creates
    with the database's mode, are 0600 too; companions left by an earlier run are made 0600."""
    name = str(path)
    if not name or name.startswith((":", "file:")):
        return  # an in-memory database writes nothing to disk
    if not os.path.isdir(os.path.dirname(os.path.abspath(name))):
        return  # SQLite itself reports the missing folder when it connects
    descriptor = os.open(name, os.O_RDONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    for suffix in SQLITE_COMPANIONS:
        if os.path.exists(name + suffix):
            os.chmod(name + suffix, FILE_MODE)

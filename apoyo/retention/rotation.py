"""Key rotation of the stored files (README, "Cifrado de archivos"): every file is rewritten under
the first key of APOYO_FILE_KEYS, a batch at a time with progress. A file already under that key
is skipped and each file is replaced in one rename, so the command can be stopped and run again at
any time, and running it twice changes nothing the second time."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from apoyo.core.encrypted_storage import ROTATION_SUFFIX
from apoyo.core.encryption import EncryptedFileError


@dataclass
class Rotation:
    total: int = 0
    done: int = 0
    rewritten: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)

    def summary(self):
        return (
            f"Archivos revisados: {self.done:,} de {self.total:,} · re-cifrados: "
            f"{self.rewritten:,} · ya con la clave vigente: {self.skipped:,} · con error: "
            f"{len(self.failed):,}"
        )


def stored_names(storage):
    """The name of every stored file, in a stable order. A half-written copy left by a rotation
    that was killed is deleted on the way (the file it was copying is intact)."""
    root = Path(storage.location)
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(ROTATION_SUFFIX):
                path.unlink(missing_ok=True)
                continue
            yield path.relative_to(root).as_posix()


def rotate_files(storage, batch_size=200, report=print):
    """Rewrite every stored file under the first key; `report` gets a Spanish line per batch."""
    rotation = Rotation(total=sum(1 for _ in stored_names(storage)))
    for name in stored_names(storage):
        try:
            changed = storage.reencrypt(name)
        except (EncryptedFileError, OSError) as error:
            rotation.failed.append((name, str(error)))
            changed = None
        rotation.done += 1
        rotation.rewritten += changed is True
        rotation.skipped += changed is False
        if rotation.done % batch_size == 0:
            report(rotation.summary())
    if rotation.done % batch_size or not rotation.done:
        report(rotation.summary())
    return rotation

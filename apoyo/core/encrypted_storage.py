"""The default storage of every FileField (settings.STORAGES): files encrypted on the way to disk
and decrypted on the way back (apoyo.core.encryption has the format and why it is in pieces).

Code reads a stored file through the storage API only (`field.open("rb")`, FileResponse of it),
never through `field.path`, which names the encrypted bytes; a reader that needs a path on disk
(polars, calamine) gets a decrypted private copy from `decrypted_copy`, gone when it is done.
"""

import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from apoyo.core import encryption
from apoyo.core.private_files import FILE_MODE, open_private

READ_MODES = frozenset({"rb", "br"})


def file_keys():
    """APOYO_FILE_KEYS (settings.py): the first key encrypts, every one decrypts."""
    return list(settings.APOYO_FILE_KEYS)


class EncryptedContent:
    """What FileSystemStorage._save writes: the content's chunks, encrypted. It has no
    temporary_file_path, so Django never moves an upload's plaintext temporary file into place."""

    def __init__(self, content, fernet):
        self.content, self.fernet = content, fernet

    def chunks(self):
        return encryption.encrypt_pieces(self.fernet, self.content.chunks())


class StoredFile(File):
    """A stored file opened for reading, decrypted. Reopening it after close decrypts again
    (File.open would reopen the encrypted bytes by their path)."""

    def __init__(self, storage, name):
        self._storage = storage
        super().__init__(storage.plaintext(name), name)
        self.mode = "rb"

    def open(self, mode=None):
        if mode not in (None, *READ_MODES):
            raise ValueError(f"Los archivos guardados solo se abren para lectura: {mode!r}.")
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage.plaintext(self.name)
        return self


@deconstructible(path="apoyo.core.encrypted_storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files are encrypted at rest with APOYO_FILE_KEYS."""

    def _save(self, name, content):
        fernet = encryption.primary_fernet(file_keys())
        return super()._save(name, EncryptedContent(content, fernet))

    def _open(self, name, mode="rb"):
        if mode not in READ_MODES:
            # Writing in place would leave plaintext on disk: files are saved whole, by save().
            raise ValueError(f"Los archivos guardados solo se abren para lectura: {mode!r}.")
        return StoredFile(self, name)

    def plaintext(self, name):
        """A buffered binary reader of the stored file `name`, decrypted."""
        fernet = encryption.multi_fernet(file_keys())
        return encryption.open_plaintext(self.path(name), fernet, name)

    def size(self, name):
        """The size of the file as it was saved, not of its encrypted form."""
        with self.plaintext(name) as reader:
            size = getattr(reader, "size", None)  # a file saved before encryption has none
            return os.fstat(reader.fileno()).st_size if size is None else size

    def reencrypt(self, name):
        """Rewrite the stored file `name` under the first key (key rotation; a file saved before
        encryption gets encrypted). The new file is written beside it, 0600, and put in its place
        in one rename, so a reader or an interrupted run never sees half of it. Returns False when
        it already was under the first key (nothing written)."""
        keys = file_keys()
        path = self.path(name)
        if encryption.encrypted_under(path, encryption.primary_fernet(keys)):
            return False
        temporary = f"{path}.{secrets.token_hex(6)}{ROTATION_SUFFIX}"
        try:
            with self.plaintext(name) as source, open_private(temporary, "wb") as out:
                pieces = iter(lambda: source.read(encryption.CHUNK_BYTES), b"")
                for part in encryption.encrypt_pieces(encryption.primary_fernet(keys), pieces):
                    out.write(part)
            os.chmod(temporary, FILE_MODE)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True


# Left over only by a rotation killed mid-file; the next run deletes them (rotation.py).
ROTATION_SUFFIX = ".rotando"


@contextmanager
def decrypted_copy(field_file):
    """A decrypted copy of a stored file for readers that need a path (polars, calamine): in a
    private temporary folder (0700), the file 0600, named like the stored one so that its
    extension (.csv, .csv.gz, .xlsx) still tells its format; deleted on leaving."""
    with tempfile.TemporaryDirectory(prefix="apoyo-descifrado-") as folder:
        target = Path(folder) / os.path.basename(field_file.name)
        with field_file.open("rb") as source, open_private(target, "wb") as out:
            for chunk in iter(lambda: source.read(encryption.CHUNK_BYTES), b""):
                out.write(chunk)
        yield target

"""Files at rest are encrypted (core.encryption, core.encrypted_storage): on disk they are not
images, PDFs or workbooks any more, through the storage they are the bytes that were saved, and a
damaged, cut or spliced file is refused rather than read."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import FileResponse

from apoyo.core import encryption
from apoyo.core.encrypted_storage import EncryptedFileSystemStorage, decrypted_copy
from apoyo.core.encryption import EncryptedFileError, new_key
from apoyo.core.filetypes import detect
from apoyo.testing.files import PDF, png

ROOT = Path(__file__).resolve().parents[3]
SMALL_CHUNK = 64


def on_disk(storage, name):
    return Path(storage.path(name)).read_bytes()


def test_the_default_storage_is_the_encrypted_one():
    assert isinstance(default_storage, EncryptedFileSystemStorage)


@pytest.mark.parametrize("data", [png(), PDF, b"PK\x03\x04" + b"xl/workbook.xml" * 20])
def test_a_stored_image_pdf_or_workbook_is_unreadable_on_disk_and_whole_through_storage(data):
    name = default_storage.save("pruebas/archivo.bin", ContentFile(data))
    raw = on_disk(default_storage, name)
    assert raw.startswith(encryption.MAGIC)
    assert detect(io.BytesIO(raw)) is None
    assert data not in raw and data[:8] not in raw
    with default_storage.open(name) as stored:
        assert stored.read() == data
    assert default_storage.size(name) == len(data)


@pytest.mark.parametrize("size", [0, 1, SMALL_CHUNK - 1, SMALL_CHUNK, SMALL_CHUNK + 1, 1000])
def test_files_of_several_pieces_read_back_whole_and_from_any_position(settings, size):
    data = os.urandom(size)
    fernet = encryption.primary_fernet(settings.APOYO_FILE_KEYS)
    stored = b"".join(encryption.encrypt_pieces(fernet, [data[:7], data[7:]], SMALL_CHUNK))
    reader = reader_of(stored, settings)
    assert reader.size == size and reader.read() == data
    for position in (0, size // 3, size - 1, size):
        reader.seek(max(position, 0))
        assert reader.read() == data[max(position, 0) :]


def reader_of(stored, settings):
    path = Path(settings.MEDIA_ROOT) / "pieza.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stored)
    fernet = encryption.multi_fernet(settings.APOYO_FILE_KEYS)
    return encryption.open_plaintext(path, fernet)


def pieces_of(settings, data):
    fernet = encryption.primary_fernet(settings.APOYO_FILE_KEYS)
    head, *records = encryption.encrypt_pieces(fernet, [data], SMALL_CHUNK)
    return head, records


def test_a_changed_byte_is_refused(settings):
    head, records = pieces_of(settings, os.urandom(300))
    damaged = bytearray(records[1])
    damaged[20] ^= 1
    reader = reader_of(head + records[0] + bytes(damaged) + b"".join(records[2:]), settings)
    with pytest.raises(EncryptedFileError):
        reader.read()


def test_a_file_cut_short_at_a_piece_boundary_is_refused(settings):
    head, records = pieces_of(settings, os.urandom(300))
    with pytest.raises(EncryptedFileError):
        reader_of(head + b"".join(records[:-1]), settings)


def test_pieces_swapped_or_taken_from_another_file_are_refused(settings):
    head, records = pieces_of(settings, os.urandom(300))
    swapped = head + records[1] + records[0] + b"".join(records[2:])
    with pytest.raises(EncryptedFileError):
        reader_of(swapped, settings).read()
    other_head, other = pieces_of(settings, os.urandom(300))
    spliced = head + other[0] + b"".join(records[1:])
    with pytest.raises(EncryptedFileError):
        reader_of(spliced, settings).read()


def test_a_file_under_an_unknown_key_is_refused(settings):
    name = default_storage.save("pruebas/a.bin", ContentFile(b"datos"))
    settings.APOYO_FILE_KEYS = [new_key()]
    with pytest.raises(EncryptedFileError):
        default_storage.open(name)


def test_a_file_saved_before_encryption_is_still_read_as_it_is():
    path = Path(default_storage.path("antes/viejo.png"))
    path.parent.mkdir(parents=True)
    path.write_bytes(png())
    with default_storage.open("antes/viejo.png") as stored:
        assert stored.read() == png()
    assert default_storage.size("antes/viejo.png") == len(png())


def test_a_large_temporary_upload_is_encrypted_and_its_plaintext_never_moved_into_place():
    data = os.urandom(3 * encryption.CHUNK_BYTES + 5)
    upload = TemporaryUploadedFile("grande.csv", "text/csv", len(data), None)
    upload.write(data)
    upload.seek(0)
    name = default_storage.save("cargas/grande.csv", upload)
    raw = on_disk(default_storage, name)
    assert raw.startswith(encryption.MAGIC) and data[:64] not in raw
    with default_storage.open(name) as stored:
        assert stored.read() == data
    upload.close()


def test_file_response_sends_the_plaintext_and_its_length():
    name = default_storage.save("pruebas/foto.png", SimpleUploadedFile("foto.png", png()))
    response = FileResponse(default_storage.open(name), content_type="image/png")
    assert int(response["Content-Length"]) == len(png())
    assert b"".join(response.streaming_content) == png()


def test_a_closed_stored_file_reopens_decrypted_and_cannot_be_opened_for_writing():
    name = default_storage.save("pruebas/a.pdf", ContentFile(PDF))
    stored = default_storage.open(name)
    stored.close()
    assert stored.open().read() == PDF
    stored.close()
    with pytest.raises(ValueError):
        default_storage.open(name, "wb")


def test_a_decrypted_copy_keeps_the_extension_is_private_and_goes_afterwards():
    class Field:
        name = default_storage.save("cargas/apoyos.csv.gz", ContentFile(b"\x1f\x8bdatos"))

        def open(self, mode):
            return default_storage.open(self.name, mode)

    with decrypted_copy(Field()) as path:
        assert path.name == "apoyos.csv.gz" and path.read_bytes() == b"\x1f\x8bdatos"
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert not path.exists() and not path.parent.exists()


def run_manage(tmp_path, **env):
    environment = dict(os.environ, APOYO_DATA_DIR=str(tmp_path), **env)
    environment.pop("APOYO_FILE_KEYS", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_file_keys(tmp_path):
    result = run_manage(tmp_path, APOYO_PRODUCTION="1", APOYO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "APOYO_FILE_KEYS es obligatoria en producción" in result.stderr


def test_a_malformed_file_key_is_refused_at_start_up(tmp_path):
    result = run_manage(tmp_path, APOYO_FILE_KEYS=f"{new_key()},no-es-clave")
    assert result.returncode != 0
    assert "La clave 2 de APOYO_FILE_KEYS no es una clave Fernet" in result.stderr


def test_outside_production_the_instance_makes_its_own_key_file_owner_only(tmp_path):
    result = run_manage(tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "file_key"
    assert encryption.fernet_key_is_valid(key_file.read_text().strip())
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"

"""Key rotation (rotate_file_key): every stored file ends under the first key of APOYO_FILE_KEYS,
in batches with progress; it can be stopped and run again, and a second run changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from apoyo.core import encryption
from apoyo.core.encrypted_storage import ROTATION_SUFFIX
from apoyo.core.encryption import EncryptedFileError, new_key
from apoyo.testing.files import PDF, png


@pytest.fixture
def old_key(settings):
    settings.APOYO_FILE_KEYS = [new_key()]
    return settings.APOYO_FILE_KEYS[0]


def save_files(count):
    return [
        default_storage.save(f"carpeta{n % 2}/archivo-{n}.png", ContentFile(png() + bytes([n])))
        for n in range(count)
    ]


def rotate(batch_size=2):
    out = StringIO()
    call_command("rotate_file_key", batch_size=batch_size, stdout=out)
    return out.getvalue()


def under(name, key):
    return encryption.encrypted_under(default_storage.path(name), encryption.primary_fernet([key]))


def test_rotation_reencrypts_every_file_under_the_new_key_in_batches(settings, old_key):
    names = save_files(5)
    new = new_key()
    settings.APOYO_FILE_KEYS = [new, old_key]
    text = rotate(batch_size=2)
    assert "Archivos revisados: 2 de 5" in text and "Archivos revisados: 4 de 5" in text
    assert "Archivos revisados: 5 de 5 · re-cifrados: 5 · ya con la clave vigente: 0" in text
    assert "Todos los archivos quedaron cifrados con la primera clave." in text
    assert all(under(name, new) and not under(name, old_key) for name in names)
    settings.APOYO_FILE_KEYS = [new]  # the old key can now be retired
    for n, name in enumerate(names):
        with default_storage.open(name) as stored:
            assert stored.read() == png() + bytes([n])


def test_a_second_run_skips_every_file(settings, old_key):
    names = save_files(3)
    settings.APOYO_FILE_KEYS = [new_key(), old_key]
    rotate()
    on_disk = {name: Path(default_storage.path(name)).read_bytes() for name in names}
    text = rotate()
    assert "re-cifrados: 0 · ya con la clave vigente: 3" in text
    assert on_disk == {name: Path(default_storage.path(name)).read_bytes() for name in names}


def test_an_interrupted_rotation_resumes_and_cleans_its_half_written_copy(settings, old_key):
    names = save_files(4)
    new = new_key()
    settings.APOYO_FILE_KEYS = [new, old_key]
    assert default_storage.reencrypt(names[0]) is True  # done before the interruption
    half = Path(default_storage.path(names[1]) + ".1a2b3c" + ROTATION_SUFFIX)
    half.write_bytes(b"APOYOENC1:cortado")
    text = rotate(batch_size=10)
    assert "re-cifrados: 3 · ya con la clave vigente: 1" in text
    assert not half.exists()
    assert all(under(name, new) for name in names)


def test_a_file_saved_before_encryption_gets_encrypted(settings, old_key):
    path = Path(default_storage.path("antes/escaneo.pdf"))
    path.parent.mkdir(parents=True)
    path.write_bytes(PDF)
    rotate()
    assert path.read_bytes().startswith(encryption.MAGIC)
    assert under("antes/escaneo.pdf", old_key)
    with default_storage.open("antes/escaneo.pdf") as stored:
        assert stored.read() == PDF


def test_a_file_under_a_retired_key_is_reported_and_the_rest_rotated(settings, old_key, capsys):
    lost = default_storage.save("perdido.png", ContentFile(png()))
    settings.APOYO_FILE_KEYS = [new_key()]
    kept = default_storage.save("bien.png", ContentFile(png()))
    with pytest.raises(SystemExit):
        rotate()
    error = capsys.readouterr().err
    assert (
        f"No se pudo re-cifrar {lost}" in error and "1 archivos no se pudieron re-cifrar" in error
    )
    assert under(kept, settings.APOYO_FILE_KEYS[0])
    with pytest.raises(EncryptedFileError):
        default_storage.open(lost)

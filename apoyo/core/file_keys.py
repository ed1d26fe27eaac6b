"""The keys that encrypt stored files (APOYO_FILE_KEYS), read by settings.py at start-up: checked
here without Django or cryptography, so a wrong key stops the service before it writes a file."""

import os

from apoyo.core.encryption import fernet_key_is_valid, new_key


def file_keys(keys, production, data_dir):
    """The Fernet keys of APOYO_FILE_KEYS (`keys`, as listed): the first encrypts the files, every
    one decrypts them (key rotation, manage.py rotate_file_key). Production must set them; outside
    it, an instance key is made in `data_dir` on first use."""
    if not keys and production:
        raise RuntimeError(
            "APOYO_FILE_KEYS es obligatoria en producción: la clave con que se cifran los archivos "
            "(README, «Cifrado de archivos»)."
        )
    for number, key in enumerate(keys, start=1):
        if not fernet_key_is_valid(key):
            raise RuntimeError(
                f"La clave {number} de APOYO_FILE_KEYS no es una clave Fernet (32 bytes en "
                "base64 URL); README, «Cifrado de archivos», dice cómo generarla."
            )
    return keys or [instance_file_key(data_dir)]


def instance_file_key(data_dir):
    """The files' key of this instance alone, made on first use and kept in the data folder (0600)
    like secret_key. Back it up apart from the files: without it they cannot be read."""
    path = data_dir / "file_key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(new_key())
    return path.read_text().strip()

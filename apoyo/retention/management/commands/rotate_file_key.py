from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.core.encrypted_storage import EncryptedFileSystemStorage
from apoyo.retention.rotation import rotate_files


class Command(BaseCommand):
    help = (
        "Vuelve a cifrar todos los archivos guardados con la primera clave de APOYO_FILE_KEYS "
        "(rotación de claves), por lotes y mostrando el avance. Se puede interrumpir y repetir: "
        "los archivos que ya están con la clave vigente se omiten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=200, help="archivos por lote (informe de avance)"
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            fail("--batch-size debe ser mayor que cero.")
        if not isinstance(default_storage, EncryptedFileSystemStorage):
            fail("El almacenamiento de archivos no es el cifrado (settings.STORAGES).")
        rotation = rotate_files(default_storage, options["batch_size"], self.stdout.write)
        for name, error in rotation.failed:
            self.stderr.write(f"No se pudo re-cifrar {name}: {error}")
        if rotation.failed:
            fail(
                f"{len(rotation.failed)} archivos no se pudieron re-cifrar (dañados o cifrados con "
                "una clave que ya no está en APOYO_FILE_KEYS); los demás quedaron con la clave "
                "vigente."
            )
        self.stdout.write("Todos los archivos quedaron cifrados con la primera clave.")

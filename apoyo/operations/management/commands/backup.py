from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.operations.backup import create_backup
from apoyo.operations.manifest import (
    MANIFEST,
    BackupError,
    data_file_entries,
    database_rows,
)


class Command(BaseCommand):
    # Works even when a page's module would not import: it needs none of them.
    requires_system_checks = []
    help = (
        "Respalda la base de datos (copia consistente, con el sistema en marcha) y los archivos "
        "de la carpeta de datos en una carpeta nueva, con un manifiesto de sumas SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, help="carpeta del respaldo: nueva o vacía (se crea 0700)"
        )

    def handle(self, *args, **options):
        try:
            manifest = create_backup(options["out"])
        except BackupError as error:
            fail(str(error))
        size = sum(entry["bytes"] for entry in manifest["archivos"])
        rows, tables = database_rows(manifest)
        self.stdout.write(
            f"Respaldo completo en {options['out']}: base de datos {manifest['motor']} "
            f"({rows:,} filas en {tables} tablas) y {len(data_file_entries(manifest)):,} "
            f"archivos; {size / 1024**2:,.1f} MB. Sumas en {MANIFEST}."
        )

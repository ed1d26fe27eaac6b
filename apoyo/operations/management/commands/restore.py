from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.operations.manifest import BackupError, data_file_entries, database_rows
from apoyo.operations.restore import restore_backup


class Command(BaseCommand):
    # Works even when a page's module would not import: it needs none of them.
    requires_system_checks = []
    help = (
        "Reconstruye una instancia vacía desde un respaldo de `backup`, después de verificar las "
        "sumas SHA-256 de todos sus archivos. Detenga antes la web y el trabajador."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="carpeta del respaldo (la que contiene manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="reemplaza los datos de una instancia que no está vacía (sus archivos se "
            "apartan en otra carpeta, no se borran)",
        )

    def handle(self, *args, **options):
        try:
            manifest, moved = restore_backup(options["folder"], force=options["force"])
        except BackupError as error:
            fail(str(error))
        if moved:
            self.stdout.write(f"Los archivos que había se apartaron en {moved}.")
        self.stdout.write(
            f"Respaldo del {manifest['creado']} restaurado: {database_rows(manifest)[1]} tablas "
            f"con las filas del respaldo y {len(data_file_entries(manifest)):,} archivos "
            "verificados. "
            "Si esta versión de Apoyo es más reciente que la del respaldo, ejecute ahora "
            "`manage.py migrate`."
        )

from pathlib import Path

from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.core.tabular import FileRejected
from apoyo.geo.services import GeoImportError, format_error, import_geo, summary


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = (
        "Importa el marco geográfico electoral (secciones, municipios y distritos) desde un CSV "
        "o XLSX. Si alguna fila tiene errores no se importa nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archivo CSV, CSV.GZ o XLSX con una fila por sección")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            fail(f"No se encontró el archivo {path}.")
        try:
            counts = import_geo(path)
        except FileRejected as exc:
            fail(str(exc))
        except GeoImportError as exc:
            for error in exc.errors:
                self.stdout.write(format_error(*error))
            fail(str(exc))
        self.stdout.write(summary(counts))

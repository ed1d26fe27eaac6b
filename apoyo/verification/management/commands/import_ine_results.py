from pathlib import Path

from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.core.tabular import FileRejected
from apoyo.verification.exchange import import_ine_results
from apoyo.verification.services import CheckError


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Importa la respuesta del INE a la compulsa (vía tradicional) y recalcula resultados."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archivo CSV o XLSX del INE.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            fail(f"No se encontró el archivo {path}.")
        try:
            outcome = import_ine_results(path)
        except (FileRejected, CheckError) as error:
            fail(str(error))
        for row, column, reason in outcome["rejected"]:
            where = f"Fila {row}, columna {column}" if row else f"Columna {column}"
            self.stdout.write(f"{where}: {reason}")
        self.stdout.write(
            f"{outcome['imported']} resultados del INE importados, "
            f"{len(outcome['rejected'])} rechazados; "
            f"{len(outcome['runs'])} cargos recalculados."
        )

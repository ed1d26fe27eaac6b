from django.core.management.base import BaseCommand

from apoyo.accounts.audit import log_command
from apoyo.core.cli import fail
from apoyo.core.exports import write_csv_file
from apoyo.processes.cli import find_office
from apoyo.verification.exchange import EXPORT_HEADER, export_rows


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Exporta los apoyos de un cargo para que el INE realice la compulsa (vía tradicional)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Clave del cargo.")
        parser.add_argument("out", help="Archivo CSV de salida.")
        parser.add_argument("--process", help="Clave del proceso, si la del cargo se repite.")

    def handle(self, *args, **options):
        """CONTRACT export_for_ine: UTF-8, comma, header; texts that would read as formulas are
        neutralised and the file, which holds citizens' names and claves, is created 0600."""
        office = find_office(options["office"], options["process"])
        try:
            count = write_csv_file(options["out"], EXPORT_HEADER, export_rows(office))
        except OSError as error:
            fail(f"No se pudo escribir {options['out']}: {error.strerror}.")
        log_command("exportar", "apoyos para el INE", office.code, f"{count} → {options['out']}")
        self.stdout.write(f"{count} apoyos de {office.code} exportados a {options['out']}.")

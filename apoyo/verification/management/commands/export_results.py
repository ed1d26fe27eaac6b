from pathlib import Path

from django.core.management.base import BaseCommand

from apoyo.accounts.audit import log_command
from apoyo.core.cli import fail
from apoyo.core.exports import write_csv_file
from apoyo.core.private_files import private_directory
from apoyo.processes.cli import find_office
from apoyo.verification.results import (
    ASPIRANT_HEADER,
    SUPPORT_HEADER,
    aspirant_rows,
    support_rows,
)
from apoyo.verification.services import CheckError, current_run, run_check


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Escribe supports.csv y aspirants.csv con los resultados vigentes de un cargo."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Clave del cargo.")
        parser.add_argument("--out", required=True, help="Carpeta de salida.")
        parser.add_argument("--process", help="Clave del proceso, si la del cargo se repite.")

    def handle(self, *args, **options):
        """CONTRACT export_results: two CSV files, UTF-8, comma, header; texts that would read
        as formulas are neutralised, the files are created 0600 and a folder made for them 0700
        (they hold citizens' claves)."""
        office = find_office(options["office"], options["process"])
        out = Path(options["out"])
        try:
            private_directory(out)
        except OSError as error:
            fail(f"No se pudo crear la carpeta {out}: {error.strerror}.")
        run = current_run(office)
        if run is None:
            try:
                run = run_check(office)
            except CheckError as error:
                fail(str(error))
        for name, header, rows in (
            ("supports.csv", SUPPORT_HEADER, support_rows(run)),
            ("aspirants.csv", ASPIRANT_HEADER, aspirant_rows(run)),
        ):
            try:
                write_csv_file(out / name, header, rows)
            except OSError as error:
                fail(f"No se pudo escribir {out / name}: {error.strerror}.")
        log_command("exportar", "resultados", office.code, f"compulsa {run.pk} → {out}")
        self.stdout.write(f"Resultados de la compulsa {run.pk} de {office.code} escritos en {out}.")

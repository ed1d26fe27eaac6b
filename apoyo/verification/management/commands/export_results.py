import csv
from pathlib import Path

from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.processes.cli import find_office
from apoyo.verification.results import (
    ASPIRANT_HEADER,
    SUPPORT_HEADER,
    aspirant_rows,
    support_rows,
)
from apoyo.verification.services import CheckError, current_run, run_check


class Command(BaseCommand):
    help = "Escribe supports.csv y aspirants.csv con los resultados vigentes de un cargo."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Clave del cargo.")
        parser.add_argument("--out", required=True, help="Carpeta de salida.")
        parser.add_argument("--process", help="Clave del proceso, si la del cargo se repite.")

    def handle(self, *args, **options):
        office = find_office(options["office"], options["process"])
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(f"No se pudo crear la carpeta {out}: {error.strerror}.")
        run = current_run(office)
        if run is None:
            try:
                run = run_check(office)
            except CheckError as error:
                fail(str(error))
        write(out / "supports.csv", SUPPORT_HEADER, support_rows(run))
        write(out / "aspirants.csv", ASPIRANT_HEADER, aspirant_rows(run))
        self.stdout.write(f"Resultados de la compulsa {run.pk} de {office.code} escritos en {out}.")


def write(path, header, rows):
    # Plain machine-readable CSV: values are codes and numbers the system itself wrote.
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

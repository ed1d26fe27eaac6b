import csv

from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.processes.cli import find_office
from apoyo.verification.exchange import EXPORT_HEADER, export_rows


class Command(BaseCommand):
    help = "Exporta los apoyos de un cargo para que el INE realice la compulsa (vía tradicional)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Clave del cargo.")
        parser.add_argument("out", help="Archivo CSV de salida.")
        parser.add_argument("--process", help="Clave del proceso, si la del cargo se repite.")

    def handle(self, *args, **options):
        office = find_office(options["office"], options["process"])
        count = 0
        try:
            with open(options["out"], "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(EXPORT_HEADER)
                for row in export_rows(office):
                    writer.writerow(row)
                    count += 1
        except OSError as error:
            fail(f"No se pudo escribir {options['out']}: {error.strerror}.")
        self.stdout.write(f"{count} apoyos de {office.code} exportados a {options['out']}.")

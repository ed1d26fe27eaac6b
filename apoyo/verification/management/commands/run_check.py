from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.processes.cli import find_office
from apoyo.verification.services import CheckError, run_check


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Compulsa y cruces de todos los aspirantes de un cargo; recalcula los resultados."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Clave del cargo.")
        parser.add_argument("--process", help="Clave del proceso, si la del cargo se repite.")

    def handle(self, *args, **options):
        office = find_office(options["office"], options["process"])
        try:
            run = run_check(office)
        except CheckError as error:
            fail(str(error))
        self.stdout.write(
            f"Compulsa {run.pk} de {office.code} ({run.get_source_display()}, corte "
            f"{run.cut_date:%Y-%m-%d}): {run.supports} apoyos revisados."
        )
        for result in run.aspirant_results.select_related("aspirant"):
            self.stdout.write(
                f"  {result.aspirant.code}: {result.valid} válidos de {result.captured} "
                f"capturados; requeridos {result.required}; "
                f"{'cumple' if result.meets else 'no cumple'}."
            )

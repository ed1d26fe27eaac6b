from django.core.management.base import BaseCommand

from apoyo.core.dbstats import refresh_statistics
from apoyo.demo.services import is_empty, load_demo


class Command(BaseCommand):
    help = "Carga los datos de demostración (geografía de Sonora, proceso 2020-2021, usuarios y apoyos)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Solo si la base de datos está vacía."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and not is_empty():
            self.stdout.write("La base de datos ya tiene datos: no se cargó la demostración.")
            return
        self.stdout.write("Cargando los datos de demostración (uno o dos minutos)…")
        load_demo()
        # The tables went from empty to thousands of rows: the planner must know (core.dbstats).
        refresh_statistics()
        self.stdout.write(self.style.SUCCESS("Datos de demostración cargados."))

"""`manage.py load_setup FILE.json` (CONTRACT.md, "load_setup FILE.json")."""

from django.core.management.base import BaseCommand

from apoyo.aspirants.setup import SetupError, load_setup_file
from apoyo.core.cli import fail


def _count(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"


def summary(counts):
    """One Spanish line, e.g. "Proceso PEL-2021 creado: 2 cargos nuevos, 0 actualizados; ..."."""
    return (
        f"Proceso {counts['code']} {counts['process']}: "
        f"{_count(counts['offices_created'], 'cargo nuevo', 'cargos nuevos')}, "
        f"{_count(counts['offices_updated'], 'actualizado', 'actualizados')}; "
        f"{_count(counts['aspirants_created'], 'aspirante nuevo', 'aspirantes nuevos')}, "
        f"{_count(counts['aspirants_updated'], 'actualizado', 'actualizados')}."
    )


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Crea o actualiza un proceso electoral, sus cargos y aspirantes desde un archivo JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archivo JSON de configuración del proceso.")

    def handle(self, *args, **options):
        try:
            counts = load_setup_file(options["file"])
        except SetupError as error:
            fail(str(error))
        self.stdout.write(summary(counts))

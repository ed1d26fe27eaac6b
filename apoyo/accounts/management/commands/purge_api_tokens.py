from django.core.management.base import BaseCommand

from apoyo.accounts.tokens import purge_tokens
from apoyo.core.cli import fail

DEFAULT_KEEP_DAYS = 90


class Command(BaseCommand):
    help = (
        "Borra los tokens de la app de captura que vencieron o fueron revocados hace más de los "
        "días indicados (se conservan ese tiempo como registro de dispositivos y accesos)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_KEEP_DAYS,
            help=f"días que se conservan los tokens sin uso posible (por omisión, {DEFAULT_KEEP_DAYS})",
        )

    def handle(self, *args, **options):
        if options["days"] < 0:
            fail("--days debe ser un número de días mayor o igual a cero.")
        deleted = purge_tokens(options["days"])
        self.stdout.write(f"Tokens borrados: {deleted}.")

from django.core.management.base import BaseCommand

from apoyo.accounts.audit import first_broken_link
from apoyo.accounts.models import AccessLog
from apoyo.core.cli import fail


class Command(BaseCommand):
    help = (
        "Verifica la cadena de huellas SHA-256 de la bitácora y reporta el primer eslabón roto "
        "(una entrada alterada, borrada o insertada)."
    )

    def handle(self, *args, **options):
        entries = AccessLog.objects.order_by("id")
        broken = first_broken_link(entries.iterator())
        if broken is not None:
            fail(
                f"La cadena se rompe en la entrada {broken.id} ({broken.at:%Y-%m-%d %H:%M:%S}, "
                f"{broken.username or 'sin usuario'}, {broken.action}): fue alterada, o falta o "
                "sobra una entrada antes de ella."
            )
        self.stdout.write(f"Bitácora íntegra: {entries.count()} entradas encadenadas.")

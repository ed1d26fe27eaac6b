import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from apoyo.accounts.audit import purge_before
from apoyo.core.cli import fail


class Command(BaseCommand):
    help = (
        "Borra las entradas de la bitácora más antiguas que el periodo de conservación "
        "(APOYO_AUDIT_RETENTION_DAYS) y deja constancia de la purga en la propia bitácora."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.APOYO_AUDIT_RETENTION_DAYS,
            help="días que se conservan las entradas (por omisión, APOYO_AUDIT_RETENTION_DAYS)",
        )

    def handle(self, *args, **options):
        if options["days"] < 1:
            fail("--days debe ser un número de días mayor que cero.")
        cutoff = timezone.now() - datetime.timedelta(days=options["days"])
        deleted = purge_before(cutoff)
        self.stdout.write(f"Entradas borradas: {deleted} (anteriores al {cutoff:%Y-%m-%d}).")

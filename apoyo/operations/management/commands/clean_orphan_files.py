from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.operations.orphans import DEFAULT_GRACE_HOURS, orphan_files, remove_orphans


class Command(BaseCommand):
    # Works even when a page's module would not import: it needs none of them.
    requires_system_checks = []
    help = (
        "Borra los archivos de la carpeta de datos que ningún registro nombra (los deja un "
        "guardado interrumpido) y que tienen más de --older-than-hours horas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=DEFAULT_GRACE_HOURS,
            help=f"antigüedad mínima de un archivo para borrarlo (por omisión {DEFAULT_GRACE_HOURS})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="solo lista los archivos, no borra ninguno"
        )

    def handle(self, *args, **options):
        hours = options["older_than_hours"]
        if hours < 0:
            fail("--older-than-hours no puede ser negativo.")
        if options["dry_run"]:
            found = orphan_files(hours)
            for name, size in found:
                self.stdout.write(f"{name}\t{size} bytes")
            self.stdout.write(f"Se borrarían {len(found)} archivos sin registro.")
            return
        found = remove_orphans(hours)
        size = sum(size for _, size in found)
        self.stdout.write(f"Archivos sin registro borrados: {len(found)} ({size:,} bytes).")

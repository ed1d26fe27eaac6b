"""Draw the pages of the PDF scans stored before the mesa de control showed PDFs as images.

New scans get their pages when they are uploaded (supports.scans.add_scan); this command does the
same for the ones already stored, once after migrating to 0008_scan_pages. It is safe to run again:
a scan whose pages exist is skipped. Until it runs, the mesa embeds those PDFs as before.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from apoyo.accounts.audit import log_command
from apoyo.supports.scans import render_stored_scan, scans_without_pages


class Command(BaseCommand):
    help = (
        "Dibuja como imágenes las páginas de los escaneos PDF ya guardados, para que la mesa de "
        "control los muestre con zoom, giro y paso de página."
    )

    def handle(self, *args, **options):
        drawn = pages = 0
        refused = []
        for scan in scans_without_pages().select_related("cedula"):
            try:
                pages += render_stored_scan(scan)
                drawn += 1
            except (ValidationError, OSError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                refused.append(scan)
                self.stderr.write(f"Escaneo {scan.pk} (cédula {scan.cedula.reference}): {reason}")
        log_command(
            "dibujar páginas", "escaneos de cédula", detail=f"{drawn} escaneos, {pages} páginas"
        )
        self.stdout.write(
            f"{drawn} escaneo(s) PDF con {pages} página(s) dibujadas; "
            f"{len(refused)} no se pudieron dibujar (la mesa los sigue mostrando como PDF)."
        )

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from apoyo.accounts.audit import log_command
from apoyo.accounts.models import User
from apoyo.aspirants.models import Aspirant
from apoyo.core.cli import fail
from apoyo.core.exports import write_csv_file
from apoyo.supports.models import UploadStatus
from apoyo.uploads.services import (
    ISSUE_COLUMNS,
    issue_rows,
    max_upload_bytes,
    register_upload,
    run_upload,
)


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = "Carga masiva de filas de cédulas de apoyo ciudadano (CSV o XLSX) para un aspirante."

    def add_arguments(self, parser):
        parser.add_argument("--aspirant", required=True, help="Clave del aspirante.")
        parser.add_argument("file", help="Archivo CSV o XLSX.")
        parser.add_argument("--errors", help="Escribe aquí el reporte CSV de filas rechazadas.")
        parser.add_argument("--process", help="Clave del proceso, si la del aspirante se repite.")
        parser.add_argument("--dry-run", action="store_true", help="Solo validar, sin guardar.")
        parser.add_argument("--user", help="Usuario que queda registrado como autor de la carga.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            fail(f"No se encontró el archivo {path}.")
        if path.stat().st_size > max_upload_bytes():
            limit = max_upload_bytes() // (1024 * 1024)
            fail(f"El archivo pesa más que el límite de {limit} MB para una carga masiva.")
        aspirant = find_aspirant(options["aspirant"], options["process"])
        user = find_user(options["user"])
        with path.open("rb") as source:
            upload = register_upload(user, aspirant, source, path.name, options["dry_run"])
        run_upload(upload)
        if upload.status == UploadStatus.FAILED:
            fail(upload.message)
        if options["errors"]:
            write_report(options["errors"], upload)
        verb = "se guardarían" if upload.dry_run else "guardadas"
        self.stdout.write(
            f"Carga {upload.pk} de {path.name} para {aspirant.code}: {upload.rows_read} filas leídas, "
            f"{upload.stored} {verb}, {upload.skipped} omitidas (ya registradas), "
            f"{upload.rejected} rechazadas."
        )
        summary = {"stored": upload.stored, "skipped": upload.skipped, "rejected": upload.rejected}
        self.stdout.write(json.dumps(summary))


def write_report(path, upload):
    """The --errors report: formulas neutralised, created 0600 (it holds the rows' values)."""
    try:
        write_csv_file(path, ISSUE_COLUMNS, issue_rows(upload))
    except OSError as error:
        fail(f"No se pudo escribir el reporte de errores {path}: {error.strerror}.")
    log_command("exportar", "reporte de carga", upload.pk, str(path))


def find_aspirant(code, process_code):
    aspirants = Aspirant.objects.select_related("office__process").filter(code__iexact=code.strip())
    if process_code:
        aspirants = aspirants.filter(office__process__code=process_code)
    found = list(aspirants[:2])
    if not found:
        fail(f"No existe el aspirante {code}.")
    if len(found) > 1:
        fail(f"La clave de aspirante {code} existe en varios procesos: indique --process.")
    return found[0]


def find_user(username):
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(f"No existe el usuario activo {username}.")
    return user

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.processes.models import Process
from apoyo.retention import services
from apoyo.retention.targets import KINDS


class Command(BaseCommand):
    help = (
        "Suprime los datos personales de un proceso electoral cuando sus dictámenes están firmes y "
        "pasó su periodo de conservación: borra imágenes y archivos, vacía nombres, OCR y CIC y "
        "sustituye la clave de elector por su huella; conserva resultados, motivos y cifras."
    )

    def add_arguments(self, parser):
        parser.add_argument("--process", required=True, help="clave del proceso electoral")
        parser.add_argument(
            "--dry-run", action="store_true", help="solo muestra lo que se suprimiría"
        )
        parser.add_argument(
            "--user", help="administrador del OPL que queda registrado como autor de la supresión"
        )

    def handle(self, *args, **options):
        process = Process.objects.filter(code=options["process"]).first()
        if process is None:
            fail(f"No existe el proceso {options['process']}.")
        user = self.user(options["user"])
        counts, reasons = services.plan(process)
        self.stdout.write(f"Proceso {process.code}: {process.name}")
        self.write_counts(counts, "Se suprimiría:" if options["dry_run"] else "Se suprime:")
        if options["dry_run"]:
            self.report_dry_run(reasons)
            return
        try:
            record = services.purge_personal_data(process, user=user, operator=operator())
        except services.PurgeRefused as refused:
            fail("No se suprimió nada. " + " ".join(refused.reasons))
        self.stdout.write(
            f"Supresión N.º {record.pk} registrada; {len(record.rulings)} dictámenes verificados "
            "después de la supresión."
        )

    def user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            fail(f"No existe el usuario {username}.")
        return user

    def write_counts(self, counts, heading):
        self.stdout.write(heading)
        for kind, label in KINDS.items():
            self.stdout.write(f"  {label}: {counts[kind]:,}")

    def report_dry_run(self, reasons):
        if reasons:
            self.stdout.write("Hoy no se podría suprimir:")
            for reason in reasons:
                self.stdout.write(f"  - {reason}")
        else:
            self.stdout.write("Se puede suprimir: ejecute el comando sin --dry-run.")
        self.stdout.write("Simulación: no se cambió nada.")


def operator():
    try:
        return f"línea de comandos: {getpass.getuser()}"
    except (KeyError, OSError):
        return "línea de comandos"

from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.core.tabular import FileRejected
from apoyo.roll.management.commands import _common
from apoyo.roll.services import import_ln_stats


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = (
        "Importa la Lista Nominal por sección publicada por el INE para una fecha de corte "
        "(columnas ENTIDAD, SECCION, LISTA_NOMINAL). Reemplaza las cifras de esa fecha."
    )

    def add_arguments(self, parser):
        _common.add_arguments(parser, "archivo CSV o XLSX con una fila por sección")

    def handle(self, *args, **options):
        cut_date = _common.cut_date(options["cut_date"])
        path = _common.existing_file(options["file"])
        report = _common.writable_report(options["errors"])
        try:
            result = import_ln_stats(path, cut_date)
        except FileRejected as exc:
            fail(str(exc))
        if report:
            _common.write_report(report, result["issues"])
        self.stdout.write(f"Lista Nominal del corte del {cut_date:%d/%m/%Y} importada.")
        for line in _common.summary_lines(result, report):
            self.stdout.write(line)

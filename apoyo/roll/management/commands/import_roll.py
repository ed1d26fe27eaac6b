from django.core.management.base import BaseCommand

from apoyo.core.cli import fail
from apoyo.core.tabular import FileRejected
from apoyo.roll.management.commands import _common
from apoyo.roll.services import import_roll


class Command(BaseCommand):
    # A batch command of the contract needs no page: the system checks would import every URL
    # conf and view (about 2 s of start-up, issue 15); `manage.py check` and the test suite
    # run them.
    requires_system_checks = []
    help = (
        "Importa un corte del Padrón Electoral / Lista Nominal (CSV, CSV.GZ o XLSX). Importar de "
        "nuevo la misma fecha de corte reemplaza ese corte y su Lista Nominal por sección."
    )

    def add_arguments(self, parser):
        _common.add_arguments(parser, "archivo con un registro del padrón por fila")

    def handle(self, *args, **options):
        cut_date = _common.cut_date(options["cut_date"])
        path = _common.existing_file(options["file"])
        report = _common.writable_report(options["errors"])
        try:
            result = import_roll(path, cut_date)
        except FileRejected as exc:
            fail(str(exc))
        if report:
            _common.write_report(report, result["issues"])
        self.stdout.write(f"Corte del padrón del {cut_date:%d/%m/%Y} importado.")
        for line in _common.summary_lines(result, report):
            self.stdout.write(line)

"""What the roll commands share: the --cut-date and --errors options, and the summary."""

import datetime
from pathlib import Path

from apoyo.accounts.audit import log_command
from apoyo.core.cli import fail
from apoyo.core.exports import write_csv_file
from apoyo.roll.services import issue_report_header


def add_arguments(parser, file_help):
    parser.add_argument("file", help=file_help)
    parser.add_argument(
        "--cut-date", required=True, help="fecha de corte AAAA-MM-DD (por ejemplo 2020-08-31)"
    )
    parser.add_argument("--errors", help="escribe las filas rechazadas en este archivo CSV")


def cut_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail(f"La fecha de corte «{text}» no es válida: use AAAA-MM-DD, por ejemplo 2020-08-31.")


def existing_file(text):
    path = Path(text)
    if not path.is_file():
        fail(f"No se encontró el archivo {path}.")
    return path


def writable_report(text):
    """Check before the import that the error report can be written."""
    if not text:
        return None
    path = Path(text)
    if not path.parent.is_dir():
        fail(f"No existe la carpeta del reporte de errores: {path.parent}.")
    return path


def write_report(path, issues):
    """The rejected rows: FILA, COLUMNA, MOTIVO and the original values (UTF-8 with BOM)."""
    try:
        write_csv_file(path, issue_report_header(issues), issues.iter_rows(), bom=True)
    except OSError as exc:
        fail(f"No se pudo escribir el reporte de errores {path}: {exc.strerror}.")
    log_command("exportar", "reporte del padrón", detail=str(path))


def summary_lines(result, report_path):
    lines = [
        f"Filas leídas: {result['read']}. Importadas: {result['imported']}. "
        f"Rechazadas: {result['rejected']}.",
        f"Lista Nominal por sección guardada: {result['ln_sections']} secciones.",
    ]
    kept = result["issues"].height
    if report_path and result["issues_total"]:
        lines.append(f"Reporte de filas rechazadas: {report_path}.")
        if kept < result["issues_total"]:
            lines.append(
                f"El reporte incluye las primeras {kept} de {result['issues_total']} incidencias."
            )
    elif result["rejected"]:
        lines.append("Use --errors ARCHIVO.csv para obtener la fila, la columna y el motivo.")
    return lines

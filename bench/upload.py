"""Child process of `make bench`: time the carga masiva on the database of DATABASE_URL.

The parent sets DATABASE_URL and APOYO_DATA_DIR (a temporary directory). This process migrates
that database, creates an office and its aspirants, and for each file times the bare read and the
full upload (register_upload + run_upload). Progress goes to stdout in Spanish; the last line of
stdout is the JSON the parent reads.
"""

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from time import perf_counter, process_time

import django
from python_calamine import CalamineWorkbook

from bench import migrate_every_database


def say(label, text):
    print(f"  [{label}] {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mide la carga masiva en una base de datos.")
    parser.add_argument("--label", required=True, help="nombre de la base de datos en el reporte")
    parser.add_argument("--rows", type=int, required=True, help="filas de datos de cada archivo")
    parser.add_argument("--xlsx", type=Path, required=True)
    parser.add_argument("--csv", type=Path, required=True)
    return parser.parse_args(argv)


def setup_django(label):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    django.setup()
    from django.db import connection

    say(label, f"Migrando la base de datos ({connection.vendor})…")
    start = perf_counter()
    migrate_every_database()
    say(label, f"Base de datos lista en {perf_counter() - start:.1f} s.")
    # Imported before timing (polars, the readers): the table compares the upload with the bare
    # read, whose reader is imported already; an `upload_supports` process pays it at start-up.
    import apoyo.uploads.services  # noqa: F401


def make_fixtures():
    """A capturist and one office of Sonora with an aspirant per file, so nothing is skipped."""
    from apoyo.accounts.models import Role
    from apoyo.testing.factories import make_aspirant, make_office, make_user

    office = make_office()
    user = make_user(Role.OPL_CAPTURIST, state_number=office.process.state_id)
    return user, [make_aspirant(office), make_aspirant(office)]


def read_xlsx(path):
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows()) - 1


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as source:
        return sum(1 for _ in csv.reader(source)) - 1


def timed(function, *args):
    start = perf_counter()
    value = function(*args)
    return value, perf_counter() - start


def cpu_timed(function, *args):
    """(value, wall seconds, CPU seconds of this process): on a shared machine the CPU time is the
    steadier figure; on PostgreSQL it leaves out the server's own work."""
    cpu = process_time()
    value, seconds = timed(function, *args)
    return value, seconds, process_time() - cpu


def upload_file(user, aspirant, path):
    from apoyo.uploads.services import register_upload, run_upload

    with open(path, "rb") as source:
        upload = register_upload(user, aspirant, source, path.name)
    return run_upload(upload)


def check_upload(upload, rows):
    """Stop the benchmark when the upload did not account for every row."""
    if upload.status != "done":
        raise SystemExit(f"La carga terminó en estado «{upload.status}»: {upload.message}")
    from apoyo.supports.models import Support

    accounted = upload.stored + upload.rejected + upload.skipped
    if upload.rows_read != rows or accounted != rows:
        raise SystemExit(
            f"La carga leyó {upload.rows_read:,} filas y contó {accounted:,} de {rows:,}."
        )
    in_table = Support.objects.filter(upload=upload).count()
    if in_table != upload.stored:
        raise SystemExit(
            f"La carga dice {upload.stored:,} guardadas y la tabla tiene {in_table:,}."
        )


def measure(label, file_format, path, rows, user, aspirant):
    reader = read_xlsx if file_format == "XLSX" else read_csv
    read_rows, read_seconds, read_cpu = cpu_timed(reader, path)
    if read_rows != rows:
        raise SystemExit(f"El archivo {path.name} tiene {read_rows:,} filas, no {rows:,}.")
    say(label, f"{file_format}: lectura sola {read_seconds:.2f} s; cargando…")
    upload, upload_seconds, upload_cpu = cpu_timed(upload_file, user, aspirant, path)
    check_upload(upload, rows)
    say(
        label,
        f"{file_format}: carga completa {upload_seconds:.2f} s ({upload_cpu:.2f} s de CPU; "
        f"lectura {read_cpu:.2f} s de CPU) "
        f"({upload.stored:,} guardadas, {upload.rejected:,} rechazadas, "
        f"{upload.skipped:,} omitidas).",
    )
    return {
        "format": file_format,
        "rows": rows,
        "read_seconds": read_seconds,
        "upload_seconds": upload_seconds,
        "read_cpu_seconds": read_cpu,
        "upload_cpu_seconds": upload_cpu,
        "stored": upload.stored,
        "rejected": upload.rejected,
        "skipped": upload.skipped,
    }


def main(argv=None):
    args = parse_args(argv)
    setup_django(args.label)
    user, aspirants = make_fixtures()
    files = [("XLSX", args.xlsx), ("CSV", args.csv)]
    results = [
        measure(args.label, file_format, path, args.rows, user, aspirant)
        for (file_format, path), aspirant in zip(files, aspirants, strict=True)
    ]
    print(json.dumps({"database": args.label, "results": results}), flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""`make bench` (python -m bench): the carga masiva against DESIGN.md "Performance targets".

Generates a XLSX and a CSV once, then runs bench.upload in a child process on SQLite and, when
it answers on 127.0.0.1:5432, on a throwaway PostgreSQL database. Prints rows per second of the
full upload beside the bare file read. Exits 0 even when a target is missed; non-zero only when
something crashed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

import psycopg
from psycopg import sql

from bench.data import write_csv, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
SCALES = ["sonora"]
SEED = 2021
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_ROWS = 100_000
TARGET_SECONDS = 5.0
TARGET_CORES = 2


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Mide la carga masiva en SQLite y PostgreSQL."
    )
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="filas de cada archivo")
    parser.add_argument("--scale", default="sonora", help="escala de los datos (solo «sonora»)")
    return parser.parse_args(argv)


def say(text=""):
    print(text, flush=True)


# Files --------------------------------------------------------------------------------------------


def generate(directory, rows):
    say(f"Generando los archivos de {rows:,} filas…")
    files = {}
    for file_format, writer in (("XLSX", write_xlsx), ("CSV", write_csv)):
        path = directory / f"apoyos_{rows}.{file_format.lower()}"
        start = perf_counter()
        writer(path, rows, SEED)
        size = path.stat().st_size / 1024 / 1024
        say(f"  {file_format}: {perf_counter() - start:.1f} s, {size:.1f} MB")
        files[file_format] = path
    return files


# Child runs ---------------------------------------------------------------------------------------


def child_command(label, rows, files):
    return [
        sys.executable,
        "-m",
        "bench.upload",
        f"--label={label}",
        f"--rows={rows}",
        f"--xlsx={files['XLSX']}",
        f"--csv={files['CSV']}",
    ]


def child_env(database_url, data_dir):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        APOYO_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="apoyo.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_child(label, database_url, data_dir, rows, files):
    """Run bench.upload, streaming its progress; its results, or None when it crashed."""
    say(f"\n{label}:")
    command = child_command(label, rows, files)
    env = child_env(database_url, data_dir)
    last = ""
    # The command is this interpreter running bench.upload on paths this process created.
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    with child:
        for line in child.stdout:
            if last:
                say(last)
            last = line.rstrip("\n")
    if child.returncode != 0:
        if last:
            say(last)
        say(f"  [{label}] La medición falló (código de salida {child.returncode}).")
        return None
    return json.loads(last)["results"]


def run_sqlite(directory, rows, files):
    url = f"sqlite:///{directory}/bench.sqlite3"
    return run_child("SQLite", url, directory / "datos-sqlite", rows, files)


def postgres_unavailable():
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def postgres_admin(statement, name):
    query = sql.SQL(statement).format(sql.Identifier(name))
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(query)


def run_postgres(directory, rows, files):
    name = f"apoyo_bench_{os.getpid()}"
    postgres_admin("CREATE DATABASE {}", name)
    try:
        url = f"{POSTGRES_SERVER}/{name}"
        return run_child("PostgreSQL", url, directory / "datos-postgres", rows, files)
    finally:
        postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


# Report -------------------------------------------------------------------------------------------


def target_seconds(rows):
    """5 s for 100,000 rows, scaled to the rows measured."""
    return TARGET_SECONDS * rows / TARGET_ROWS


def rate(rows, seconds):
    return f"{rows / seconds:,.0f}" if seconds > 0 else "—"


def table_line(database, result):
    rows, read, upload = result["rows"], result["read_seconds"], result["upload_seconds"]
    verdict = "cumple" if upload < target_seconds(rows) else "no cumple"
    return [
        database,
        result["format"],
        f"{read:.2f} s",
        rate(rows, read),
        f"{upload:.2f} s",
        rate(rows, upload),
        verdict,
    ]


def print_table(rows, measured):
    header = [
        "base de datos",
        "formato",
        "lectura sola",
        "filas/s lectura",
        "carga completa",
        "filas/s carga",
        f"meta (<{target_seconds(rows):g} s)",
    ]
    lines = [header] + [table_line(database, result) for database, result in measured]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    say(f"\nCarga masiva · {rows:,} filas")
    for line in lines:
        say("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def print_notes(notes):
    cores = os.cpu_count() or 0
    say(f"\nNúcleos de la máquina: {cores} (la meta es para {TARGET_CORES} núcleos).")
    for note in notes:
        say(note)


# Main ---------------------------------------------------------------------------------------------


def run_databases(directory, rows, files):
    """Measure on each database; returns (measured, notes, crashed)."""
    measured, notes, crashed = [], [], False
    results = run_sqlite(directory, rows, files)
    crashed |= results is None
    measured += [("SQLite", result) for result in results or []]
    reason = postgres_unavailable()
    if reason:
        note = f"PostgreSQL: se omitió porque no responde en 127.0.0.1:5432 ({reason})."
        say(f"\n{note}")
        notes.append(note)
        return measured, notes, crashed
    results = run_postgres(directory, rows, files)
    crashed |= results is None
    measured += [("PostgreSQL", result) for result in results or []]
    return measured, notes, crashed


def main(argv=None):
    args = parse_args(argv)
    if args.scale not in SCALES:
        print(f"La escala {args.scale} llegará con la compulsa.", file=sys.stderr)
        return 2
    if args.rows < 1:
        print("--rows debe ser al menos 1.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="apoyo-bench-") as name:
        directory = Path(name)
        files = generate(directory, args.rows)
        measured, notes, crashed = run_databases(directory, args.rows, files)
    print_table(args.rows, measured)
    print_notes(notes)
    if crashed:
        say("Alguna medición falló; revise los mensajes de arriba.")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())

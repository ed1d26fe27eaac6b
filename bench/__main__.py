"""`make bench` (python -m bench): DESIGN.md "Performance targets" on SQLite and PostgreSQL.

Three sections, each measured in child processes on SQLite and, when it answers on 127.0.0.1:5432,
on a throwaway PostgreSQL database:

- carga masiva (bench.upload): a XLSX and a CSV of cédula rows, the full upload beside the bare
  file read;
- compulsa (bench.compulsa): a roll cut of Sonora's size and 100,000 supports of four aspirants
  (bench.roll_data); the roll import in rows per second, the compulsa and counting in seconds,
  beside DuckDB doing the same join and count on the same files;
- api (bench.api): supports stored per second through the capture app's API, with 20 concurrent
  clients on gunicorn (without photos), and the CPU each support costs the server and the database.

`--scale national` (bench.national) measures only the compulsa, on PostgreSQL, with a 100
million-row roll of every entity and 1 million supports.

`--only web` (bench.web: 20 simulated users on gunicorn while a 100,000-row upload runs) and
`--only lists` (bench.lists: the list pages with 1 million supports) run only when asked.

The files are generated once per run. `--only arranque|carga|compulsa|api` runs one section. Exits 0 even
when a target is missed; non-zero only when something crashed.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

import psycopg
from psycopg import sql

from bench import national, roll_data, startup, web_report
from bench.data import write_csv, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
SCALES = ["sonora", "national"]
SEED = 2021
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_ROWS = 100_000
TARGET_SECONDS = 5.0
TARGET_READ_RATIO = 3.0  # the carga masiva within 3x the bare read of its file (issue 15)
TARGET_CORES = 2
SECTIONS = ["arranque", "carga", "compulsa", "api"]
# Measured only when asked (--only web, --only lists): minutes each, and a database of their own.
ON_REQUEST = ["web", "lists"]
TARGET_ROLL_ROWS = 2_200_000
TARGET_ROLL_SECONDS = 15.0
TARGET_SUPPORTS = 100_000
TARGET_CHECK_SECONDS = 3.0
# (import seconds, for roll rows, compulsa seconds, for supports) of each scale.
SONORA_TARGETS = (TARGET_ROLL_SECONDS, TARGET_ROLL_ROWS, TARGET_CHECK_SECONDS, TARGET_SUPPORTS)
NATIONAL_TARGETS = (
    national.IMPORT_TARGET_SECONDS,
    national.ROLL_ROWS,
    national.CHECK_TARGET_SECONDS,
    national.SUPPORTS,
)
TARGET_API_RATE = 300  # supports per second through the API, on PostgreSQL
API_CLIENTS = 20
API_SECONDS = 10.0


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Mide la carga masiva, la compulsa y la API de captura en SQLite y PostgreSQL.",
    )
    parser.add_argument(
        "--only",
        choices=SECTIONS + ON_REQUEST,
        help="medir solo una sección (por omisión: carga, compulsa y api)",
    )
    parser.add_argument(
        "--rows", type=int, default=TARGET_ROWS, help="filas de cada archivo de carga masiva"
    )
    parser.add_argument(
        "--roll-rows",
        type=int,
        help="filas del padrón de la compulsa (por omisión, las de la escala)",
    )
    parser.add_argument(
        "--supports", type=int, help="apoyos de la compulsa (por omisión, los de la escala)"
    )
    parser.add_argument(
        "--api-clients", type=int, default=API_CLIENTS, help="clientes concurrentes de la API"
    )
    parser.add_argument(
        "--api-seconds", type=float, default=API_SECONDS, help="segundos de la medición de la API"
    )
    parser.add_argument(
        "--web-seconds", type=float, default=60.0, help="segundos de la medición web"
    )
    parser.add_argument(
        "--scale",
        default="sonora",
        help="sonora (por omisión) o national: solo la compulsa, en PostgreSQL, con un padrón de "
        "100 millones de filas y 1 millón de apoyos",
    )
    args = parser.parse_args(argv)
    national_scale = args.scale == "national"
    if args.roll_rows is None:
        args.roll_rows = national.ROLL_ROWS if national_scale else TARGET_ROLL_ROWS
    if args.supports is None:
        args.supports = national.SUPPORTS if national_scale else TARGET_SUPPORTS
    return args


def say(text=""):
    print(text, flush=True)


# Files --------------------------------------------------------------------------------------------


def generate(directory, rows):
    say(f"Generando los archivos de carga masiva de {rows:,} filas…")
    files = {}
    for file_format, writer in (("XLSX", write_xlsx), ("CSV", write_csv)):
        path = directory / f"apoyos_{rows}.{file_format.lower()}"
        start = perf_counter()
        writer(path, rows, SEED)
        size = path.stat().st_size / 1024 / 1024
        say(f"  {file_format}: {perf_counter() - start:.1f} s, {size:.1f} MB")
        files[file_format] = path
    return files


def generate_roll(directory, roll_rows, supports):
    say(f"Generando el padrón de {roll_rows:,} filas y {supports:,} apoyos para la compulsa…")
    start = perf_counter()
    files = roll_data.write_files(directory, roll_rows, supports, SEED)
    sizes = ", ".join(
        f"{path.name} {path.stat().st_size / 1024 / 1024:.1f} MB" for path in files.values()
    )
    say(f"  {perf_counter() - start:.1f} s ({sizes})")
    return files


# Child runs ---------------------------------------------------------------------------------------


def child_env(database_url, data_dir):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        APOYO_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="apoyo.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_child(label, command, database_url, data_dir):
    """Run a child measurement, streaming its progress; its results, or None when it crashed.

    The child's last stdout line is its JSON; every other line is progress, shown as it comes."""
    say(f"\n{label}:")
    env = child_env(database_url, data_dir)
    results = None
    # The command is this interpreter running a bench module on paths this process created.
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    with child:
        try:
            for line in child.stdout:
                line = line.rstrip("\n")
                if line.startswith("{"):
                    results = json.loads(line)["results"]
                else:
                    say(line)
        except BaseException:
            child.kill()
            raise
    if child.returncode != 0 or results is None:
        say(f"  [{label}] La medición falló (código de salida {child.returncode}).")
        return None
    return results


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


def run_sqlite(directory, section, command):
    url = f"sqlite:///{directory}/bench-{section}.sqlite3"
    command = with_label(command, "SQLite")
    return run_child("SQLite", command, url, directory / f"datos-sqlite-{section}")


def run_postgres(directory, section, command):
    name = f"apoyo_bench_{section}_{os.getpid()}"
    postgres_admin("CREATE DATABASE {}", name)
    try:
        url = f"{POSTGRES_SERVER}/{name}"
        command = with_label(command, "PostgreSQL")
        return run_child("PostgreSQL", command, url, directory / f"datos-postgres-{section}")
    finally:
        postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def run_databases(directory, section, command, postgres_reason):
    """Measure `command` on each database; returns ([(database, results)], crashed).

    The SQLite file and the PostgreSQL database are new for each section."""
    measured, crashed = [], False
    runners = [("SQLite", run_sqlite)]
    if postgres_reason is None:
        runners.append(("PostgreSQL", run_postgres))
    for database, runner in runners:
        results = runner(directory, section, command)
        crashed |= results is None
        if results is not None:
            measured.append((database, results))
    return measured, crashed


def upload_command(rows, files):
    return [
        sys.executable,
        "-m",
        "bench.upload",
        f"--rows={rows}",
        f"--xlsx={files['XLSX']}",
        f"--csv={files['CSV']}",
    ]


def compulsa_command(roll_rows, supports, files):
    return [
        sys.executable,
        "-m",
        "bench.compulsa",
        f"--roll={files['roll']}",
        f"--roll-rows={roll_rows}",
        f"--supports={files['supports']}",
        f"--support-rows={supports}",
    ]


def api_command(clients, seconds):
    return [sys.executable, "-m", "bench.api", f"--clients={clients}", f"--seconds={seconds}"]


def with_label(command, label):
    return [*command, f"--label={label}"]


# Report -------------------------------------------------------------------------------------------


def scaled(target_seconds, target_size, size):
    """A target in seconds, scaled to the size measured."""
    return target_seconds * size / target_size


def rate(rows, seconds):
    return f"{rows / seconds:,.0f}" if seconds > 0 else "—"


def verdict(seconds, target):
    return "cumple" if seconds < target else "no cumple"


def print_table(title, header, lines):
    lines = [header, *lines]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    say(f"\n{title}")
    for line in lines:
        say("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def cpu_ratio(result):
    """The upload's CPU time over the read's, in the bench process (SQLite: all of the work)."""
    read, upload = result.get("read_cpu_seconds"), result.get("upload_cpu_seconds")
    return f"{upload / read:.1f}×" if read and upload else "—"


def print_upload_table(rows, measured):
    target = scaled(TARGET_SECONDS, TARGET_ROWS, rows)
    header = [
        "base de datos",
        "formato",
        "lectura sola",
        "filas/s lectura",
        "carga completa",
        "filas/s carga",
        f"meta (<{target:g} s)",
        "carga/lectura",
        f"meta (≤{TARGET_READ_RATIO:g}×)",
        "carga/lectura en CPU",
    ]
    lines = [
        [
            database,
            result["format"],
            f"{result['read_seconds']:.2f} s",
            rate(rows, result["read_seconds"]),
            f"{result['upload_seconds']:.2f} s",
            rate(rows, result["upload_seconds"]),
            verdict(result["upload_seconds"], target),
            f"{result['upload_seconds'] / result['read_seconds']:.1f}×",
            verdict(result["upload_seconds"], TARGET_READ_RATIO * result["read_seconds"] + 1e-9),
            cpu_ratio(result),
        ]
        for database, results in measured
        for result in results
    ]
    print_table(f"Carga masiva · {rows:,} filas", header, lines)
    say(
        "La razón de la meta es de tiempo; la de CPU (del proceso que carga; en PostgreSQL sin el "
        "trabajo del servidor) es la cifra estable en una máquina compartida."
    )


def print_compulsa_table(roll_rows, supports, measured, targets):
    import_seconds, import_rows, check_seconds, check_supports = targets
    import_target = scaled(import_seconds, import_rows, roll_rows)
    check_target = scaled(check_seconds, check_supports, supports)
    header = [
        "base de datos",
        "importación del padrón",
        "filas/s",
        f"meta (<{import_target:.3g} s)",
        "compulsa + conteo (1.ª / 2.ª)",
        f"meta (<{check_target:.3g} s)",
        "DuckDB",
        "compulsa/DuckDB",
        "DuckDB carga",
    ]
    lines = []
    for database, result in measured:
        first, second = result["check_seconds"]
        duckdb_seconds = result["duckdb_seconds"]
        lines.append(
            [
                database,
                f"{result['import_seconds']:.2f} s",
                rate(roll_rows, result["import_seconds"]),
                verdict(result["import_seconds"], import_target),
                f"{first:.2f} s / {second:.2f} s",
                verdict(second, check_target),
                f"{duckdb_seconds:.3f} s",
                f"{second / duckdb_seconds:,.0f}×" if duckdb_seconds > 0 else "—",
                f"{result['duckdb_load_seconds']:.2f} s",
            ]
        )
    title = (
        f"Compulsa · padrón de {roll_rows:,} filas · {supports:,} apoyos de "
        f"{roll_data.ASPIRANTS} aspirantes"
    )
    print_table(title, header, lines)
    say(
        "La meta y la razón usan la 2.ª compulsa (la 1.ª calienta cachés). DuckDB: en memoria, "
        "mejor de 2; su carga de los CSV no entra en la razón."
    )
    if any(result.get("autovacuum") is False for _, result in measured):
        say(
            "PostgreSQL: el servidor tiene autovacuum desactivado; el benchmark ejecuta ANALYZE "
            "tras guardar los apoyos, como lo haría autovacuum."
        )
    if measured:
        motives = measured[0][1]["motives"]
        shares = ", ".join(f"{m} {100 * n / supports:.1f}%" for m, n in motives.items())
        say(f"Resultado de la compulsa (igual en cada base y en DuckDB): {shares}.")


def print_api_table(clients, measured):
    header = [
        "base de datos",
        "apoyos guardados",
        "segundos",
        "apoyos/s",
        f"meta (≥{TARGET_API_RATE}/s en PostgreSQL)",
        "p50",
        "p95",
        "CPU/apoyo: gunicorn",
        "PostgreSQL",
        "clientes",
        "gunicorn",
    ]
    lines = []
    for database, results in measured:
        result = results[0]
        cpu = result["cpu_ms"]
        target = result["rate"] >= TARGET_API_RATE
        lines.append(
            [
                database,
                f"{result['stored']:,}",
                f"{result['seconds']:.1f} s",
                f"{result['rate']:,.0f}",
                ("cumple" if target else "no cumple") if database == "PostgreSQL" else "—",
                f"{result['p50_ms']:.0f} ms",
                f"{result['p95_ms']:.0f} ms",
                f"{cpu['server']:.1f} ms",
                f"{cpu['database']:.1f} ms" if database == "PostgreSQL" else "—",
                f"{cpu['clients']:.1f} ms",
                f"{result['workers']} procesos",
            ]
        )
    print_table(f"API de captura · {clients} clientes concurrentes · sin imágenes", header, lines)
    say(
        "Apoyos guardados (contados en la base) entre segundos. CPU/apoyo: tiempo de CPU de los "
        "procesos de gunicorn, de los procesos de PostgreSQL de la prueba y de los clientes, "
        "entre los apoyos guardados; en SQLite la base trabaja dentro de gunicorn. Los clientes "
        "corren en la misma máquina y le quitan CPU al servidor."
    )
    cores = os.cpu_count() or 1
    for database, results in measured:
        cpu = results[0]["cpu_ms"]
        per_support = cpu["server"] + cpu["database"] + cpu["clients"]
        if per_support > 0:
            say(
                f"{database}: con sus {cores} núcleos solo para esta prueba, ese CPU por apoyo "
                f"alcanzaría para unos {cores * 1000 / per_support:,.0f} apoyos/s."
            )


def print_notes(notes):
    cores = os.cpu_count() or 0
    say(f"\nNúcleos de la máquina: {cores} (las metas son para {TARGET_CORES} núcleos).")
    for note in notes:
        say(note)


# Main ---------------------------------------------------------------------------------------------


def check_args(args):
    """The Spanish message of an unusable argument, or None."""
    if args.scale not in SCALES:
        return f"La escala {args.scale} no existe; use --scale sonora o --scale national."
    if args.scale == "national" and args.only not in (None, "compulsa"):
        return "La escala nacional mide solo la compulsa."
    for name, value in (
        ("--rows", args.rows),
        ("--roll-rows", args.roll_rows),
        ("--supports", args.supports),
    ):
        if value < 1:
            return f"{name} debe ser al menos 1."
    if args.api_clients < 1 or args.api_seconds <= 0:
        return "--api-clients debe ser al menos 1 y --api-seconds mayor que cero."
    if args.supports > args.roll_rows // 2:
        return "--supports debe ser a lo más la mitad de --roll-rows."
    return None


def run_upload_section(directory, args, postgres_reason):
    files = generate(directory, args.rows)
    command = upload_command(args.rows, files)
    return run_databases(directory, "carga", command, postgres_reason)


def run_compulsa_section(directory, args, postgres_reason):
    files = generate_roll(directory, args.roll_rows, args.supports)
    command = compulsa_command(args.roll_rows, args.supports, files)
    return run_databases(directory, "compulsa", command, postgres_reason)


def run_national_section(directory, args, postgres_reason):
    """The compulsa at the national scale, on PostgreSQL only (bench.national)."""
    files = national.generate(directory, args.roll_rows, args.supports, SEED, say)
    command = [*compulsa_command(args.roll_rows, args.supports, files), f"--geo={files['geo']}"]
    results = run_postgres(directory, "nacional", command)
    if results is None:
        return [], True
    return [("PostgreSQL", results)], False


def run_web_section(directory, args, postgres_reason):
    """20 simulated users on gunicorn while a 100,000-row carga masiva runs (bench.web)."""
    supports = min(web_report.WEB_SUPPORTS, args.roll_rows // 2)
    files = generate_roll(directory, args.roll_rows, supports)
    say(f"Generando la carga masiva simultánea de {TARGET_ROWS:,} filas…")
    files["XLSX"] = directory / "carga_web.xlsx"
    write_xlsx(files["XLSX"], TARGET_ROWS, SEED + 1)
    command = web_report.web_command(args.roll_rows, supports, files, args.web_seconds)
    return run_databases(directory, "web", command, postgres_reason)


def run_lists_section(directory, args, postgres_reason):
    """The lists with a million supports in the entity (bench.lists)."""
    supports = web_report.LISTS_SUPPORTS
    roll_rows = max(args.roll_rows, web_report.LISTS_ROLL_ROWS)
    files = generate_roll(directory, roll_rows, supports)
    command = web_report.lists_command(roll_rows, supports, files)
    return run_databases(directory, "lists", command, postgres_reason)


def run_startup_section(directory, args, postgres_reason):
    """Start-up of manage.py as a whole process (bench.startup), on SQLite: the time is Python's."""
    return startup.measure(directory, say), False


def run_api_section(directory, args, postgres_reason):
    command = api_command(args.api_clients, args.api_seconds)
    return run_databases(directory, "api", command, postgres_reason)


def stop_on_sigterm():
    """Turn SIGTERM into SystemExit, so the throwaway PostgreSQL database is still dropped."""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


def main(argv=None):
    args = parse_args(argv)
    stop_on_sigterm()
    problem = check_args(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    national_scale = args.scale == "national"
    sections = ["compulsa"] if national_scale else [args.only] if args.only else SECTIONS
    notes, crashed = [], False
    postgres_reason = postgres_unavailable()
    if national_scale and postgres_reason:
        print(
            f"La escala nacional necesita PostgreSQL en 127.0.0.1:5432 ({postgres_reason}).",
            file=sys.stderr,
        )
        return 2
    if postgres_reason:
        notes.append(
            f"PostgreSQL: se omitió porque no responde en 127.0.0.1:5432 ({postgres_reason})."
        )
        say(notes[-1])
    measured = {}
    with tempfile.TemporaryDirectory(prefix="apoyo-bench-") as name:
        directory = Path(name)
        runners = {
            "arranque": run_startup_section,
            "carga": run_upload_section,
            "compulsa": run_national_section if national_scale else run_compulsa_section,
            "api": run_api_section,
            "web": run_web_section,
            "lists": run_lists_section,
        }
        for section in sections:
            say(f"\n== {section.capitalize()} ==")
            measured[section], failed = runners[section](directory, args, postgres_reason)
            crashed |= failed
    if "arranque" in measured:
        lines = startup.table_lines(measured["arranque"])
        print_table("Arranque de manage.py", startup.HEADER, lines)
        say(startup.NOTE)
    if "carga" in measured:
        print_upload_table(args.rows, measured["carga"])
    if "compulsa" in measured:
        targets = NATIONAL_TARGETS if national_scale else SONORA_TARGETS
        print_compulsa_table(args.roll_rows, args.supports, measured["compulsa"], targets)
    if "api" in measured:
        print_api_table(args.api_clients, measured["api"])
    if "web" in measured:
        supports = min(web_report.WEB_SUPPORTS, args.roll_rows // 2)
        web_report.print_web_table(print_table, say, supports, measured["web"])
    if "lists" in measured:
        web_report.print_lists_table(print_table, web_report.LISTS_SUPPORTS, measured["lists"])
    print_notes(notes)
    if crashed:
        say("Alguna medición falló; revise los mensajes de arriba.")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())

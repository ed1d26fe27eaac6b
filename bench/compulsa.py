"""Child process of `make bench`: time the roll import and the compulsa on DATABASE_URL's database.

The parent sets DATABASE_URL and APOYO_DATA_DIR (a temporary directory) and passes the files of
bench.roll_data. This process migrates the database, loads Sonora's geography, times import_roll,
creates an office with four aspirants, inserts the supports directly (this measures the
compulsa, not the upload), and times run_check twice. Then DuckDB, in memory, loads the same two
files and runs one SQL doing the same join, classification, first-support-wins and counting: the
reference of what the hardware allows. Both counts must agree. Progress goes to stdout in
Spanish; the last line of stdout is the JSON the parent reads.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from time import perf_counter

import django
import duckdb
import polars as pl

from bench import migrate_every_database
from bench.roll_data import (
    ASPIRANTS,
    CUT_DATE,
    ROLL_COLUMNS,
    SECTIONS_FILE,
    STATE,
    SUPPORT_COLUMNS,
)

VALID = ""  # the motivo of a valid support


def say(label, text):
    print(f"  [{label}] {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mide la compulsa en una base de datos.")
    parser.add_argument("--label", required=True, help="nombre de la base de datos en el reporte")
    parser.add_argument("--roll", type=Path, required=True, help="CSV del padrón")
    parser.add_argument("--roll-rows", type=int, required=True, help="filas del padrón")
    parser.add_argument("--supports", type=Path, required=True, help="CSV de los apoyos")
    parser.add_argument("--support-rows", type=int, required=True, help="filas de apoyos")
    parser.add_argument("--geo", type=Path, help="catálogo de secciones (por omisión, Sonora)")
    return parser.parse_args(argv)


def timed(function, *args):
    start = perf_counter()
    value = function(*args)
    return value, perf_counter() - start


def setup_django(label, geo_path=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    django.setup()
    from django.db import connection

    from apoyo.geo.services import SONORA_CATALOGUE, import_geo

    say(label, f"Migrando la base de datos ({connection.vendor}) y cargando la geografía…")
    start = perf_counter()
    migrate_every_database()
    import_geo(geo_path or SONORA_CATALOGUE)
    say(label, f"Base de datos lista en {perf_counter() - start:.1f} s.")


# Roll ---------------------------------------------------------------------------------------------


def import_roll_file(label, path, rows):
    from apoyo.roll.services import import_roll

    say(label, f"Importando el padrón de {rows:,} filas…")
    counts, seconds = timed(import_roll, path, CUT_DATE)
    if counts["read"] != rows or counts["imported"] != rows or counts["rejected"]:
        raise SystemExit(
            f"La importación leyó {counts['read']:,} filas, importó {counts['imported']:,} y "
            f"rechazó {counts['rejected']:,}; se esperaban {rows:,} importadas."
        )
    say(
        label,
        f"Padrón importado en {seconds:.2f} s ({rows / seconds:,.0f} filas/s, "
        f"{counts['ln_sections']:,} secciones con Lista Nominal).",
    )
    return seconds


# Supports -----------------------------------------------------------------------------------------


def make_office():
    """A state-wide office of Sonora (3% of the Lista Nominal, half of the municipalities at 1%)
    with ASPIRANTS aspirants; returns (office, {aspirant number in the file: aspirant})."""
    from apoyo.testing.factories import make_aspirant
    from apoyo.testing.factories import make_office as new_office

    office = new_office(
        scope_type="state",
        threshold_percent=3,
        dispersion_unit="municipality",
        dispersion_min_units_fraction="0.5",
        dispersion_min_percent=1,
    )
    return office, {number: make_aspirant(office) for number in range(1, ASPIRANTS + 1)}


def read_supports(path):
    """The supports file; empty fields are empty strings (no inconsistency: "")."""
    frame = pl.read_csv(path, infer_schema=False).with_columns(pl.all().fill_null(""))
    return frame.with_columns(pl.col("CAPTURA", "ASPIRANTE").cast(pl.Int64))


def insert_cedulas(frame, aspirants, now):
    """One Cedula per (aspirant, CEDULA) of the file, dated by its supports' day; returns
    {(aspirant number, reference): cedula id}."""
    from apoyo.core.bulk import insert_rows
    from apoyo.supports.models import Cedula

    sheets = frame.group_by("ASPIRANTE", "CEDULA").agg(pl.col("FECHA_APOYO").min()).sort("CEDULA")
    rows = (
        (aspirants[number].pk, reference, day, None, now)
        for number, reference, day in sheets.iter_rows()
    )
    columns = ["aspirant_id", "reference", "date", "created_by_id", "created_at"]
    insert_rows(Cedula._meta.db_table, columns, rows)
    number_of = {aspirant.pk: number for number, aspirant in aspirants.items()}
    found = Cedula.objects.filter(aspirant__in=aspirants.values())
    return {
        (number_of[aspirant_id], reference): pk
        for aspirant_id, reference, pk in found.values_list("aspirant_id", "reference", "pk")
    }


def insert_supports(frame, aspirants):
    """Every row of the file as a preliminary bulk support, in capture order (so ids keep it)."""
    from django.db import transaction
    from django.utils import timezone

    from apoyo.core.bulk import db_datetime, insert_rows
    from apoyo.supports.models import Channel, Inconsistency, Status, Support
    from apoyo.uploads.services import SUPPORT_COLUMNS as COLUMNS

    now = db_datetime(timezone.now())
    codes = dict(Inconsistency.objects.values_list("code", "pk"))
    with transaction.atomic():
        cedulas = insert_cedulas(frame, aspirants, now)
        fields = ["ASPIRANTE", "CEDULA", *SUPPORT_COLUMNS[3:]]
        rows = (
            (
                aspirants[number].pk,
                cedulas[number, reference],
                Channel.BULK.value,
                name,
                paternal,
                maternal,
                key,
                ocr,
                codes[code] if code else None,
                "",
                day,
                now,
                None,
                Status.PRELIMINARY.value,
                "",
                None,
            )
            for number, reference, name, paternal, maternal, key, ocr, code, day in frame.select(
                fields
            ).iter_rows()
        )
        return insert_rows(Support._meta.db_table, COLUMNS, rows)


def load_supports(label, path, rows, aspirants):
    frame = read_supports(path)
    stored, seconds = timed(insert_supports, frame, aspirants)
    if stored != rows:
        raise SystemExit(f"Se guardaron {stored:,} apoyos de {rows:,}.")
    say(label, f"{stored:,} apoyos guardados directamente en {seconds:.2f} s (no se mide).")


def analyze(label):
    """On PostgreSQL, gather the planner statistics of the freshly loaded tables, as autovacuum
    does on a running server within a minute of a large load. Without them the planner takes the
    new tables for nearly empty and the compulsa's joins go quadratic (minutes instead of
    seconds). Returns whether autovacuum is on, or None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0] == "on"
        start = perf_counter()
        cursor.execute("ANALYZE")
    state = "activo" if autovacuum else "desactivado en este servidor"
    say(
        label,
        f"ANALYZE de la base en {perf_counter() - start:.2f} s (no se mide; autovacuum {state}).",
    )
    return autovacuum


# Compulsa -----------------------------------------------------------------------------------------


def check(label, office, rows, attempt):
    from apoyo.verification.services import run_check

    run, seconds = timed(run_check, office)
    if run.status != "done" or run.supports != rows:
        raise SystemExit(
            f"La compulsa terminó en estado «{run.status}» con {run.supports:,} apoyos de "
            f"{rows:,}: {run.message}"
        )
    say(label, f"Compulsa y conteo ({attempt}): {seconds:.2f} s.")
    return run, seconds


def app_counts(run, aspirants):
    """{(aspirant number, motivo): supports} and {(aspirant number, municipality): valid} of the
    run, as the results pages show them."""
    from apoyo.verification.models import AspirantResult, UnitResult

    number_of = {aspirant.pk: number for number, aspirant in aspirants.items()}
    motives, units = {}, {}
    for result in AspirantResult.objects.filter(run=run):
        number = number_of[result.aspirant_id]
        motives[number, VALID] = result.valid
        for motive, count in result.motive_counts.items():
            if count:
                motives[number, motive] = count
    for result in UnitResult.objects.filter(run=run, valid__gt=0):
        units[number_of[result.aspirant_id], result.unit_number] = result.valid
    return motives, units


# DuckDB -------------------------------------------------------------------------------------------

ROLL_TYPES = dict.fromkeys(ROLL_COLUMNS, "VARCHAR") | {
    "FECHA_NACIMIENTO": "DATE",
    "ENTIDAD": "INTEGER",
    "SECCION": "INTEGER",
}
SUPPORT_TYPES = dict.fromkeys(SUPPORT_COLUMNS, "VARCHAR") | {
    "CAPTURA": "INTEGER",
    "ASPIRANTE": "INTEGER",
    "FECHA_APOYO": "DATE",
}
SECTION_TYPES = {
    "ENTIDAD": "INTEGER",
    "SECCION": "INTEGER",
    "MUNICIPIO": "INTEGER",
    "NOMBRE_MUNICIPIO": "VARCHAR",
    "DISTRITO_LOCAL": "INTEGER",
    "DISTRITO_FEDERAL": "INTEGER",
    "TIPO_SECCION": "VARCHAR",
}

# The compulsa of one state-wide office in one statement: join to the roll, classify, the
# earliest otherwise-valid support of each citizen counts (by date, then capture order), then
# count per aspirant and motivo, and the valid ones per aspirant and municipality.
DUCKDB_SQL = """
WITH classified AS (
    SELECT s.CAPTURA AS capture, s.ASPIRANTE AS aspirant, s.CLAVE_ELECTOR AS elector_key,
           s.FECHA_APOYO AS support_date, g.MUNICIPIO AS municipality,
           CASE
               WHEN s.TIPO_INCONSISTENCIA IS NOT NULL THEN 'INCONSISTENCIA'
               WHEN r.SITUACION IS NULL THEN 'NO_ENCONTRADO'
               WHEN r.SITUACION IN ('BAJA', 'PADRON') THEN r.SITUACION
               WHEN g.SECCION IS NULL THEN 'FUERA_AMBITO'
               ELSE ''
           END AS motive0
    FROM supports s
    LEFT JOIN roll r ON r.CLAVE_ELECTOR = s.CLAVE_ELECTOR
    LEFT JOIN sections g
        ON g.ENTIDAD = ? AND g.ENTIDAD = r.ENTIDAD AND g.SECCION = r.SECCION
),
ranked AS (
    SELECT c.*,
           ROW_NUMBER() OVER citizen AS rank_in_citizen,
           FIRST_VALUE(aspirant) OVER citizen AS first_aspirant
    FROM classified c
    WINDOW citizen AS (PARTITION BY elector_key, motive0 ORDER BY support_date, capture)
),
decided AS (
    SELECT aspirant,
           CASE WHEN motive0 <> '' THEN motive0
                WHEN rank_in_citizen = 1 THEN ''
                WHEN first_aspirant = aspirant THEN 'DUPLICADO_MISMO'
                ELSE 'DUPLICADO_OTRO' END AS motive,
           CASE WHEN motive0 = '' AND rank_in_citizen = 1 THEN municipality END AS municipality
    FROM ranked
)
SELECT aspirant, motive, municipality, GROUPING(municipality) AS per_motive, COUNT(*) AS supports
FROM decided
GROUP BY GROUPING SETS ((aspirant, motive), (aspirant, municipality))
HAVING GROUPING(municipality) = 1 OR municipality IS NOT NULL
"""


def read_csv_sql(types):
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
    return f"SELECT * FROM read_csv(?, header = true, columns = {{{columns}}})"  # noqa: S608


def duckdb_load(database, roll_path, supports_path):
    for table, path, types in (
        ("roll", roll_path, ROLL_TYPES),
        ("supports", supports_path, SUPPORT_TYPES),
        ("sections", SECTIONS_FILE, SECTION_TYPES),
    ):
        database.execute(f"CREATE TABLE {table} AS {read_csv_sql(types)}", [str(path)])


def duckdb_counts(database):
    motives, units = {}, {}
    rows = database.execute(DUCKDB_SQL, [STATE]).fetchall()
    for aspirant, motive, municipality, per_motive, count in rows:
        if per_motive:
            motives[aspirant, motive] = count
        else:
            units[aspirant, municipality] = count
    return motives, units


def measure_duckdb(label, roll_path, supports_path):
    """(load seconds, best query seconds of two, counts) of DuckDB in memory."""
    database = duckdb.connect()
    _, load_seconds = timed(duckdb_load, database, roll_path, supports_path)
    say(label, f"DuckDB: archivos cargados en memoria en {load_seconds:.2f} s (no se compara).")
    runs = [timed(duckdb_counts, database) for _ in range(2)]
    counts, query_seconds = min(runs, key=lambda run: run[1])
    say(label, f"DuckDB: misma compulsa y conteo en {query_seconds:.2f} s (mejor de 2).")
    database.close()
    return load_seconds, query_seconds, counts


def compare(label, app, reference):
    """Stop the benchmark when the application and DuckDB disagree on any count."""
    for name, mine, theirs in zip(("motivo", "municipio"), app, reference, strict=True):
        mine = {key: count for key, count in mine.items() if count}
        if mine != theirs:
            keys = sorted(set(mine) | set(theirs), key=str)
            differ = [k for k in keys if mine.get(k, 0) != theirs.get(k, 0)][:5]
            shown = "; ".join(f"{k}: {mine.get(k, 0)} vs {theirs.get(k, 0)}" for k in differ)
            raise SystemExit(f"La compulsa y DuckDB no coinciden por {name}: {shown}")
    say(label, "Los conteos de la compulsa y de DuckDB coinciden.")


def motive_totals(motives):
    totals = {}
    for (_, motive), count in motives.items():
        totals[motive or "VALIDO"] = totals.get(motive or "VALIDO", 0) + count
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


# Main ---------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    label = args.label
    setup_django(label, args.geo)
    import_seconds = import_roll_file(label, args.roll, args.roll_rows)
    office, aspirants = make_office()
    load_supports(label, args.supports, args.support_rows, aspirants)
    autovacuum = analyze(label)
    run, first = check(label, office, args.support_rows, "1.ª vez")
    run, second = check(label, office, args.support_rows, "2.ª vez")
    app = app_counts(run, aspirants)
    load_seconds, duckdb_seconds, reference = measure_duckdb(label, args.roll, args.supports)
    compare(label, app, reference)
    totals = motive_totals(app[0])
    say(label, "Resultado: " + ", ".join(f"{m} {n:,}" for m, n in totals.items()) + ".")
    result = {
        "roll_rows": args.roll_rows,
        "supports": args.support_rows,
        "import_seconds": import_seconds,
        "check_seconds": [first, second],
        "duckdb_load_seconds": load_seconds,
        "duckdb_seconds": duckdb_seconds,
        "motives": totals,
        "autovacuum": autovacuum,
    }
    print(json.dumps({"database": label, "results": result}), flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""Child process of `make bench ONLY=lists`: the lists at a million supports in one entity.

The parent sets DATABASE_URL and APOYO_DATA_DIR and passes bench.roll_data's roll and supports
files. This process imports the roll, stores the supports directly (bench.web_data), runs the
compulsa (neither measured here) and asks each list page in-process through Django's test
client, signed in as the role that sees it: the OPL's supports list (first page, a name search, a
far page, the last page), the mesa de control queue and the aspirant portal (first page, a
search), before the compulsa and again after it; then an aspirant's results (first page, last
page, one motivo). It prints p50/p95 per page; the last stdout line is the JSON the parent
reads.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from time import perf_counter

from bench.api import percentile
from bench.web_data import build, refresh_statistics, setup_django

REQUESTS = 10
WARM_UP = 1
TARGET_MS = 200
# (page, role of the user who asks it, path)
PAGES = [
    ("lista de apoyos", "admin", "/apoyos/"),
    ("lista: búsqueda por nombre", "admin", "/apoyos/?q=garcia+maria"),
    ("lista: búsqueda por clave", "admin", "/apoyos/?q=GRLP"),
    ("lista: página 1000", "admin", "/apoyos/?page=1000"),
    # A page number past the end is the last page: the oldest supports.
    ("lista: última página", "admin", "/apoyos/?page=999999"),
    ("tablero", "admin", "/tablero/"),
    ("mesa de control", "reviewer", "/mesa/"),
    ("mesa: búsqueda", "reviewer", "/mesa/?q=lopez"),
    ("mesa: última página", "reviewer", "/mesa/?page=999999"),
    ("portal del aspirante", "aspirant", "/portal/"),
    ("portal: búsqueda", "aspirant", "/portal/?q=munoz"),
    ("portal: pendientes", "aspirant", "/portal/?state=pending"),
]
AFTER_COMPULSA = "(tras la compulsa)"


def say(label, text):
    print(f"  [{label}] {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mide las listas con un millón de apoyos.")
    parser.add_argument("--label", required=True)
    parser.add_argument("--roll", type=Path, required=True)
    parser.add_argument("--roll-rows", type=int, required=True)
    parser.add_argument("--supports", type=Path, required=True)
    parser.add_argument("--support-rows", type=int, required=True)
    return parser.parse_args(argv)


# The bench inserts supports with the carga masiva's column list but without search_name, and its
# names are already written as INE writes them (upper case, no accents, Ñ kept): this is
# core.search.search_text of such a name, in SQL, so the searches find what they would in use.
FILL_SEARCH_NAME = (
    "UPDATE supports_support SET search_name = TRIM(REPLACE(REPLACE("
    "paternal_surname || ' ' || maternal_surname || ' ' || name, '  ', ' '), 'Ñ', 'N'))"
)


def fill_search_names(label):
    from django.db import connection, transaction

    start = perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FILL_SEARCH_NAME)
        filled = cursor.rowcount
    say(label, f"{filled:,} nombres para búsqueda escritos en {perf_counter() - start:.1f} s.")
    refresh_statistics(label, say)


def run_compulsa(label, office_id):
    from apoyo.processes.models import Office
    from apoyo.verification.services import run_check

    start = perf_counter()
    run = run_check(Office.objects.get(pk=office_id))
    say(label, f"Compulsa {run.pk} en {perf_counter() - start:.1f} s (se mide en ONLY=compulsa).")


def result_pages(aspirant_id):
    """An aspirant's results in the compulsa, as the OPL reads them (their largest list)."""
    path = f"/resultados/aspirantes/{aspirant_id}/"
    return [
        ("resultados del aspirante", "admin", path),
        ("resultados: última página", "admin", f"{path}?page=999999"),
        ("resultados: un motivo", "admin", f"{path}?motivo=INCONSISTENCIA"),
    ]


def clients(world):
    from django.test import Client

    from apoyo.accounts.models import User

    usernames = {
        "admin": world.admins[0],
        "reviewer": world.reviewers[0],
        "aspirant": world.aspirants[0][0],
    }
    signed_in = {}
    for role, username in usernames.items():
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        signed_in[role] = client
    return signed_in


def measure(label, client, page, path):
    times = []
    for attempt in range(WARM_UP + REQUESTS):
        start = perf_counter()
        response = client.get(path)
        seconds = perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{page}: HTTP {response.status_code} en {path}")
        if attempt >= WARM_UP:
            times.append(seconds)
    p50, p95 = 1000 * percentile(times, 0.5), 1000 * percentile(times, 0.95)
    say(label, f"{page}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    return {"page": page, "p50_ms": p50, "p95_ms": p95, "target_ms": TARGET_MS}


def main(argv=None):
    args = parse_args(argv)
    os.environ["APOYO_MFA_REQUIRED"] = "0"
    setup_django(args.label)
    files = {"roll": args.roll, "supports": args.supports}
    world = build(args.label, say, files, args.roll_rows, args.support_rows, (0, 1, 1, 1), 0)
    fill_search_names(args.label)
    signed_in = clients(world)
    results = [measure(args.label, signed_in[role], page, path) for page, role, path in PAGES]
    # Once a compulsa judged them, the summaries count the verified supports as well.
    run_compulsa(args.label, world.office_id)
    after = [(f"{page} {AFTER_COMPULSA}", role, path) for page, role, path in PAGES]
    pages = after + result_pages(world.aspirant_ids[0])
    results += [measure(args.label, signed_in[role], page, path) for page, role, path in pages]
    print(json.dumps({"database": args.label, "results": results}), flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""Child process of `make bench ONLY=web`: the web under load on the database of DATABASE_URL.

The parent sets DATABASE_URL and APOYO_DATA_DIR and passes bench.roll_data's files and a 100,000-row
XLSX. This process builds a Sonora-scale database (bench.web_data: the roll, the supports, a share
of them in the mesa de control, the accounts), starts gunicorn (as in production, no debug) and the
job worker (`manage.py db_worker`, as scripts/serve.sh), registers the XLSX's carga masiva, and lets
the simulated users of bench.web_users work for `--seconds` on 127.0.0.1 while the worker stores
it. It does so once per value of `--pauses`: the users' mean pause between requests, 1 s (people
twenty times quicker than a capturista typing a row) and then 0 (the stress run: every user sends
its next request the moment the last one is answered, so the two cores are saturated whatever
the code does), each run with an upload of its own. It prints p50/p95/p99 and errors per page
type; the last stdout line is the JSON the parent reads.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from time import perf_counter

from bench import web_users
from bench.api import free_port, percentile, stop_server, wait_for
from bench.web_data import build, setup_django

ROOT = Path(__file__).resolve().parent.parent
# (capturists, reviewers, aspirants, admins) and phones: the mix of 20 users.
MIX = (8, 4, 3, 1)
PHONES = 4
SAVES = frozenset({"abrir cédula", "guardar fila", "aceptar", "API: envío", "entrar"})
PAGE_TARGET_MS = 200
WARM_UP_SECONDS = 10.0
SAVE_TARGET_MS = 300


def say(label, text):
    print(f"  [{label}] {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mide las páginas con usuarios concurrentes.")
    parser.add_argument("--label", required=True)
    parser.add_argument("--roll", type=Path, required=True)
    parser.add_argument("--roll-rows", type=int, required=True)
    parser.add_argument("--supports", type=Path, required=True)
    parser.add_argument("--support-rows", type=int, required=True)
    parser.add_argument("--xlsx", type=Path, required=True, help="la carga masiva simultánea")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--pauses", default="1,0", help="pausa media entre solicitudes de cada corrida (s)"
    )
    parser.add_argument("--workers", type=int, default=2, help="procesos de gunicorn")
    parser.add_argument("--threads", type=int, default=2, help="hilos por proceso")
    return parser.parse_args(argv)


def server_env():
    from bench.api import server_env as api_env

    env = api_env()
    env["APOYO_MFA_REQUIRED"] = "0"  # the simulated staff sign in with their password only
    return env


def start_server(port, workers, threads, log):
    """gunicorn as bench.api starts it (gthread, keep-alive), its errors into `log`."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "apoyo.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    # The command is this interpreter running gunicorn on the project's own WSGI module.
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=server_env(), stdout=log, stderr=log, start_new_session=True
    )


def start_worker(log):
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    # The command is this interpreter running the project's own job worker.
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=server_env(), stdout=log, stderr=log, start_new_session=True
    )


def start_upload(world, path, run):
    """Register the XLSX's carga masiva for an aspirant of its own (so that no row is already
    registered) and queue it for the worker, as the upload page does."""
    from apoyo.accounts.models import User
    from apoyo.aspirants.models import Aspirant
    from apoyo.uploads.services import register_upload
    from apoyo.uploads.tasks import process_upload

    user = User.objects.get(username=world.capturists[0])
    aspirant = Aspirant.objects.create(
        office_id=world.office_id,
        code=f"A-CARGA-{run}",
        name="CARGA",
        paternal_surname="MASIVA",
        email="c@e.org",
    )
    with open(path, "rb") as source:
        upload = register_upload(user, aspirant, source, path.name)
    process_upload.enqueue(upload.pk)
    return upload.pk


def upload_state(pk):
    from apoyo.supports.models import Upload

    upload = Upload.objects.get(pk=pk)
    return upload.status, upload.stored, upload.rows_read


def make_users(port, world, deadline, start_event, results, ready, pause):
    from django.utils import timezone

    captured_at = timezone.localtime(timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    common = {
        "start_event": start_event,
        "deadline": deadline,
        "results": results,
        "ready": ready,
        "pause": pause,
    }
    users = [
        *(web_users.Capturist(port, world, name, n, **common) for n, name in enumerate(world.capturists)),
        *(web_users.Reviewer(port, world, name, 100 + n, **common) for n, name in enumerate(world.reviewers)),
        *(web_users.Admin(port, world, name, 200 + n, **common) for n, name in enumerate(world.admins)),
    ]  # fmt: skip
    for n, (name, aspirant_id) in enumerate(world.aspirants):
        users.append(
            web_users.Aspirant(port, world, name, 300 + n, aspirant_id=aspirant_id, **common)
        )
    for n, key in enumerate(world.api_keys):
        users.append(web_users.Phone(port, world, "", 400 + n, key=key, captured_at=captured_at, **common))  # fmt: skip
    return users


def summarise(results):
    """{kind: {n, p50_ms, p95_ms, p99_ms, errors, first_errors, target_ms}}."""
    kinds = {}
    for kind, seconds, error in results:
        entry = kinds.setdefault(kind, {"times": [], "errors": []})
        entry["times"].append(seconds)
        if error:
            entry["errors"].append(error)
    summary = {}
    for kind, entry in sorted(kinds.items()):
        times = entry["times"]
        summary[kind] = {
            "n": len(times),
            "p50_ms": 1000 * percentile(times, 0.50),
            "p95_ms": 1000 * percentile(times, 0.95),
            "p99_ms": 1000 * percentile(times, 0.99),
            "errors": len(entry["errors"]),
            "first_errors": sorted(set(entry["errors"]))[:3],
            "target_ms": SAVE_TARGET_MS if kind in SAVES else PAGE_TARGET_MS,
        }
    return summary


def start_users(port, world, pause):
    """The 20 users started and signed in, waiting for the clock: (users, start, deadline,
    results)."""
    results, start_event, deadline = [], threading.Event(), [0.0]
    people = [world.capturists, world.reviewers, world.admins, world.aspirants, world.api_keys]
    ready = threading.Barrier(sum(map(len, people)) + 1)
    users = make_users(port, world, deadline, start_event, results, ready, pause)
    for user in users:
        user.start()
    ready.wait()
    return users, start_event, deadline, results


def let_work(users, start_event, deadline, seconds):
    deadline[0] = perf_counter() + seconds
    start_event.set()
    for user in users:
        user.join(timeout=seconds + 180)


def warm_up(label, world, port):
    """The whole mix for a few seconds, not recorded, before the measured runs: every gunicorn
    worker has then loaded its views and compiled its templates, as a server in service has (the
    first requests of a cold worker took up to half a second)."""
    users, start_event, deadline, _ = start_users(port, world, pause=0)
    let_work(users, start_event, deadline, WARM_UP_SECONDS)
    say(label, f"Servidor en calor: {WARM_UP_SECONDS:g} s de todas las páginas, sin medir.")


def run_load(label, args, world, port, pause, run):
    users, start_event, deadline, results = start_users(port, world, pause)
    say(
        label,
        f"{len(users)} usuarios entraron ({pace(pause)}); "
        f"la carga masiva de {args.xlsx.name} en cola.",
    )
    upload_pk = start_upload(world, args.xlsx, run)
    began = time.monotonic()
    let_work(users, start_event, deadline, args.seconds)
    status, stored, read = upload_state(upload_pk)
    say(
        label,
        f"Al terminar ({time.monotonic() - began:.0f} s): carga en estado «{status}», "
        f"{stored:,} guardadas de {read:,} leídas.",
    )
    return results, status


def pace(pause):
    if not pause:
        return "sin pausas: prueba de esfuerzo"
    return f"pausa media de {pause:g} s entre solicitudes"


def locked_in(log_path):
    text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    return text.count("database is locked")


def measured_run(label, args, world, port, log_path, pause, run):
    """One load of the users at this pause: its summary, as the parent's table reads it."""
    locked_before = locked_in(log_path)
    results, upload_status = run_load(label, args, world, port, pause, run)
    summary = summarise(results)
    for kind, entry in summary.items():
        say(
            label,
            f"{kind}: {entry['n']:,} solicitudes, p50 {entry['p50_ms']:.0f} ms, p95 "
            f"{entry['p95_ms']:.0f} ms, p99 {entry['p99_ms']:.0f} ms, {entry['errors']} errores "
            + "; ".join(entry["first_errors"]),
        )
    return {
        "pages": summary,
        "pause": pause,
        "locked": locked_in(log_path) - locked_before,
        "upload_status": upload_status,
        "seconds": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
    }


def main(argv=None):
    args = parse_args(argv)
    label = args.label
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    setup_django(label)
    files = {"roll": args.roll, "supports": args.supports}
    world = build(label, say, files, args.roll_rows, args.support_rows, MIX, PHONES)
    port = free_port()
    log_path = Path(os.environ["APOYO_DATA_DIR"]) / "servidor.log"
    pauses = [float(value) for value in args.pauses.split(",")]
    with open(log_path, "w") as log:
        server = start_server(port, args.workers, args.threads, log)
        worker = start_worker(log)
        try:
            wait_for(server, port)
            warm_up(label, world, port)
            runs = [
                measured_run(label, args, world, port, log_path, pause, run)
                for run, pause in enumerate(pauses)
            ]
        finally:
            stop_server(server)
            stop_server(worker)
    print(json.dumps({"database": label, "results": runs}), flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    sys.exit(main())

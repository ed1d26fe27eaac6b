"""Child process of `make bench`: supports stored per second through the capture app's API.

The parent sets DATABASE_URL and APOYO_DATA_DIR (a temporary directory). This process migrates
that database, creates an office whose collection period runs around today, an aspirant and one
auxiliary (with an API token) per client, and starts gunicorn on a free port with the project's
WSGI application (one single-threaded gthread worker per core, which keeps connections alive).
Then `--clients` threads, each with its own keep-alive HTTP connection, send
POST /api/v1/supports/ (multipart, without photos: APOYO_APP_REQUIRE_IMAGES=0) for `--seconds`;
every answer must be 201. The figure is the supports found stored in the database divided by the
time. Throttling is switched off (one address sends thousands a minute). Progress goes to stdout
in Spanish; the last line of stdout is the JSON the parent reads.
"""

import argparse
import datetime
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from time import perf_counter

import django

from bench import migrate_every_database

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "apoyo-bench-8f2c1d"
WARM_UP_REQUESTS = 5
SERVER_START_SECONDS = 60


def say(label, text):
    print(f"  [{label}] {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mide la API de captura con gunicorn.")
    parser.add_argument("--label", required=True, help="nombre de la base de datos en el reporte")
    parser.add_argument("--clients", type=int, default=20, help="clientes concurrentes")
    parser.add_argument("--seconds", type=float, default=10.0, help="duración de la medición")
    parser.add_argument(
        "--workers", type=int, default=0, help="procesos de gunicorn (0: uno por núcleo)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="hilos por proceso de gunicorn",
    )
    return parser.parse_args(argv)


def setup_django(label):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    django.setup()
    from django.db import connection

    say(label, f"Migrando la base de datos ({connection.vendor})…")
    migrate_every_database()


def make_fixtures(clients):
    """An office open today, its aspirant and one auxiliary with a token per client."""
    from django.utils import timezone

    from apoyo.accounts.models import Role
    from apoyo.accounts.tokens import issue_token
    from apoyo.aspirants.models import Auxiliary
    from apoyo.testing.factories import make_aspirant, make_office, make_user

    today = timezone.localdate()
    office = make_office(
        collection_start=today - datetime.timedelta(days=30),
        collection_end=today + datetime.timedelta(days=30),
    )
    aspirant = make_aspirant(office)
    keys = []
    for n in range(clients):
        user = make_user(Role.AUXILIARY, state_number=office.process.state_id)
        Auxiliary.objects.create(
            aspirant=aspirant,
            process=office.process,
            user=user,
            name=f"AUXILIAR {n + 1}",
            email=f"auxiliar{n + 1}@bench.example",
            phone=f"662{n + 1:07d}",
        )
        keys.append(issue_token(user)[0])
    return aspirant, keys


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env():
    env = dict(os.environ)
    env.update(
        APOYO_APP_REQUIRE_IMAGES="0",
        APOYO_API_RATE_ADDRESS="",
        APOYO_API_RATE_USER="",
        APOYO_API_RATE_SUBMIT="",
        APOYO_API_RATE_SESSION="",
        APOYO_ALLOWED_HOSTS="127.0.0.1",
        APOYO_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="apoyo.settings",
    )
    env.pop("APOYO_DEBUG", None)
    return env


def start_server(port, workers, threads):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "apoyo.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        # gthread keeps connections alive (the sync worker closes each one); one thread per
        # process, as threads in one process only contend for its interpreter lock.
        "--worker-class=gthread",
        f"--threads={threads}",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    # The command is this interpreter running gunicorn on the project's own WSGI module.
    return subprocess.Popen(command, cwd=ROOT, env=server_env(), start_new_session=True)  # noqa: S603


def wait_for(server, port):
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn terminó al arrancar (código {server.returncode}).")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/schema/?format=json")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn no respondió a tiempo.")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def multipart(fields):
    lines = []
    for name, value in fields.items():
        lines.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    lines.append(f"--{BOUNDARY}--\r\n")
    return "".join(lines).encode()


def capture_body(n, captured_at):
    """One capture of citizen n, without photos."""
    return multipart(
        {
            "uuid": uuid.uuid4(),
            "captured_at": captured_at,
            "elector_key": f"GRLPJN{n // 1000:06d}26H{n % 1000:03d}",
            "ocr": f"{n:013d}",
            "name": "JUAN",
            "paternal_surname": "GARCIA",
            "maternal_surname": "LOPEZ",
        }
    )


class Client(threading.Thread):
    """One auxiliary's phone: sends captures back to back on one keep-alive connection."""

    def __init__(self, port, key, numbers, captured_at, ready, start_event, deadline_box):
        super().__init__(daemon=True)
        self.port, self.numbers, self.captured_at = port, numbers, captured_at
        self.ready = ready
        self.headers = {
            "Authorization": f"Token {key}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        }
        self.start_event, self.deadline_box = start_event, deadline_box
        self.stored, self.failures, self.latencies = 0, [], []

    def send(self, connection, n):
        connection.request(
            "POST", "/api/v1/supports/", capture_body(n, self.captured_at), self.headers
        )
        response = connection.getresponse()
        body = response.read()
        return response.status, body

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for _ in range(WARM_UP_REQUESTS):
            status, body = self.send(connection, next(self.numbers))
            if status != 201:
                self.failures.append((status, body[:300]))
        self.ready.wait()
        self.start_event.wait()
        deadline = self.deadline_box[0]
        while perf_counter() < deadline:
            start = perf_counter()
            status, body = self.send(connection, next(self.numbers))
            self.latencies.append(perf_counter() - start)
            if status == 201:
                self.stored += 1
            else:
                self.failures.append((status, body[:300]))
        connection.close()


def cpu_seconds(pids):
    """CPU time (user + system) the processes `pids` have used so far, from /proc; processes that
    are gone or unreadable count nothing."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server):
    """gunicorn's master and its workers."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        children = []
    return [server.pid, *map(int, children)]


def database_pids():
    """The PostgreSQL backends serving this database (the workers' connections)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(label, server, port, keys, seconds, aspirant):
    from django.utils import timezone

    from apoyo.supports.models import Support

    captured_at = timezone.localtime(timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    ready = threading.Barrier(len(keys) + 1)
    start_event = threading.Event()
    deadline_box = [0.0]
    clients = [
        Client(
            port,
            key,
            iter(range(1 + i * 10**6, (i + 1) * 10**6)),
            captured_at,
            ready,
            start_event,
            deadline_box,
        )
        for i, key in enumerate(keys)
    ]
    for client in clients:
        client.start()
    ready.wait()  # every client warmed up (its first requests loaded the workers' code)
    before = Support.objects.filter(aspirant=aspirant).count()
    watched = {"server": server_pids(server), "database": database_pids()}
    cpu_before = {name: cpu_seconds(pids) for name, pids in watched.items()}
    client_before = time.process_time()
    started = perf_counter()
    deadline_box[0] = started + seconds
    start_event.set()
    for client in clients:
        client.join()
    elapsed = perf_counter() - started
    cpu = {name: cpu_seconds(pids) - cpu_before[name] for name, pids in watched.items()}
    cpu["clients"] = time.process_time() - client_before
    stored = Support.objects.filter(aspirant=aspirant).count() - before
    failures = [failure for client in clients for failure in client.failures]
    latencies = [value for client in clients for value in client.latencies]
    answered = sum(client.stored for client in clients)
    if failures:
        # A refused submission is not a stored support: the figure would mean nothing.
        status, body = failures[0]
        raise SystemExit(
            f"{len(failures)} respuestas distintas de 201 (la primera: {status} {body!r}); "
            "la medición no vale."
        )
    return {
        "clients": len(keys),
        "seconds": elapsed,
        "stored": stored,
        "answered": answered,
        "failures": len(failures),
        "rate": stored / elapsed if elapsed > 0 else 0.0,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        # CPU milliseconds per stored support: gunicorn, PostgreSQL's backends (0 on SQLite, whose
        # work is inside gunicorn) and this process's clients.
        "cpu_ms": {name: 1000 * value / max(stored, 1) for name, value in cpu.items()},
    }


def main(argv=None):
    args = parse_args(argv)
    setup_django(args.label)
    aspirant, keys = make_fixtures(args.clients)
    from django.db import connection

    connection.close()  # the server's workers get their own connections
    # CPU-bound work: one worker per core.
    workers = args.workers or os.cpu_count() or 1
    port = free_port()
    say(label := args.label, f"Arrancando gunicorn: {workers} procesos × {args.threads} hilos…")
    server = start_server(port, workers, args.threads)
    try:
        wait_for(server, port)
        say(
            label,
            f"Enviando apoyos sin imágenes con {args.clients} clientes durante {args.seconds:g} s…",
        )
        result = measure(label, server, port, keys, args.seconds, aspirant)
    finally:
        stop_server(server)
    result |= {"workers": workers, "threads": args.threads}
    say(
        label,
        f"{result['stored']:,} apoyos guardados en {result['seconds']:.1f} s: "
        f"{result['rate']:,.0f} apoyos/s (p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms).",
    )
    cpu = result["cpu_ms"]
    database = f", PostgreSQL {cpu['database']:.1f} ms" if cpu["database"] else ""
    say(
        label,
        f"CPU por apoyo: gunicorn {cpu['server']:.1f} ms{database}, clientes "
        f"{cpu['clients']:.1f} ms (máquina de {os.cpu_count()} núcleos).",
    )
    if result["stored"] != result["answered"]:
        raise SystemExit(
            f"La API respondió 201 a {result['answered']:,} apoyos pero hay {result['stored']:,} guardados."
        )
    print(json.dumps({"database": args.label, "results": [result]}), flush=True)


if __name__ == "__main__":
    sys.exit(main())

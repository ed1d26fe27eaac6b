"""Faults for the tests that kill a process mid-work (apoyo/operations/tests/test_faults_*.py).

The tests run real processes against the test database: `python -m apoyo.testing.faults worker`
is the job worker (`manage.py db_worker --batch`), `... scan` saves a cédula scan, `... row` a
cédula row and `... photos` a capture of the app with its four photos, as the web does. With
`--pause-at STAGE` the process stops at a chosen point inside its transaction (rows written, not
committed; files on disk), writes `--marker` and waits there to be killed: the test polls for the
marker instead of sleeping, then sends SIGKILL.

SharedDatabase gives those processes the test's database: PostgreSQL's test database itself, or
for SQLite (in memory in the tests) a file copy pushed before and pulled back after.

DatabaseRelay stands between the web and PostgreSQL so a test can make the server go away (every
open connection cut, new ones refused) and come back, as a restart does, without root.
"""

import argparse
import contextlib
import importlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from functools import wraps
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent
# Where each process stops: (module, function or dotted attribute in it, stop before calling it or
# after it returned[, at which call: the first unless given]).
STAGES = {
    # The upload's supports are inserted; its issues and its "done" not yet.
    "upload": ("apoyo.uploads.services", "insert_issues", "before"),
    # The new cut's entries and statistics are written; the commit not yet.
    "roll": ("apoyo.roll.loading", "_close_cut", "after"),
    # Every support's result and the counts are written; the run's "done" not yet.
    "compulsa": ("apoyo.verification.services", "count_results", "after"),
    # The scan's file, its rows and its pages' images are written; the commit not yet.
    "scan": ("apoyo.supports.scans", "store_pages", "after"),
    # The cédula row's support and its history line are inserted; the commit not yet.
    "row": ("apoyo.supports.models", "SupportChange.objects.create", "after"),
    # The app capture's support and its four photos (files and rows) are written; the commit not.
    "photos": ("apoyo.capture_app.services", "store_image", "after", 4),
}
PAUSE_SECONDS = 300  # far longer than any test waits: the test kills the process first


def pause_at(stage, marker):
    """Replace the stage's function with one that stops there, inside the open transaction."""
    module_name, dotted, when, *at_call = STAGES[stage]
    stop_at = at_call[0] if at_call else 1
    calls = []
    *path, name = dotted.split(".")
    owner = importlib.import_module(module_name)
    for attribute in path:
        owner = getattr(owner, attribute)
    original = getattr(owner, name)

    def stop():
        Path(marker).write_text(str(os.getpid()))
        time.sleep(PAUSE_SECONDS)

    @wraps(original)
    def paused(*args, **kwargs):
        calls.append(True)
        if when == "before" and len(calls) == stop_at:
            stop()
        result = original(*args, **kwargs)
        if when == "after" and len(calls) == stop_at:
            stop()
        return result

    setattr(owner, name, paused)


def run_worker():
    from django.core.management import call_command

    call_command(
        "db_worker", queue_name="*", batch=True, interval=0, startup_delay=False, reload=False
    )


def save_scan(cedula_id, path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apoyo.supports.models import Cedula
    from apoyo.supports.scans import add_scan

    cedula = Cedula.objects.get(pk=cedula_id)
    data = Path(path).read_bytes()
    add_scan(None, cedula, SimpleUploadedFile(Path(path).name, data))


def save_row(cedula_id, user_id, number):
    """Capture citizen `number`'s row (factories.row) in the cédula, as the capture page does."""
    from apoyo.accounts.models import User
    from apoyo.supports.models import Cedula
    from apoyo.supports.services import capture_support
    from apoyo.testing.factories import row

    result = capture_support(
        User.objects.get(pk=user_id), Cedula.objects.get(pk=cedula_id), row(number)
    )
    if result.errors:
        raise SystemExit(f"Fila rechazada: {result.errors}")


def save_photos(auxiliary_id, number, client_uuid):
    """Capture citizen `number` with its four photos (capture_app.capture) as the API does."""
    from apoyo.aspirants.models import Auxiliary
    from apoyo.capture_app.services import capture_from_app
    from apoyo.testing.capture_app import capture

    fields = capture(number, uuid=client_uuid)
    files = {name: value for name, value in fields.items() if hasattr(value, "read")}
    data = {name: value for name, value in fields.items() if name not in files}
    result = capture_from_app(Auxiliary.objects.get(pk=auxiliary_id), data, files)
    if result.errors:
        raise SystemExit(f"Captura rechazada: {result.errors}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m apoyo.testing.faults")
    parser.add_argument("action", choices=["worker", "scan", "row", "photos"])
    parser.add_argument("--pause-at", choices=sorted(STAGES))
    parser.add_argument("--marker")
    parser.add_argument("--cedula", type=int)
    parser.add_argument("--file")
    parser.add_argument("--user", type=int)
    parser.add_argument("--number", type=int)
    parser.add_argument("--auxiliary", type=int)
    parser.add_argument("--uuid")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    import django

    django.setup()
    if args.pause_at:
        pause_at(args.pause_at, args.marker)
    if args.action == "worker":
        run_worker()
    elif args.action == "row":
        save_row(args.cedula, args.user, args.number)
    elif args.action == "photos":
        save_photos(args.auxiliary, args.number, args.uuid)
    else:
        save_scan(args.cedula, args.file)


# The test's side ----------------------------------------------------------------------------------


class SharedDatabase:
    """The test database as another process reaches it, with the environment for that process."""

    def __init__(self, folder):
        from django.db import connection

        self.connection = connection
        self.folder = Path(folder)
        self.path = self.folder / "shared.sqlite3"

    @property
    def is_sqlite(self):
        return self.connection.vendor == "sqlite"

    def url(self):
        if self.is_sqlite:
            return f"sqlite:///{self.path}"
        s = self.connection.settings_dict
        credentials = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return (
            f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
        )

    def env(self, **extra):
        from django.conf import settings

        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.url(),
            APOYO_DATA_DIR=str(Path(settings.MEDIA_ROOT).parent),
            APOYO_SECRET_KEY=settings.SECRET_KEY,
            APOYO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        )
        keys = getattr(settings, "APOYO_FILE_KEYS", None)
        if keys:
            env["APOYO_FILE_KEYS"] = ",".join(keys)
        env.update({name: str(value) for name, value in extra.items()})
        return env

    def push(self):
        """SQLite: copy the test database (in memory) to the file the processes open."""
        if not self.is_sqlite:
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.connection.ensure_connection()
        target = sqlite3.connect(self.path)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()

    def pull(self):
        """SQLite: copy back what the processes committed (a killed one's open transaction is
        rolled back as SQLite opens the file, as it would be on the server)."""
        if not self.is_sqlite:
            return
        source = sqlite3.connect(self.path)
        try:
            self.connection.ensure_connection()
            source.backup(self.connection.connection)
        finally:
            source.close()


class DatabaseRelay:
    """A TCP relay on 127.0.0.1 to the database server. `down()` cuts every connection through it
    and refuses new ones, as PostgreSQL restarting does; `up()` listens again on the same port.
    `cut_at=k` takes it down by itself as the k-th connection arrives (that one is cut too), so
    a test can cut requests in flight without timing them."""

    def __init__(self, host, port):
        self.target = (host or "127.0.0.1", int(port or 5432))
        self.port = 0
        self.accepted = 0
        self.cut_at = None
        self._lock = threading.Lock()
        self._sockets = set()
        self._stop = threading.Event()
        self._thread = None

    def up(self):
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.05)  # so the accepting thread sees down() promptly
        self.port = listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._accept, args=(listener, self._stop), daemon=True
        )
        self._thread.start()

    def down(self):
        self._stop.set()
        with self._lock:
            cut, self._sockets = self._sockets, set()
        for sock in cut:
            _close(sock)
        # The port is free again once the accepting thread has closed its listener.
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _accept(self, listener, stop):
        with listener:
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                self.accepted += 1
                if self.accepted == self.cut_at:
                    stop.set()
                    _close(client)
                    self.down()
                    return
                self._join(client, stop)

    def _join(self, client, stop):
        client.settimeout(None)
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            _close(client)
            return
        server.settimeout(None)
        with self._lock:
            if stop.is_set():  # down() ran meanwhile: this one is cut as well
                _close(client)
                _close(server)
                return
            self._sockets |= {client, server}
        for source, sink in ((client, server), (server, client)):
            threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # cut by down() or by the other side
    finally:
        _close(source)
        _close(sink)


def _close(sock):
    with contextlib.suppress(OSError):  # already closed or never connected
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def start(action, env, *options):
    return subprocess.Popen(  # noqa: S603 - our own module, no shell
        [sys.executable, "-m", "apoyo.testing.faults", action, *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when_paused(process, marker, timeout=120, while_paused=None):
    """Wait (polling, bounded) until the process writes the marker, run `while_paused()` if given
    (the process is still alive then), then SIGKILL it."""
    deadline = time.monotonic() + timeout
    try:
        while not Path(marker).exists():
            if process.poll() is not None:
                _, err = process.communicate()
                raise AssertionError(f"El proceso terminó sin llegar a la pausa:\n{err[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"El proceso no llegó a la pausa en {timeout} s")
            time.sleep(0.05)
        if while_paused is not None:
            while_paused()
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


def wait_until(condition, timeout=15, what="la condición"):
    """Poll `condition()` every 50 ms until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"No se cumplió {what} en {timeout} s")
        time.sleep(0.05)


def run_to_end(process, timeout=180):
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    assert process.returncode == 0, err[-3000:]
    return out


if __name__ == "__main__":
    main()

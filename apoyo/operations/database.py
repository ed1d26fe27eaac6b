"""The database's half of a backup: a consistent copy taken while the system runs, the row count
of every table in that same copy, and putting a copy back.

- SQLite: the online backup API (sqlite3.Connection.backup) copies the database page by page as
  of one moment, while the web and the worker keep writing (WAL); the copy is made a single
  self-contained file (no -wal beside it). The bitácora has a file of its own there
  (accounts.routers), copied and put back the same way.
- PostgreSQL: pg_dump in its custom format reads an exported snapshot, and the rows are counted
  in the transaction that exported it, so the counts are those of the dump. pg_restore puts it
  back in one transaction (all or nothing), without owners or grants, so that it restores on
  any server: the grants are given again afterwards (README, "Respaldo y restauración").
"""

import os
import shutil
import sqlite3
import subprocess

from django.db import DEFAULT_DB_ALIAS, connection, connections

from apoyo.accounts.routers import audit_database
from apoyo.core.private_files import open_private, private_sqlite_file
from apoyo.operations.manifest import BackupError

SQLITE_FILE = "base.sqlite3"
POSTGRES_FILE = "base.dump"
AUDIT_FILE = "bitacora.sqlite3"
ENGINES = {"sqlite": SQLITE_FILE, "postgresql": POSTGRES_FILE}


def engine():
    if connection.vendor not in ENGINES:
        raise BackupError(f"Los respaldos no admiten la base de datos {connection.vendor}.")
    return connection.vendor


def dump(folder):
    """Copy the database into `folder`; returns (file name, {table: rows} of the copy)."""
    if engine() == "sqlite":
        return SQLITE_FILE, snapshot_sqlite(folder / SQLITE_FILE)
    return POSTGRES_FILE, dump_postgresql(folder / POSTGRES_FILE)


def load(path):
    """Replace the database's content with the copy at `path` (made by `dump`)."""
    if engine() == "sqlite":
        load_sqlite(path)
    else:
        load_postgresql(path)


def current_counts():
    """{table: rows} of the database as it is now."""
    connection.ensure_connection()
    if engine() == "sqlite":
        return sqlite_counts(connection.connection)
    with connection.cursor() as cursor:
        return postgresql_counts(cursor)


# The bitácora's own file (SQLite) -----------------------------------------------------------------


def separate_audit():
    """The alias of the bitácora's database when it is a file of its own (SQLite), else None
    (PostgreSQL: it is in the main database, and its dump)."""
    alias = audit_database()
    return None if alias == DEFAULT_DB_ALIAS else alias


def dump_audit(folder):
    """Copy the bitácora's own file into `folder`; (file name, {table: rows} of the copy), or
    None where the bitácora is in the main database."""
    alias = separate_audit()
    if alias is None:
        return None
    return AUDIT_FILE, snapshot_sqlite(folder / AUDIT_FILE, alias)


def load_audit(path):
    """Replace the bitácora's own file with the copy at `path` (made by `dump_audit`)."""
    load_sqlite(path, separate_audit())


def audit_counts():
    """{table: rows} of the bitácora's own file as it is now."""
    audit = connections[separate_audit()]
    audit.ensure_connection()
    return sqlite_counts(audit.connection)


def empty_audit():
    """Leave the bitácora's own file without a table: copying an empty database over it."""
    source = sqlite3.connect(":memory:")
    try:
        load_into(source, separate_audit())
    finally:
        source.close()


# SQLite -------------------------------------------------------------------------------------------


def snapshot_sqlite(path, alias=DEFAULT_DB_ALIAS):
    private_sqlite_file(path)
    live = connections[alias]
    live.ensure_connection()
    target = sqlite3.connect(path)
    try:
        live.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        return sqlite_counts(target)
    finally:
        target.close()


def load_sqlite(path, alias=DEFAULT_DB_ALIAS):
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        load_into(source, alias)
    finally:
        source.close()


def load_into(source, alias):
    """Replace the content of the database `alias` with that of the sqlite3 connection `source`."""
    live = connections[alias]
    live.ensure_connection()
    source.backup(live.connection)


def sqlite_counts(raw):
    tables = raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return {
        name: raw.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for (name,) in tables
    }


# PostgreSQL ---------------------------------------------------------------------------------------


def dump_postgresql(path):
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        side.ensure_connection()
        with side.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            with open_private(path, "wb") as handle:
                run_client("pg_dump", ["--format=custom", f"--snapshot={snapshot}"], stdout=handle)
            counts = postgresql_counts(cursor)
            cursor.execute("COMMIT")
        return counts
    finally:
        side.close()


def load_postgresql(path):
    # Our own idle connection would only hold pg_restore's DROP TABLE waiting.
    connection.close()
    options = ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction"]
    run_client("pg_restore", [*options, "--exit-on-error", str(path)])


def postgresql_counts(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    counts = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 - names from the catalogue
        counts[name] = cursor.fetchone()[0]
    return counts


def run_client(program, arguments, stdout=None):
    """Run pg_dump or pg_restore against the configured database; a Spanish BackupError if it is
    missing or fails."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"No se encontró {program}: instale el cliente de PostgreSQL (postgresql-client) de "
            "la versión del servidor o una posterior."
        )
    settings = connection.settings_dict
    target = ["--no-password", "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            target += [flag, str(settings[key])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    finished = subprocess.run(  # noqa: S603 - a PostgreSQL client found on PATH, no shell
        [executable, *target, *arguments],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    if finished.returncode != 0:
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(f"{program} falló: {detail[-1] if detail else finished.returncode}")

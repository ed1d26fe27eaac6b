"""On SQLite the bitácora is a database file of its own (accounts.routers): `manage.py migrate`
makes it, an entry is written while the main file's write lock is held by someone else (a carga
masiva publishing), and an instance from before keeps its entries. Each test runs manage.py in a
process of its own on files under tmp_path, as an operator would."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MAIN = "apoyo.sqlite3"
BITACORA = "apoyo-bitacora.sqlite3"
# Less than the 20 s SQLite waits for a lock (core.databases.sqlite_database): a write that waits for
# the main file's lock runs out of this first.
SECONDS_WITHOUT_WAITING = 10


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A folder with the two files `manage.py migrate` made, once for the module (seconds)."""
    folder = tmp_path_factory.mktemp("migrada")
    manage, _, _ = instance(folder)
    manage("migrate", "-v0")
    return folder


@pytest.fixture
def site(migrated, tmp_path):
    """manage.py on a migrated SQLite instance of its own; (run, main file, bitácora file)."""
    for name in (MAIN, BITACORA):
        shutil.copy(migrated / name, tmp_path / name)
    return instance(tmp_path)


def instance(tmp_path):
    """manage.py on the SQLite instance under tmp_path; (run, main file, bitácora file)."""
    main = tmp_path / MAIN
    env = {
        "DATABASE_URL": f"sqlite:///{main}",
        "APOYO_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }

    def manage(*args, timeout=120):
        return subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    return manage, main, tmp_path / BITACORA


def tables(path):
    with sqlite3.connect(path) as database:
        rows = database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {name for (name,) in rows}


def entries(path):
    with sqlite3.connect(path) as database:
        rows = database.execute("SELECT object_id FROM accounts_accesslog ORDER BY id")
        return [object_id for (object_id,) in rows]


def log_command(manage, object_id, timeout=120):
    code = (
        "from apoyo.accounts.audit import log_command; "
        f"log_command('probar', 'bitácora', '{object_id}')"
    )
    return manage("shell", "-c", code, timeout=timeout)


def test_migrate_puts_the_bitacora_in_a_file_of_its_own_and_nothing_else_there(migrated):
    main, bitacora = migrated / MAIN, migrated / BITACORA

    assert "accounts_accesslog" in tables(bitacora)
    assert "accounts_accesslog" not in tables(main)
    assert tables(bitacora) == {"accounts_accesslog", "django_migrations"}
    assert {"accounts_user", "supports_support"} <= tables(main)


def test_an_entry_is_written_while_the_main_database_is_locked_for_writing(site):
    manage, main, bitacora = site
    upload = sqlite3.connect(main, isolation_level=None)
    upload.execute("BEGIN IMMEDIATE")  # as a carga masiva publishing holds it
    try:
        log_command(manage, "1", timeout=SECONDS_WITHOUT_WAITING)
    finally:
        upload.execute("ROLLBACK")
        upload.close()

    assert entries(bitacora) == ["1"]


def as_from_before(manage, main, bitacora, keep_new_entries=False):
    """As an instance migrated before the bitácora had a file of its own: its entries in the main
    file, and the bitácora's file without the last migration (and, if asked, entries of its own)."""
    manage("migrate", "accounts", "0005", "--database=audit", "-v0")
    with sqlite3.connect(main) as database:
        database.execute(f"ATTACH DATABASE '{bitacora}' AS audit")
        database.execute(
            "CREATE TABLE accounts_accesslog AS SELECT * FROM audit.accounts_accesslog"
        )
        if not keep_new_entries:
            database.execute("DELETE FROM audit.accounts_accesslog")


def test_an_instance_from_before_keeps_its_entries_and_their_chain(site):
    manage, main, bitacora = site
    for number in range(3):
        log_command(manage, str(number))
    as_from_before(manage, main, bitacora)

    manage("migrate", "-v0")

    assert entries(bitacora) == ["0", "1", "2"]
    assert "accounts_accesslog" not in tables(main)
    verified = manage("verify_audit_log")
    assert "Bitácora íntegra: 3 entradas encadenadas." in verified.stdout


def test_entries_in_both_files_stop_the_migration_and_neither_is_touched(site):
    manage, main, bitacora = site
    log_command(manage, "1")
    as_from_before(manage, main, bitacora, keep_new_entries=True)

    with pytest.raises(subprocess.CalledProcessError) as refused:
        manage("migrate", "-v0")

    assert "no se pueden unir sin romper su cadena" in refused.value.stderr
    assert entries(main) == entries(bitacora) == ["1"]

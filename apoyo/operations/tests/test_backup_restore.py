"""Backup and restore: a backup taken from a working instance rebuilds an empty one with every
table's rows and every file byte for byte; a damaged, altered or unfinished backup, another
engine's, or a non-empty instance is refused in Spanish with nothing changed."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from apoyo.accounts.audit import log_command
from apoyo.accounts.models import AccessLog
from apoyo.operations import database
from apoyo.operations.manifest import data_files, sha256_of
from apoyo.supports.models import Cedula, Support
from apoyo.supports.scans import add_scan
from apoyo.testing.factories import citizen, elector_key, make_aspirant, precaptured
from apoyo.testing.faults import ROOT, SharedDatabase
from apoyo.testing.files import good_row, png, uploaded, write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
separate_audit = pytest.mark.skipif(
    settings.AUDIT_DATABASE not in settings.DATABASES,
    reason="En PostgreSQL la bitácora está en la base principal y en su volcado: no hay archivo "
    "de bitácora aparte que respaldar.",
)


def file_sums(root):
    return {name: sha256_of(Path(root) / name)[1] for name in data_files(root)}


def _media():
    return settings.MEDIA_ROOT


@pytest.fixture
def instance(tmp_path):
    """Rows in many tables (accounts, cédulas, supports, an upload and its issues, a scan and its
    pages, the roll, the bitácora) and files of several kinds (the upload, the scan)."""
    aspirant = make_aspirant(with_user=True)
    precaptured(aspirant, [1, 2, 3])
    add_scan(aspirant.user, Cedula.objects.get(reference="P-1"), uploaded("frente.png", png()))
    path = write_csv(tmp_path / "carga.csv", [good_row(n) for n in range(10, 15)] + [["F-9"]])
    with open(path, "rb") as source:
        run_upload(register_upload(aspirant.user, aspirant, source, "carga.csv"))
    citizen(elector_key(1))
    log_command("exportar", "prueba", "", "antes del respaldo")
    return aspirant


class FreshInstance:
    """A new, empty instance beside the test's: an SQLite file not yet created, or a PostgreSQL
    database just created (no tables), with its own data folder."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.data = self.folder / "datos"
        self.sqlite = self.folder / "nueva.sqlite3"
        self.audit = self.folder / "nueva-bitacora.sqlite3"  # beside it, as settings.py names it
        settings_dict = connection.settings_dict
        self.pg_name = f"{settings_dict['NAME']}_restaurada"
        self.shared = SharedDatabase(folder)
        if not self.shared.is_sqlite:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            self._admin(f'CREATE DATABASE "{self.pg_name}"')

    def _admin(self, sql):
        with psycopg.connect(self._conninfo("postgres"), autocommit=True) as admin:
            admin.execute(sql)

    def _conninfo(self, name):
        s = connection.settings_dict
        return psycopg.conninfo.make_conninfo(
            dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
        )

    def env(self):
        env = self.shared.env(APOYO_DATA_DIR=self.data)
        if self.shared.is_sqlite:
            env["DATABASE_URL"] = f"sqlite:///{self.sqlite}"
        else:
            env["DATABASE_URL"] = self.shared.url().rsplit("/", 1)[0] + f"/{self.pg_name}"
        return env

    def counts(self):
        if self.shared.is_sqlite:
            raw = sqlite3.connect(self.sqlite)
            try:
                return database.sqlite_counts(raw)
            finally:
                raw.close()
        with psycopg.connect(self._conninfo(self.pg_name)) as raw, raw.cursor() as cursor:
            return database.postgresql_counts(cursor)

    def drop(self):
        if not self.shared.is_sqlite:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture
def fresh(tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("Sin pg_dump/pg_restore (apt-get install postgresql-client): no se prueba.")
    instance = FreshInstance(tmp_path / "nueva")
    yield instance
    instance.drop()


def restore_into(fresh, out):
    """`manage.py restore` of the backup `out` in the fresh instance, as an operator runs it."""
    restored = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(out)],
        cwd=ROOT,
        env=fresh.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr
    assert "restaurado" in restored.stdout


def chain():
    return list(AccessLog.objects.order_by("id").values_list("id", "action", "entry_hash"))


def read_restored_bitacora(fresh):
    """Bring the fresh instance's bitácora file into the test's, to read it with the ORM."""
    database.load_sqlite(fresh.audit, settings.AUDIT_DATABASE)
    return chain()


def test_a_backup_rebuilds_an_empty_instance_with_every_row_and_file(instance, fresh, tmp_path):
    before = database.current_counts()
    sums = file_sums(_media())
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tablas"] == before
    assert before["supports_support"] == 8 and before["supports_cedulascan"] == 1
    assert len(sums) == 2  # the upload and the scan
    assert AccessLog.objects.latest("id").action == "respaldar"
    restore_into(fresh, out)

    # Every table as in the backup, plus the restore's own entry in the bitácora where it is in
    # the main database (PostgreSQL; SQLite's own file: the test below).
    log = "accounts_accesslog"
    assert fresh.counts() == before | ({log: before[log] + 1} if log in before else {})
    assert file_sums(fresh.data / "files") == sums


@separate_audit
def test_on_sqlite_the_bitacora_file_is_backed_up_and_restored_with_its_chain(
    instance, fresh, tmp_path, capsys
):
    entries = chain()
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    copy = out / "bitacora.sqlite3"
    size, digest = sha256_of(copy)
    assert manifest["bitacora"] == "bitacora.sqlite3"
    assert {"ruta": "bitacora.sqlite3", "bytes": size, "sha256": digest} in manifest["archivos"]
    assert manifest["tablas_bitacora"]["accounts_accesslog"] == len(entries) > 0
    assert "accounts_accesslog" not in manifest["tablas"]
    assert copy.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    restore_into(fresh, out)

    restored = read_restored_bitacora(fresh)
    assert restored[:-1] == entries  # the backup's own entry came after its copy
    assert restored[-1][1] == "restaurar"
    capsys.readouterr()
    call_command("verify_audit_log")
    assert f"Bitácora íntegra: {len(entries) + 1} entradas" in capsys.readouterr().out


def as_before_the_bitacora_file(out):
    """Rewrite a backup as one made before the bitácora had a file of its own: its entries in
    base.sqlite3, accounts 0006 not applied there, no bitacora.sqlite3 nor its manifest keys."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    audit = out / manifest.pop("bitacora")
    del manifest["tablas_bitacora"]
    base = sqlite3.connect(out / "base.sqlite3")
    try:
        base.execute("ATTACH DATABASE ? AS bitacora", [str(audit)])
        table = "SELECT sql FROM bitacora.sqlite_master WHERE name = 'accounts_accesslog'"
        base.execute(base.execute(table).fetchone()[0])
        base.execute("INSERT INTO accounts_accesslog SELECT * FROM bitacora.accounts_accesslog")
        base.execute("DELETE FROM django_migrations WHERE name = '0006_access_log_own_database'")
        base.commit()
        base.execute("DETACH DATABASE bitacora")
        manifest["tablas"] = database.sqlite_counts(base)
    finally:
        base.close()
    audit.unlink()
    files = [entry for entry in manifest["archivos"] if entry["ruta"] != audit.name]
    size, digest = sha256_of(out / "base.sqlite3")
    files[0] |= {"bytes": size, "sha256": digest}
    (out / "manifest.json").write_text(json.dumps(manifest | {"archivos": files}), "utf-8")


@separate_audit
def test_a_backup_from_before_the_bitacora_had_its_own_file_moves_its_entries_there(
    instance, fresh, tmp_path
):
    entries = chain()
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))
    as_before_the_bitacora_file(out)
    restore_into(fresh, out)

    assert "accounts_accesslog" not in fresh.counts()  # moved, not kept twice
    restored = read_restored_bitacora(fresh)
    assert restored[:-1] == entries
    assert restored[-1][1] == "restaurar"
    call_command("verify_audit_log")


def refusal(capsys, *args, **options):
    with pytest.raises(SystemExit):
        call_command(*args, **options)
    return capsys.readouterr().err


def test_a_tampered_backup_is_refused_before_anything_changes(instance, tmp_path, capsys):
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))
    Support.objects.all().delete()
    scan = next((out / "archivos").rglob("*.png"))
    scan.write_bytes(scan.read_bytes() + b"x")
    (out / "archivos" / "intruso.txt").write_text("no estaba")

    error = refusal(capsys, "restore", str(out), force=True)
    assert "no pasó la verificación de sus sumas SHA-256 y no se restauró nada" in error
    assert (
        "la suma SHA-256 no coincide" in error and "intruso.txt: no está en el manifiesto" in error
    )
    assert not Support.objects.exists()  # untouched


def test_an_unfinished_backup_another_engine_and_a_used_instance_are_refused(
    instance, tmp_path, capsys
):
    assert "falta manifest.json" in refusal(capsys, "restore", str(tmp_path))
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))

    assert "La instancia no está vacía" in refusal(capsys, "restore", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["motor"] = "oracle"
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "El respaldo es de una base oracle" in refusal(capsys, "restore", str(out))
    assert "no es una carpeta vacía" in refusal(capsys, "backup", out=str(out))


def test_forced_restore_replaces_the_data_and_sets_the_old_files_aside(instance, tmp_path, capsys):
    out = tmp_path / "respaldo"
    call_command("backup", out=str(out))
    supports = Support.objects.count()
    sums = file_sums(_media())
    Support.objects.filter(cedula__reference="P-1").delete()
    (Path(_media()) / "sobrante.txt").write_text("después del respaldo")

    call_command("restore", str(out), force=True)
    assert Support.objects.count() == supports
    assert file_sums(_media()) == sums
    printed = capsys.readouterr().out
    assert "se apartaron en" in printed
    aside = next(Path(_media()).parent.glob("files-antes-de-restaurar-*"))
    assert (aside / "sobrante.txt").exists()
    assert AccessLog.objects.latest("id").action == "restaurar"

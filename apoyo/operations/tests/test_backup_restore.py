"""Backup and restore: a backup taken from a working instance rebuilds an empty one with every
table's rows and every file byte for byte; a damaged, altered or unfinished backup, another
engine's, or a non-empty instance is refused in Spanish with nothing changed."""

import json
import shutil
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
            import sqlite3

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

    # Every table as in the backup, plus the restore's own entry in the bitácora.
    assert fresh.counts() == before | {"accounts_accesslog": before["accounts_accesslog"] + 1}
    assert file_sums(fresh.data / "files") == sums


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

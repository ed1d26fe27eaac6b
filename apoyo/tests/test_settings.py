import os
import secrets
import subprocess
import sys
from pathlib import Path

from apoyo.core.databases import database_from_url, databases
from apoyo.core.encryption import new_key as new_file_key

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy(tmp_path):
    env = dict(
        os.environ,
        APOYO_PRODUCTION="1",
        APOYO_SECRET_KEY=secrets.token_urlsafe(50),
        APOYO_FILE_KEYS=new_file_key(),
        APOYO_ALLOWED_HOSTS="apoyo.example.org",
        APOYO_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/apoyo.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(os.environ, APOYO_PRODUCTION="1", APOYO_DATA_DIR=str(tmp_path))
    env.pop("APOYO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "APOYO_SECRET_KEY" in result.stderr


def test_database_url_parsing():
    sqlite = database_from_url("sqlite:////srv/apoyo/db.sqlite3", "/srv/apoyo")
    assert sqlite["NAME"] == "/srv/apoyo/db.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    pg = database_from_url("postgres://apoyo:s%40crt@db.local:5433/apoyo", "/srv")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "apoyo",
        "s@crt",
        "db.local",
        "5433",
        "apoyo",
    )


def test_on_sqlite_the_bitacora_has_a_file_of_its_own_beside_the_database(tmp_path):
    on_sqlite = databases(f"sqlite:///{tmp_path}/datos/apoyo.sqlite3", tmp_path)
    assert on_sqlite["audit"]["NAME"] == str(tmp_path / "datos" / "apoyo-bitacora.sqlite3")
    assert on_sqlite["audit"]["OPTIONS"] == on_sqlite["default"]["OPTIONS"]
    assert list(databases("postgres://apoyo@db.local/apoyo", tmp_path)) == ["default"]


def test_a_sqlite_connection_is_kept_between_requests(tmp_path, monkeypatch):
    # Opening a SQLite connection costs more CPU than many pages' queries.
    monkeypatch.delenv("APOYO_DB_CONN_MAX_AGE", raising=False)
    assert database_from_url(f"sqlite:///{tmp_path}/apoyo.sqlite3", tmp_path)["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("APOYO_DB_CONN_MAX_AGE", "0")
    assert database_from_url(f"sqlite:///{tmp_path}/apoyo.sqlite3", tmp_path)["CONN_MAX_AGE"] == 0

"""settings.DATABASES from DATABASE_URL (sqlite:///path or postgres://user:pass@host:port/name).

On SQLite the bitácora (accounts.AccessLog) gets a file of its own beside the database, under the
alias AUDIT (routed by apoyo.accounts.routers): every page that shows personal data writes an
entry, and in the main file that write waited for the database's only write lock, which a carga
masiva holds for a second or more while it publishes. PostgreSQL has no such lock (MVCC) and keeps
the bitácora in its one database."""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from apoyo.core.private_files import private_sqlite_file

AUDIT = "audit"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def databases(url, data_dir):
    """The DATABASES setting: "default" from `url` and, on SQLite, AUDIT beside it."""
    default = database_from_url(url, data_dir)
    if default["ENGINE"] != "django.db.backends.sqlite3":
        return {"default": default}
    main = Path(default["NAME"])
    audit = sqlite_database(main.with_name(f"{main.stem}-bitacora{main.suffix}"))
    return {"default": default, AUDIT: audit}


def database_from_url(url, data_dir):
    """One DATABASES entry from DATABASE_URL; sqlite:/// alone is apoyo.sqlite3 in `data_dir`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path has a path of "/relative/path"; sqlite:////abs/path an absolute one.
        name = unquote(parsed.path)[1:]
        return sqlite_database(Path(name) if name else Path(data_dir) / "apoyo.sqlite3")
    if parsed.scheme in POSTGRES_SCHEMES:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "apoyo",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": connection_max_age(),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL no reconocida: {parsed.scheme}://…")


def sqlite_database(path):
    # The database holds personal data: made 0600 before SQLite opens it (its -wal/-shm copy its mode).
    private_sqlite_file(path)
    # WAL + IMMEDIATE + busy timeout let the web server and the job worker share one file.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": connection_max_age(),  # opening one: 3.5 ms of CPU
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        },
    }


def connection_max_age():
    value = os.environ.get("APOYO_DB_CONN_MAX_AGE")
    return int(value) if value else 60

"""What settings.py must carry for the protections of apoyo.core to be on: these tests read the
real settings (no override), so they fail until settings.py has them."""

import os
import stat

import pytest
from django.conf import settings
from django.core.files.storage import storages

REQUEST_LIMITS = "apoyo.core.request_limits.RequestLimitMiddleware"


def test_uploaded_files_and_their_folders_are_created_owner_only():
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_collected_static_files_stay_readable_by_the_proxy():
    static = storages["staticfiles"]
    assert (static.file_permissions_mode, static.directory_permissions_mode) == (0o644, 0o755)


def test_the_sqlite_database_file_is_created_owner_only(tmp_path):
    from apoyo.core.databases import sqlite_database

    previous = os.umask(0o022)
    try:
        sqlite_database(tmp_path / "apoyo.sqlite3")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "apoyo.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "before, after",
    [
        ("django.contrib.sessions.middleware.SessionMiddleware", REQUEST_LIMITS),
        (REQUEST_LIMITS, "django.middleware.csrf.CsrfViewMiddleware"),
    ],
)
def test_request_limits_run_after_the_session_and_before_csrf_reads_the_body(before, after):
    middleware = list(settings.MIDDLEWARE)
    assert REQUEST_LIMITS in middleware
    assert middleware.index(before) < middleware.index(after)

"""Files and folders holding personal data are created for their owner only (0600 and 0700),
whatever the umask: the SQLite database and its -wal and -shm, and what the project writes."""

import os
import sqlite3
import stat

import pytest

from apoyo.core.private_files import open_private, private_directory, private_sqlite_file


@pytest.fixture(autouse=True)
def server_umask():
    """The umask of a typical server (022), under which files are world-readable by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_sqlite_database_and_its_wal_and_shm_are_created_owner_only(tmp_path):
    path = tmp_path / "apoyo.sqlite3"
    private_sqlite_file(path)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE apoyo (clave TEXT)")
        connection.execute("INSERT INTO apoyo VALUES ('GMVLMR80070501M100')")
        connection.commit()
        files = [path, f"{path}-wal", f"{path}-shm"]
        assert [mode(name) for name in files] == [0o600, 0o600, 0o600]
    finally:
        connection.close()


def test_a_database_left_readable_by_an_earlier_run_is_made_owner_only(tmp_path):
    path = tmp_path / "apoyo.sqlite3"
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with open(name, "wb"):
            pass
        os.chmod(name, 0o644)
    private_sqlite_file(path)
    assert [mode(name) for name in (path, f"{path}-wal", f"{path}-shm")] == [0o600] * 3


def test_an_in_memory_database_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    private_sqlite_file(":memory:")
    private_sqlite_file("file::memory:?cache=shared")
    assert list(tmp_path.iterdir()) == []


def test_missing_folders_are_created_0700_and_existing_ones_left_alone(tmp_path):
    tmp_path.chmod(0o755)
    private_directory(tmp_path / "a" / "b")
    assert (mode(tmp_path), mode(tmp_path / "a"), mode(tmp_path / "a" / "b")) == (
        0o755,
        0o700,
        0o700,
    )


def test_open_private_writes_text_and_bytes_owner_only(tmp_path):
    with open_private(tmp_path / "a.csv", "w", encoding="utf-8") as out:
        out.write("Ñ")
    with open_private(tmp_path / "b.bin", "wb") as out:
        out.write(b"\x00")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "Ñ"
    assert mode(tmp_path / "a.csv") == mode(tmp_path / "b.bin") == 0o600
    with pytest.raises(ValueError):
        open_private(tmp_path / "c", "r")


def test_a_database_in_a_missing_folder_is_left_for_sqlite_to_report(tmp_path):
    private_sqlite_file(tmp_path / "no-existe" / "apoyo.sqlite3")
    assert list(tmp_path.iterdir()) == []

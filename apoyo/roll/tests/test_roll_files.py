"""A roll file may not expand past APOYO_ROLL_MAX_UNCOMPRESSED_BYTES on any of its reads; the
working copy of the roll the import writes is readable by the service only; the rejected rows'
reports neutralise formulas, even behind leading spaces."""

import datetime
import gzip
import io
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.core.tabular import FileRejected
from apoyo.roll.models import RollCut, RollImport
from apoyo.roll.services import import_roll
from apoyo.roll.sources import CsvRows, open_roll_table
from apoyo.roll.tests.files import csv_text, roll_row, write_roll
from apoyo.testing.factories import make_sections, make_user

pytestmark = pytest.mark.django_db

CUT = datetime.date(2020, 8, 31)
MEGABYTE = 1024 * 1024
READ_SLACK = 2 * MEGABYTE


@pytest.fixture
def gzip_bytes_out(monkeypatch):
    counted = {"bytes": 0}
    real_read = gzip._GzipReader.read

    def read(self, size=-1):
        data = real_read(self, size)
        counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(gzip._GzipReader, "read", read)
    return counted


@pytest.fixture
def server_umask():
    """The umask of a typical server (022), under which plain open() makes files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def big_roll(path, rows):
    """A gzip roll of distinct rows (about 100 bytes each; compresses about 8:1, no bomb ratio)."""
    with gzip.open(path, "wb") as out:
        for start in range(1, rows + 1, 5000):
            chunk = [roll_row(n) for n in range(start, min(start + 5000, rows + 1))]
            text = csv_text(chunk)
            out.write(text.encode() if start == 1 else text.split("\r\n", 1)[1].encode())
    return path


def test_gzip_roll_expanding_past_the_limit_is_refused_having_read_about_the_limit(
    tmp_path, settings, gzip_bytes_out
):
    make_sections()
    settings.APOYO_ROLL_MAX_UNCOMPRESSED_BYTES = MEGABYTE
    path = big_roll(tmp_path / "padron.csv.gz", 40_000)
    with pytest.raises(FileRejected) as refused:
        import_roll(path, CUT)
    assert str(refused.value) == (
        "El archivo comprimido (.gz) se descomprime a más de 1 MB; no se procesa."
    )
    assert gzip_bytes_out["bytes"] <= MEGABYTE + READ_SLACK
    assert not RollCut.objects.exists()


def test_the_utf8_copy_of_a_gzip_roll_is_bounded_on_its_own_read(
    tmp_path, settings, gzip_bytes_out
):
    path = big_roll(tmp_path / "padron.csv.gz", 40_000)
    table = open_roll_table(path)
    settings.APOYO_ROLL_MAX_UNCOMPRESSED_BYTES = MEGABYTE
    gzip_bytes_out["bytes"] = 0
    with pytest.raises(FileRejected, match="se descomprime a más de 1 MB"):
        CsvRows(path, table, tmp_path)
    assert gzip_bytes_out["bytes"] <= MEGABYTE + READ_SLACK


def test_the_working_copy_of_the_roll_is_private(tmp_path, server_umask):
    path = write_roll(tmp_path / "padron.csv.gz", [roll_row(1), roll_row(2)])
    workdir = tmp_path / "trabajo"
    workdir.mkdir()
    rows = CsvRows(path, open_roll_table(path), workdir)
    assert rows.utf8_path == workdir / "padron-utf8.csv"
    assert stat.S_IMODE(rows.utf8_path.stat().st_mode) == 0o600


def test_the_rejected_rows_reports_neutralise_formulas_behind_spaces(
    client, django_capture_on_commit_callbacks
):
    make_sections()
    client.force_login(make_user(Role.INE_DERFE))
    rows = [roll_row(1), roll_row(2, clave_elector="  =HYPERLINK(1)")]
    data = SimpleUploadedFile("padron.csv", csv_text(rows).encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roll:imports"), {"cut_date": "2020-08-31", "file": data})
    job = RollImport.objects.get()
    report = client.get(reverse("roll:import_report", args=[job.pk, "csv"]))
    assert "'  =HYPERLINK(1)" in b"".join(report.streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("roll:import_report", args=[job.pk, "xlsx"])).content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert sheet[1][3] == "'  =HYPERLINK(1)"

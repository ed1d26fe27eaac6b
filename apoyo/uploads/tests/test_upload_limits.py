"""The carga masiva against decompression bombs and huge files: limits on what a file expands to
and how many rows it holds, enforced while reading; validation that holds one chunk of rows in
memory; and a dry run that stores only the first issues of its report."""

import gzip
import random

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.core.tabular import Table
from apoyo.supports.models import Channel, Support, UploadIssue, UploadStatus
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import HEADER, good_row, write_csv, write_xlsx
from apoyo.uploads import services as uploads
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024
READ_SLACK = 2 * MEGABYTE
BAD_ROW = ["F-1", "", "", "", "MAL", "1", "", "", ""]  # no name, no surnames, bad clave and OCR


@pytest.fixture
def aspirant():
    return make_aspirant(code="A-01")


@pytest.fixture
def gzip_bytes_out(monkeypatch):
    """Counts every byte gzip decompresses."""
    counted = {"bytes": 0}
    real_read = gzip._GzipReader.read

    def read(self, size=-1):
        data = real_read(self, size)
        counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(gzip._GzipReader, "read", read)
    return counted


@pytest.fixture
def rows_read(monkeypatch):
    """Counts the rows the reader hands to validation."""
    counted = {"rows": 0}
    real_rows = Table.rows

    def rows(self):
        for item in real_rows(self):
            counted["rows"] += 1
            yield item

    monkeypatch.setattr(Table, "rows", rows)
    return counted


def upload_file(aspirant, path, dry_run=False, channel=Channel.BULK):
    with open(path, "rb") as source:
        upload = register_upload(None, aspirant, source, path.name, dry_run, channel=channel)
    return run_upload(upload)


def assert_refused_and_nothing_stored(upload):
    assert upload.status == UploadStatus.FAILED
    assert "\n" not in upload.message
    assert (upload.stored, upload.skipped, upload.rejected) == (0, 0, 0)
    assert not Support.objects.exists()
    assert not UploadIssue.objects.exists()


def test_a_22_kb_gzip_bomb_from_an_aspirant_is_refused_before_it_expands_and_stores_nothing(
    aspirant, tmp_path, gzip_bytes_out
):
    path = tmp_path / "bomba.csv.gz"
    line = (",".join(BAD_ROW) + "\n").encode()
    with gzip.open(path, "wb") as out:
        out.write((",".join(HEADER) + "\n").encode())
        for _ in range(20):
            out.write(line * 10_000)  # 200,000 rows, each with 4 errors
    assert path.stat().st_size < 25_000
    upload = upload_file(aspirant, path, channel=Channel.ASPIRANT)
    assert_refused_and_nothing_stored(upload)
    assert "posible bomba de descompresión" in upload.message
    assert gzip_bytes_out["bytes"] <= 200 * path.stat().st_size + READ_SLACK


def varied_csv_gz(path, count):
    """A .csv.gz of distinct valid rows with random comments (compresses about 3:1)."""
    rng = random.Random(5)
    rows = [[*good_row(n)[:7], f"{rng.getrandbits(64):x}", ""] for n in range(1, count + 1)]
    data = write_csv(path.with_suffix(""), rows).read_bytes()
    path.write_bytes(gzip.compress(data))
    return path


def test_gzip_expanding_past_the_upload_limit_is_refused_having_read_about_the_limit(
    aspirant, tmp_path, settings, gzip_bytes_out
):
    settings.APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES = MEGABYTE
    path = varied_csv_gz(tmp_path / "cedulas.csv.gz", 40_000)
    upload = upload_file(aspirant, path)
    assert_refused_and_nothing_stored(upload)
    assert upload.message == (
        "El archivo comprimido (.gz) se descomprime a más de 1 MB; no se procesa."
    )
    assert gzip_bytes_out["bytes"] <= MEGABYTE + READ_SLACK


def test_xlsx_expanding_past_the_upload_limit_is_refused(aspirant, tmp_path, settings):
    settings.APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES = 200 * 1024
    path = write_xlsx(tmp_path / "cedulas.xlsx", [good_row(n) for n in range(1, 3000)])
    upload = upload_file(aspirant, path)
    assert_refused_and_nothing_stored(upload)
    assert upload.message == "El archivo XLSX se descomprime a más de 0.2 MB; no se procesa."


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_with_more_rows_than_the_limit_is_refused_reading_one_row_past_it(
    aspirant, tmp_path, settings, rows_read, dry_run
):
    settings.APOYO_UPLOAD_MAX_ROWS = 20
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(1, 31)])
    upload = upload_file(aspirant, path, dry_run=dry_run)
    assert_refused_and_nothing_stored(upload)
    assert upload.message == (
        "El archivo tiene más filas con datos que el límite de 20; divídalo en varios archivos."
    )
    assert rows_read["rows"] == 20


def test_a_file_at_the_row_limit_is_stored(aspirant, tmp_path, settings):
    settings.APOYO_UPLOAD_MAX_ROWS = 20
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", [good_row(n) for n in range(20)]))
    assert (upload.status, upload.stored) == (UploadStatus.DONE, 20)


def test_validation_holds_at_most_one_chunk_of_rows_in_memory(aspirant, tmp_path, monkeypatch):
    held = []
    real_flush = uploads.Outcome.flush

    def flush(outcome):
        held.append(outcome.held)
        real_flush(outcome)

    monkeypatch.setattr(uploads, "CHUNK_ROWS", 10)
    monkeypatch.setattr(uploads.Outcome, "flush", flush)
    rows = [good_row(n) if n % 3 else BAD_ROW for n in range(1, 101)]
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", rows))
    per_row = 4  # issues of one BAD_ROW
    assert max(held) <= 10 * per_row
    assert (upload.rows_read, upload.stored, upload.rejected) == (100, 67, 33)
    assert upload.issues.count() == 33 * per_row


def test_dry_run_stores_only_its_first_issues_and_counts_the_rest(aspirant, tmp_path, settings):
    settings.APOYO_UPLOAD_DRY_RUN_MAX_ISSUES = 5
    rows = [good_row(1), *[BAD_ROW] * 30, good_row(2)]
    dry = upload_file(aspirant, write_csv(tmp_path / "a.csv", rows), dry_run=True)
    assert (dry.status, dry.stored, dry.rejected) == (UploadStatus.DONE, 2, 30)
    assert list(dry.issues.values_list("row_number", flat=True)) == [3, 3, 3, 3, 4]
    assert dry.message == (
        "Solo validar: el reporte incluye las primeras 5 de 120 incidencias. "
        "Corrija el archivo y valídelo de nuevo."
    )
    assert not Support.objects.exists()


def test_a_real_upload_still_stores_every_issue(aspirant, tmp_path, settings):
    settings.APOYO_UPLOAD_DRY_RUN_MAX_ISSUES = 5
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", [BAD_ROW] * 30))
    assert (upload.rejected, upload.issues.count(), upload.message) == (30, 120, "")


def test_the_report_of_a_bounded_dry_run_still_downloads(
    client, aspirant, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.APOYO_UPLOAD_DRY_RUN_MAX_ISSUES = 5
    client.force_login(make_user(Role.OPL_CAPTURIST))
    path = write_csv(tmp_path / "a.csv", [BAD_ROW] * 30)
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        data = {"aspirant": aspirant.pk, "file": handle, "dry_run": "on"}
        response = client.post(reverse("uploads:list"), data)
    page = client.get(response["Location"]).content.decode()
    assert "las primeras 5 de 120 incidencias" in page
    upload = UploadIssue.objects.first().upload
    report = client.get(reverse("uploads:report", args=[upload.pk, "csv"]))
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 5 and lines[0].startswith("FILA,TIPO,COLUMNA,MOTIVO")

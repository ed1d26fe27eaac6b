"""The carga masiva on SQLite stages its valid rows in short transactions (staging.py): another
connection writes between two chunks, sees none of the upload until it is published, and a
failure while staging leaves nothing stored and nothing staged."""

import datetime
import threading

import pytest
from django.db import connection, connections

from apoyo.supports.models import Cedula, Support, SupportTally, UploadStatus
from apoyo.supports.rules import SupportRow
from apoyo.testing.factories import make_aspirant, make_user, support
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads import staging
from apoyo.uploads.models import StagedSupport
from apoyo.uploads.services import register_upload, run_upload

# Committed transactions, so that a second connection sees what the chunks wrote; the catalogues
# the migrations load are restored after each test (serialized_rollback).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DAY = datetime.date(2020, 12, 20)


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps COPY in one transaction: its writers do not wait for it")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(staging, "STAGE_ROWS", 10)


def register(aspirant, path, user=None):
    with open(path, "rb") as source:
        return register_upload(user, aspirant, source, path.name)


def in_other_connection(work):
    """Run `work` in a thread, which has its own database connection; return what it returned
    or raise what it raised."""
    outcome = {}

    def target():
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_another_connection_saves_a_row_between_two_staged_chunks_and_sees_nothing_of_the_upload(
    small_chunks, monkeypatch, tmp_path
):
    aspirant = make_aspirant(code="A-01")
    other = make_aspirant(aspirant.office, code="A-02")
    upload = register(aspirant, write_csv(tmp_path / "a.csv", [good_row(n) for n in range(35)]))
    seen = []
    original = staging.stage_chunk

    def chunk_then_other_save(upload_, rows):
        count = original(upload_, rows)
        assert not connection.in_atomic_block  # the chunk committed: the lock is released

        def capturist_saves_a_row():
            saved = support(other, f"GALJ8501010{len(seen):02d}H100", reference=f"M-{len(seen)}")
            published = Support.objects.filter(aspirant=aspirant).count()
            counted = SupportTally.objects.filter(aspirant=aspirant, n__gt=0).count()
            return saved.pk, published, counted, Cedula.objects.filter(aspirant=aspirant).count()

        seen.append(in_other_connection(capturist_saves_a_row))
        return count

    monkeypatch.setattr(staging, "stage_chunk", chunk_then_other_save)
    upload = run_upload(upload)

    assert (upload.status, upload.stored) == (UploadStatus.DONE, 35)
    assert len(seen) == 4  # 35 rows in chunks of 10
    # Before the publish, the upload had no support, tally or cédula the other connection saw.
    assert {(published, counted, cedulas) for _, published, counted, cedulas in seen} == {(0, 0, 0)}
    assert Support.objects.filter(aspirant=other).count() == 4
    assert Support.objects.filter(pk__in=[pk for pk, *_ in seen]).count() == 4
    assert not StagedSupport.objects.exists()


def test_published_supports_keep_the_file_order_in_their_ids(small_chunks, tmp_path):
    aspirant = make_aspirant(code="A-01")
    rows = [good_row(n, reference=f"F-{n % 3}") for n in range(25)]
    upload = run_upload(register(aspirant, write_csv(tmp_path / "a.csv", rows)))
    keys = list(Support.objects.filter(upload=upload).order_by("id").values_list("elector_key"))
    assert [key for (key,) in keys] == [row[4] for row in rows]
    cedulas = Support.objects.filter(upload=upload).values_list("cedula__reference", "ocr")
    assert {(f"F-{n % 3}", f"{n:013d}") for n in range(25)} == set(cedulas)


def test_a_failure_while_staging_stores_nothing_and_its_retry_equals_a_clean_run(
    small_chunks, monkeypatch, tmp_path
):
    aspirant = make_aspirant(code="A-01")
    twin = make_aspirant(aspirant.office, code="A-02")
    user = make_user()
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(25)])
    upload = register(aspirant, path, user)
    original = staging.stage_chunk
    calls = []

    def fails_at_second_chunk(upload_, rows):
        calls.append(rows)
        if len(calls) == 2:
            raise RuntimeError("disco lleno")
        return original(upload_, rows)

    monkeypatch.setattr(staging, "stage_chunk", fails_at_second_chunk)
    upload = run_upload(upload)
    assert (upload.status, upload.retryable, upload.stored) == (UploadStatus.FAILED, True, 0)
    assert not Support.objects.exists() and not Cedula.objects.exists()
    assert not StagedSupport.objects.exists()

    monkeypatch.setattr(staging, "stage_chunk", original)
    retried = run_upload(upload)
    clean = run_upload(register(twin, path, user))
    assert (retried.status, retried.stored) == (clean.status, clean.stored) == ("done", 25)


def test_rows_a_killed_run_left_staged_are_deleted_by_the_retry_never_published(tmp_path):
    aspirant = make_aspirant(code="A-01")
    upload = register(aspirant, write_csv(tmp_path / "a.csv", [good_row(n) for n in range(5)]))
    # What a worker killed between two staged chunks leaves: staged rows and nothing else.
    staging.stage_rows(upload, leftover_rows())
    assert StagedSupport.objects.filter(upload=upload).count() == 3

    upload = run_upload(upload)
    assert (upload.status, upload.stored) == (UploadStatus.DONE, 5)
    assert Support.objects.filter(upload=upload).count() == 5
    assert not Support.objects.filter(elector_key__startswith="ZZZZ").exists()
    assert not StagedSupport.objects.exists()


def leftover_rows():
    """(row number, SupportRow, warnings, search name) as Outcome.valid_rows gives them."""
    for n in range(3):
        row = SupportRow("F-1", "JUAN", "", "", f"ZZZZ{n:014d}", "", "", "", DAY)
        yield n + 2, row, "", ""


def test_staged_rows_that_differ_from_the_validated_ones_fail_the_upload_storing_nothing(
    monkeypatch, tmp_path
):
    aspirant = make_aspirant(code="A-01")
    upload = register(aspirant, write_csv(tmp_path / "a.csv", [good_row(n) for n in range(5)]))
    original = staging.stage_rows

    def stages_one_more(upload_, valid_rows):
        return original(upload_, valid_rows) + original(upload_, list(leftover_rows())[:1])

    monkeypatch.setattr(staging, "stage_rows", stages_one_more)
    upload = run_upload(upload)
    assert (upload.status, upload.retryable, upload.stored) == (UploadStatus.FAILED, True, 0)
    assert not Support.objects.exists() and not Cedula.objects.exists()
    assert not StagedSupport.objects.exists()

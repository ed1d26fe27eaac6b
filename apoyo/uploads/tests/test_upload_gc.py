"""An upload runs with Python's cyclic garbage collector paused (services.cyclic_gc_paused), and
the collector is running again once it ends, whether it stored the file or crashed."""

import gc

import pytest

from apoyo.supports.models import UploadStatus
from apoyo.testing.factories import make_aspirant
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads import services
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


def upload_of(tmp_path, rows):
    path = write_csv(tmp_path / "a.csv", rows)
    with open(path, "rb") as source:
        return register_upload(None, make_aspirant(code="A-01"), source, path.name)


def test_the_collector_is_paused_while_validating_and_running_after(tmp_path, monkeypatch):
    seen = []
    real = services.validate_chunk

    def validate_chunk(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(services, "validate_chunk", validate_chunk)
    upload = run_upload(upload_of(tmp_path, [good_row(n) for n in range(3)]))
    assert (upload.status, upload.stored) == (UploadStatus.DONE, 3)
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_runs_again_after_a_crashed_upload(tmp_path, monkeypatch):
    def crash(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "validate_chunk", crash)
    upload = run_upload(upload_of(tmp_path, [good_row(1)]))
    assert (upload.status, upload.retryable) == (UploadStatus.FAILED, True)
    assert gc.isenabled()


def test_a_collector_already_off_is_left_off(tmp_path):
    gc.disable()
    try:
        run_upload(upload_of(tmp_path, [good_row(1)]))
        assert not gc.isenabled()
    finally:
        gc.enable()

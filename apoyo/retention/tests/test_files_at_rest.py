"""Every file of personal data the real flows store is encrypted on disk (no image, PDF or workbook
can be recognised in it) and whole when read through the storage: scans and their pages, app
photos (the four the capture app sends: credential front and back, live photo and signature), a
carga masiva's original file, hearing evidence and the dictamen's PDF. A carga masiva
and a roll file are still read from their encrypted copy."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.core.encryption import MAGIC
from apoyo.core.filetypes import detect
from apoyo.retention.tests.scenario import build_ended
from apoyo.roll.jobs import register_import, run_import
from apoyo.roll.models import ImportStatus
from apoyo.roll.tests.files import csv_text, elector_key, roll_row
from apoyo.supports.models import CedulaScan, CedulaScanPage, Support, SupportImage, UploadStatus
from apoyo.testing.capture_app import capture, make_auxiliary, send, token_for
from apoyo.testing.factories import make_aspirant, make_sections, make_user
from apoyo.testing.files import good_row, write_xlsx
from apoyo.uploads.services import register_upload, run_upload
from apoyo.verification.models import HearingEvidence

pytestmark = pytest.mark.django_db
CUT = datetime.date(2020, 8, 31)


def raw(name):
    return Path(default_storage.path(name)).read_bytes()


def test_scans_pages_photos_evidence_and_the_dictamen_are_encrypted_on_disk(
    monkeypatch, django_capture_on_commit_callbacks
):
    ended = build_ended(monkeypatch, django_capture_on_commit_callbacks)
    expected = {
        CedulaScan.objects.get().file.name: "pdf",
        CedulaScanPage.objects.get().file.name: "jpeg",
        SupportImage.objects.get().file.name: "png",
        HearingEvidence.objects.get().file.name: "pdf",
        ended.ruling.pdf.name: "pdf",
    }
    for name, kind in expected.items():
        on_disk = raw(name)
        assert on_disk.startswith(MAGIC) and detect(io.BytesIO(on_disk)) is None, name
        with default_storage.open(name) as stored:
            assert detect(io.BytesIO(stored.read())) == kind, name


def test_the_capture_apps_photos_selfie_and_signature_are_encrypted_on_disk(client):
    response = send(client, token_for(make_auxiliary()), capture(3))
    assert response.status_code == 201
    images = SupportImage.objects.filter(support__client_uuid=response.json()["uuid"])
    stored = {image.kind: image for image in images}
    assert sorted(stored) == ["back", "front", "selfie", "signature"]
    for kind, image in stored.items():
        on_disk = raw(image.file.name)
        assert on_disk.startswith(MAGIC) and detect(io.BytesIO(on_disk)) is None, kind
        with default_storage.open(image.file.name) as plain:
            assert detect(io.BytesIO(plain.read())) == image.content_kind, kind


def test_a_carga_masiva_is_stored_encrypted_and_still_read(tmp_path):
    aspirant = make_aspirant()
    workbook = write_xlsx(tmp_path / "apoyos.xlsx", [good_row(n) for n in range(1, 6)])
    with workbook.open("rb") as source:
        upload = register_upload(make_user(), aspirant, source, "apoyos.xlsx")
    on_disk = raw(upload.file.name)
    assert on_disk.startswith(MAGIC) and b"PK\x03\x04" not in on_disk[:200]
    assert detect(io.BytesIO(on_disk)) is None
    upload = run_upload(upload)
    assert (upload.status, upload.stored) == (UploadStatus.DONE, 5)
    assert Support.objects.filter(upload=upload).count() == 5


def test_a_roll_file_is_stored_encrypted_and_still_imported():
    make_sections()
    data = csv_text([roll_row(n) for n in range(1, 4)]).encode()
    job = register_import(make_user(), CUT, SimpleUploadedFile("padron.csv", data), "padron.csv")
    on_disk = raw(job.file.name)
    assert on_disk.startswith(MAGIC) and elector_key(1).encode() not in on_disk
    job = run_import(job)
    assert (job.status, job.imported) == (ImportStatus.DONE, 3)
    assert not job.file  # the copy received is deleted once imported

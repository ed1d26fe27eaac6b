"""Deleting an upload's staged rows (staging.discard): every one of them, none of another upload's,
a chunk per statement chosen by the database rather than by ids read into Python."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apoyo.supports.rules import SupportRow
from apoyo.testing.factories import make_aspirant
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads import staging
from apoyo.uploads.models import StagedSupport
from apoyo.uploads.services import register_upload

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 12, 20)


def staged_upload(aspirant, path, rows):
    with open(write_csv(path, [good_row(1)]), "rb") as source:
        upload = register_upload(None, aspirant, source, path.name)
    valid = (
        (n, SupportRow("F-1", "JUAN", "", "", f"ZZZZ{n:014d}", "", "", "", DAY), "", "")
        for n in range(rows)
    )
    staging.stage_rows(upload, valid)
    return upload


def test_discard_deletes_the_uploads_staged_rows_a_chunk_per_statement(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "STAGE_ROWS", 10)
    aspirant = make_aspirant(code="A-01")
    upload = staged_upload(aspirant, tmp_path / "a.csv", 25)
    other = staged_upload(aspirant, tmp_path / "b.csv", 3)

    with CaptureQueriesContext(connection) as queries:
        staging.discard(upload)

    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements.count("DELETE") == 3
    assert "SELECT" not in statements
    assert not StagedSupport.objects.filter(upload=upload).exists()
    assert StagedSupport.objects.filter(upload=other).count() == 3

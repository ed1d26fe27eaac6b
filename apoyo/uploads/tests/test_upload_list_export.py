"""The carga masiva history downloads what the list shows: the entity's uploads, with its filters."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.exports import UPLOAD_LIST_HEADER
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


def upload(tmp_path, aspirant, user=None, name="a.csv"):
    path = write_csv(tmp_path / name, [good_row(1), good_row(2)])
    with open(path, "rb") as source:
        return run_upload(register_upload(user, aspirant, source, name))


def test_the_uploads_list_downloads_with_its_filters_in_its_entity_only(client, tmp_path):
    user = make_user(Role.OPL_CAPTURIST)
    a, b = make_aspirant(), make_aspirant()
    mine = upload(tmp_path, a, user, "mia.csv")
    other = upload(tmp_path, b, name="otra.csv")
    upload(tmp_path, make_aspirant(make_office(make_process(state_number=14))), name="jal.csv")
    client.force_login(user)
    rows = csv_rows(client.get(reverse("uploads:list_export", args=["csv"])))
    assert rows[0] == UPLOAD_LIST_HEADER
    assert {row[0] for row in rows[1:]} == {str(mine.pk), str(other.pk)}
    by_aspirant = csv_rows(
        client.get(reverse("uploads:list_export", args=["csv"]), {"aspirant": b.pk})
    )
    assert [row[3] for row in by_aspirant[1:]] == ["otra.csv"]
    sheet = xlsx_sheets(client.get(reverse("uploads:list_export", args=["xlsx"]), {"mine": "1"}))
    (row,) = sheet["Cargas"][1:]
    assert row[0] == mine.pk and row[UPLOAD_LIST_HEADER.index("Guardadas")] == 2
    assert AccessLog.objects.filter(user=user, action="exportar", object_type="cargas").count() == 3


def test_the_uploads_page_offers_the_download_and_reads_numbers_with_separators(client, tmp_path):
    user = make_user(Role.OPL_CAPTURIST)
    done = upload(tmp_path, make_aspirant(), user)
    done.__class__.objects.filter(pk=done.pk).update(stored=46800)
    client.force_login(user)
    page = client.get(reverse("uploads:list"), {"mine": "1"}).content.decode()
    assert reverse("uploads:list_export", args=["csv"]) + "?mine=1" in page
    assert "46,800" in page

"""A carga masiva file holds citizens' data: it is stored readable by the service only (0600, in
folders 0700), through FILE_UPLOAD_PERMISSIONS and FILE_UPLOAD_DIRECTORY_PERMISSIONS."""

import os
import stat
from pathlib import Path

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.supports.models import Upload
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_uploads(settings):
    """The modes settings.py sets (apoyo.core.tests.test_deployed_settings checks it does)."""
    settings.FILE_UPLOAD_PERMISSIONS = 0o600
    settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
    previous = os.umask(0o022)
    yield settings
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


# 2 rows arrive in memory; 40,000 rows (over 2.5 MB) arrive as a temporary file that is moved.
@pytest.mark.parametrize("rows", [2, 40_000])
def test_an_uploaded_file_is_owner_only_down_from_the_media_root(
    client, private_uploads, tmp_path, rows
):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(rows)])
    with open(path, "rb") as handle:
        client.post(reverse("uploads:list"), {"aspirant": make_aspirant().pk, "file": handle})
    stored = Path(Upload.objects.get().file.path)
    assert mode(stored) == 0o600
    media_root = Path(private_uploads.MEDIA_ROOT)
    folders = [stored.parent, *stored.parent.parents]
    below_root = folders[: folders.index(media_root) + 1]
    assert below_root[-1] == media_root and len(below_root) == 4  # files/uploads/AAAA/MM
    assert {str(folder): mode(folder) for folder in below_root} == {
        str(folder): 0o700 for folder in below_root
    }

"""The OPL's list of auxiliaries downloads what it shows: the entity's, filtered by aspirant."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.capture_app.auxiliary_views import OPL_EXPORT_HEADER
from apoyo.testing.capture_app import make_auxiliary
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user

pytestmark = pytest.mark.django_db


def test_the_opl_downloads_its_auxiliaries_with_the_aspirant_filter(client):
    first = make_auxiliary()
    second = make_auxiliary(make_aspirant(first.aspirant.office))
    make_auxiliary(make_aspirant(make_office(make_process(state_number=14))))
    user = make_user(Role.OPL_ADMIN)
    client.force_login(user)
    url = reverse("auxiliaries:opl_export", args=["csv"])
    rows = csv_rows(client.get(url))
    assert rows[0] == OPL_EXPORT_HEADER
    assert {row[2] for row in rows[1:]} == {first.user.username, second.user.username}
    only = xlsx_sheets(
        client.get(
            reverse("auxiliaries:opl_export", args=["xlsx"]), {"aspirant": second.aspirant_id}
        )
    )
    (row,) = only["Auxiliares"][1:]
    assert row[:3] == [second.aspirant.code, second.name, second.user.username]
    assert row[4] == second.phone and row[-1] == 0
    assert (
        AccessLog.objects.filter(user=user, action="exportar", object_type="auxiliares").count()
        == 2
    )


def test_aspirants_cannot_download_the_opl_list(client):
    auxiliary = make_auxiliary()
    client.force_login(auxiliary.aspirant.user)
    assert client.get(reverse("auxiliaries:opl_export", args=["csv"])).status_code == 403

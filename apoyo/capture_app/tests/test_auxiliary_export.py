"""The lists of auxiliaries download what they show: the OPL's, of its entity and filtered by
aspirant, and the aspirant's own."""

import re

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.aspirants.services import deactivate_auxiliary
from apoyo.capture_app.auxiliary_views import EXPORT_HEADER, OPL_EXPORT_HEADER
from apoyo.supports.models import Channel, Support
from apoyo.testing.capture_app import make_auxiliary
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.testing.factories import (
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
    support,
)

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


def test_the_aspirant_downloads_their_own_auxiliaries_with_their_app_captures(client):
    first = make_auxiliary()
    second = make_auxiliary(first.aspirant)
    make_auxiliary(make_aspirant(first.aspirant.office))  # another aspirant's
    captured = support(first.aspirant, elector_key(1), channel=Channel.APP)
    Support.objects.filter(pk=captured.pk).update(captured_by=first.user)
    client.force_login(first.aspirant.user)
    rows = csv_rows(client.get(reverse("auxiliaries:export", args=["csv"])))
    assert rows[0] == EXPORT_HEADER
    by_user = {row[1]: row for row in rows[1:]}
    assert set(by_user) == {first.user.username, second.user.username}
    assert by_user[first.user.username][-1] == "1" and by_user[second.user.username][-1] == "0"
    sheet = xlsx_sheets(client.get(reverse("auxiliaries:export", args=["xlsx"])))["Auxiliares"]
    assert len(sheet) == 3 and sheet[1][4] == "Cuenta activa"
    assert AccessLog.objects.filter(action="exportar", object_type="auxiliares").count() == 2
    page = client.get(reverse("auxiliaries:list")).text
    assert reverse("auxiliaries:export", args=["xlsx"]) in page and "(2 registros)" in page


def test_the_opl_list_and_its_download_name_the_account_state_without_assuming_a_gender(client):
    active = make_auxiliary()
    stopped = make_auxiliary(active.aspirant)
    deactivate_auxiliary(stopped)
    client.force_login(make_user(Role.OPL_ADMIN))
    page = client.get(reverse("auxiliaries:opl_list")).text
    assert "Cuenta activa" in page and "Cuenta desactivada" in page
    assert not re.search(r">(Activo|Desactivado|Registrado)<", page)
    rows = csv_rows(client.get(reverse("auxiliaries:opl_export", args=["csv"])))
    assert rows[0][5:7] == ["Estado", "Fecha de registro"]
    states = {row[2]: row[5] for row in rows[1:]}
    assert states == {
        active.user.username: "Cuenta activa",
        stopped.user.username: "Cuenta desactivada",
    }

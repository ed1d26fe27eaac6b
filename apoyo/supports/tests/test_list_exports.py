"""The supports lists as files: the OPL's list and the aspirant's portal export what the page
shows (same scope, filters and search), with Spanish headers and local times, and are logged."""

import datetime

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.supports.exports import OPL_HEADER, PORTAL_HEADER
from apoyo.supports.models import Support
from apoyo.supports.services import capture_support, open_cedula
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.testing.factories import (
    PERIOD_START,
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
)

pytestmark = pytest.mark.django_db


def add(aspirant, n, name, paternal, reference="F-1"):
    capturist = make_user(Role.OPL_CAPTURIST, state_number=aspirant.office.process.state_id)
    cedula, _ = open_cedula(capturist, aspirant, reference, PERIOD_START)
    values = {
        "NOMBRE": name,
        "APELLIDO_PATERNO": paternal,
        "APELLIDO_MATERNO": "",
        "CLAVE_ELECTOR": elector_key(n),
        "OCR": f"{n:013d}",
    }
    support = capture_support(capturist, cedula, values).support
    assert support is not None
    return support


@pytest.fixture
def world():
    office = make_office()
    a = make_aspirant(office, with_user=True)
    b = make_aspirant(office, with_user=True)
    jalisco = make_aspirant(make_office(make_process(state_number=14)))
    return {
        "a": a,
        "b": b,
        "a_munoz": add(a, 1, "José", "Muñoz"),
        "a_lopez": add(a, 2, "Ana", "López"),
        "b_munoz": add(b, 3, "Luis", "Muñoz"),
        "jalisco_munoz": add(jalisco, 4, "Eva", "Muñoz"),
    }


def keys(rows, column=1):
    return {row[column] for row in rows[1:]}


def test_the_opl_list_exports_its_search_and_filters_in_its_entity_only(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    url = reverse("supports:export", args=["csv"])
    rows = csv_rows(client.get(url, {"q": "munoz"}))
    assert rows[0] == OPL_HEADER
    assert keys(rows) == {world["a_munoz"].elector_key, world["b_munoz"].elector_key}
    one = csv_rows(client.get(url, {"q": "munoz", "aspirant": world["a"].pk}))
    assert keys(one) == {world["a_munoz"].elector_key}


def test_the_opl_list_xlsx_has_the_same_rows_with_local_capture_times(client, world):
    support = world["a_munoz"]
    Support.objects.filter(pk=support.pk).update(
        captured_at=datetime.datetime(2021, 1, 5, 17, 30, tzinfo=datetime.UTC)
    )
    client.force_login(make_user(Role.OPL_REVIEWER))
    response = client.get(reverse("supports:export", args=["xlsx"]), {"q": "jose munoz"})
    sheet = xlsx_sheets(response)["Apoyos"]
    assert sheet[0] == OPL_HEADER
    (row,) = sheet[1:]
    assert row[1] == support.elector_key and row[2:5] == ["JOSE", "MUÑOZ", ""]
    # 17:30 UTC is 10:30 in Hermosillo, as the pages show it.
    assert row[-1] == datetime.datetime(2021, 1, 5, 10, 30)
    assert row[OPL_HEADER.index("Estado")] == "Aceptado (preliminar)"


def test_an_export_is_written_to_the_access_log(client, world):
    user = make_user(Role.OPL_REVIEWER)
    client.force_login(user)
    client.get(reverse("supports:export", args=["csv"]), {"q": "munoz"})
    entry = AccessLog.objects.filter(user=user, action="exportar").get()
    assert entry.object_type == "apoyos" and "q=munoz" in entry.detail


def test_an_unknown_format_is_not_found(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    assert client.get(reverse("supports:export", args=["pdf"])).status_code == 404


def test_the_aspirant_exports_only_their_own_supports_with_the_portal_search(client, world):
    client.force_login(world["a"].user)
    url = reverse("supports:portal_export", args=["csv"])
    every = csv_rows(client.get(url))
    assert every[0] == PORTAL_HEADER
    assert keys(every) == {world["a_munoz"].elector_key, world["a_lopez"].elector_key}
    searched = xlsx_sheets(
        client.get(reverse("supports:portal_export", args=["xlsx"]), {"q": "MUNOZ"})
    )
    assert keys(searched["Mis apoyos"]) == {world["a_munoz"].elector_key}
    entry = AccessLog.objects.filter(user=world["a"].user, action="exportar").last()
    assert (entry.object_type, entry.object_id) == ("apoyos propios", str(world["a"].pk))


def test_other_roles_cannot_export_the_lists(client, world):
    client.force_login(world["a"].user)
    assert client.get(reverse("supports:export", args=["csv"])).status_code == 403
    client.force_login(make_user(Role.OPL_REVIEWER))
    assert client.get(reverse("supports:portal_export", args=["csv"])).status_code == 403


def test_an_empty_search_says_what_was_sought(client, world):
    client.force_login(make_user(Role.OPL_REVIEWER))
    page = client.get(reverse("supports:list"), {"q": "zapata"}).content.decode()
    assert "Ningún resultado para «zapata»." in page
    client.force_login(world["a"].user)
    page = client.get(reverse("supports:portal"), {"q": "zapata"}).content.decode()
    assert "Ningún resultado para «zapata»." in page
    assert "Aún no hay apoyos" not in page


def test_the_pages_offer_the_downloads_with_their_filters(client, world):
    client.force_login(world["a"].user)
    page = client.get(reverse("supports:portal"), {"q": "munoz", "page": "1"}).content.decode()
    assert reverse("supports:portal_export", args=["xlsx"]) + '?q=munoz"' in page

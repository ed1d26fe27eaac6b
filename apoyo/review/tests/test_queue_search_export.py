"""The mesa de control queue's search (accent- and case-insensitive, supports.search) and its
download, which carries the same scope, filters and search as the page."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.review.exports import QUEUE_HEADER
from apoyo.review.queue import review_queue
from apoyo.testing.downloads import csv_rows, xlsx_sheets
from apoyo.testing.factories import (
    make_aspirant,
    make_office,
    make_process,
    make_user,
    precaptured_named,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    aspirant = make_aspirant(make_office(), with_user=True)
    other_state = make_aspirant(make_office(make_process(state_number=14)), with_user=True)
    return {
        "munoz": precaptured_named(aspirant, 1, "José", "Muñoz"),
        "lopez": precaptured_named(aspirant, 2, "Ana", "López"),
        "jalisco": precaptured_named(other_state, 3, "Eva", "Muñoz"),
    }


def test_the_queue_finds_munoz_typed_without_the_enye(pending):
    reviewer = make_user(Role.OPL_REVIEWER)
    assert list(review_queue(reviewer, {"q": "munoz"})) == [pending["munoz"]]
    assert list(review_queue(reviewer, {"q": "ANA LOPEZ"})) == [pending["lopez"]]


def test_the_queue_page_searches_and_says_when_nothing_matches(client, pending):
    client.force_login(make_user(Role.OPL_REVIEWER))
    page = client.get(reverse("review:queue"), {"q": "muñoz"}).content.decode()
    assert pending["munoz"].elector_key in page and pending["lopez"].elector_key not in page
    # The search travels with "Comenzar revisión" and the review's next support.
    assert reverse("review:start") + "?q=mu%C3%B1oz" in page
    empty = client.get(reverse("review:queue"), {"q": "zapata"}).content.decode()
    assert "Ningún resultado para «zapata»." in empty


def test_the_queue_downloads_what_it_shows(client, pending):
    user = make_user(Role.OPL_REVIEWER)
    client.force_login(user)
    rows = csv_rows(client.get(reverse("review:queue_export", args=["csv"]), {"q": "munoz"}))
    assert rows[0] == QUEUE_HEADER
    assert [row[4] for row in rows[1:]] == [pending["munoz"].elector_key]  # not Jalisco's
    sheets = xlsx_sheets(client.get(reverse("review:queue_export", args=["xlsx"])))
    keys = {row[4] for row in sheets["Mesa de control"][1:]}
    assert keys == {pending["munoz"].elector_key, pending["lopez"].elector_key}
    entry = AccessLog.objects.filter(user=user, action="exportar").last()
    assert entry.object_type == "mesa de control" and "q=munoz" in entry.detail


def test_only_revisors_download_the_queue(client, pending):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    assert client.get(reverse("review:queue_export", args=["csv"])).status_code == 403

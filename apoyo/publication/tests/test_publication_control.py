"""Publication control: only compulsas the OPL published show, on the pages and in the open data;
the administrator publishes and withdraws with a confirmation, recorded and audited."""

import csv
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.publication.models import Publication
from apoyo.publication.services import (
    PublicationRefused,
    current_published_run,
    publish_figures,
    withdraw_publication,
)
from apoyo.testing.factories import make_user
from apoyo.verification.services import start_run

pytestmark = pytest.mark.django_db


def office_url(office):
    return reverse("publication:office", args=[office.pk])


def data_url(office, fmt):
    return reverse("publication:office_data", args=[office.pk, fmt])


def streamed(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_runs(client, office):
    rows = list(csv.DictReader(io.StringIO(streamed(client.get(data_url(office, "csv"))))))
    return {int(row["COMPULSA"]) for row in rows}


def json_runs(client, office):
    document = json.loads(client.get(data_url(office, "json")).content)
    return {row["COMPULSA"] for row in document["filas"]}


def valid_shown(page, aspirant):
    """The valid supports the page's table shows for the aspirant."""
    row = page.split(f'data-aspirant="{aspirant.code}"', 1)[1]
    return re.search(r'data-count="valid">([^<]*)<', row)[1]


def public_urls(office):
    return [office_url(office), data_url(office, "csv"), data_url(office, "json")]


def test_an_office_with_no_published_run_is_not_found_anywhere_public(client, office, runs):
    for url in public_urls(office):
        assert client.get(url).status_code == 404, url
    index = client.get(reverse("publication:index")).content.decode()
    assert office.name not in index and "Aún no hay cifras publicadas" in index


def test_only_the_published_run_shows_even_when_a_newer_run_exists(
    client, office, runs, admin, aspirants
):
    first, second = runs
    publish_figures(admin, first)
    page = client.get(office_url(office)).content.decode()
    assert f"N.º {first.pk}," in page and f"N.º {second.pk}," not in page
    # B had 1 valid support in the first run, 2 in the (unpublished) second.
    assert valid_shown(page, aspirants[1]) == "1"
    assert csv_runs(client, office) == {first.pk}
    assert json_runs(client, office) == {first.pk}
    assert current_published_run(office) == first


def test_publishing_the_newer_run_makes_it_current_and_adds_it_to_the_path(
    client, office, runs, admin, aspirants
):
    first, second = runs
    publish_figures(admin, first)
    publish_figures(admin, second)
    page = client.get(office_url(office)).content.decode()
    assert f"N.º {second.pk}," in page and valid_shown(page, aspirants[1]) == "2"
    # One required line in each drawing of the chart (the wide one and the phone's).
    assert page.count('data-line="required"') == 2
    assert "2 compulsas publicadas" in page
    assert csv_runs(client, office) == {first.pk, second.pk}
    assert json_runs(client, office) == {first.pk, second.pk}


def test_a_withdrawn_run_leaves_the_page_the_chart_and_the_open_data(client, office, runs, admin):
    first, second = runs
    publish_figures(admin, first)
    publish_figures(admin, second)
    withdraw_publication(admin, second)
    assert current_published_run(office) == first
    assert csv_runs(client, office) == {first.pk}
    assert json_runs(client, office) == {first.pk}
    withdraw_publication(admin, first)
    for url in public_urls(office):
        assert client.get(url).status_code == 404, url


def test_a_direct_url_of_an_unpublished_office_is_404_for_signed_in_staff_too(client, office, runs):
    client.force_login(make_user(Role.OPL_ADMIN))
    for url in public_urls(office):
        assert client.get(url).status_code == 404, url


def test_an_unfinished_run_cannot_be_published(office, aspirants, admin):
    queued = start_run(office)
    with pytest.raises(PublicationRefused):
        publish_figures(admin, queued)
    assert not Publication.objects.exists()


def test_only_the_entitys_administrator_may_publish(runs):
    first, _ = runs
    for user in (
        make_user(Role.OPL_REVIEWER),
        make_user(Role.OPL_CAPTURIST),
        make_user(Role.OPL_ADMIN, state_number=14),
    ):
        with pytest.raises(PermissionDenied):
            publish_figures(user, first)
    assert not Publication.objects.exists()


def test_the_admin_publishes_from_the_run_page_with_a_confirmation(client, office, runs, admin):
    first, _ = runs
    client.force_login(admin)
    run_page = client.get(reverse("verification:run", args=[first.pk])).content.decode()
    publish_url = reverse("publication:publish", args=[first.pk])
    assert "Publicar cifras" in run_page and publish_url in run_page
    confirm = client.get(publish_url).content.decode()
    assert "Sí, publicar cifras" in confirm and "Lo que se publicará" in confirm
    assert not Publication.objects.exists()  # the GET only asks

    response = client.post(publish_url)
    assert response["Location"] == reverse("verification:run", args=[first.pk])
    publication = Publication.objects.get()
    assert (publication.run, publication.published_by, publication.withdrawn_at) == (
        first,
        admin,
        None,
    )
    entry = AccessLog.objects.get(action="publicar cifras")
    assert (entry.user, entry.object_id, entry.detail) == (admin, str(first.pk), office.code)
    run_page = client.get(reverse("verification:run", args=[first.pk])).content.decode()
    assert "Cifras publicadas" in run_page and "Retirar publicación" in run_page
    assert office_url(office) in run_page


def test_publishing_twice_keeps_one_publication(client, runs, admin):
    first, _ = runs
    client.force_login(admin)
    client.post(reverse("publication:publish", args=[first.pk]))
    client.post(reverse("publication:publish", args=[first.pk]))
    assert Publication.objects.count() == 1
    assert AccessLog.objects.filter(action="publicar cifras").count() == 1


def test_the_admin_withdraws_with_a_confirmation_and_who_and_when_are_kept(
    client, office, runs, admin
):
    first, _ = runs
    publish_figures(admin, first)
    client.force_login(admin)
    withdraw_url = reverse("publication:withdraw", args=[first.pk])
    assert "Sí, retirar publicación" in client.get(withdraw_url).content.decode()
    assert Publication.objects.get().withdrawn_at is None
    client.post(withdraw_url)
    publication = Publication.objects.get()
    assert publication.withdrawn_by == admin and publication.withdrawn_at is not None
    assert AccessLog.objects.filter(action="retirar publicación", user=admin).count() == 1
    assert client.get(office_url(office)).status_code == 404
    # Publishing again adds a new publication; the withdrawn one stays on record.
    publish_figures(admin, first)
    assert Publication.objects.count() == 2
    assert client.get(office_url(office)).status_code == 200


def test_reviewers_see_the_state_on_the_run_page_but_not_the_buttons(client, runs, admin):
    first, _ = runs
    publish_figures(admin, first)
    client.force_login(make_user(Role.OPL_REVIEWER))
    page = client.get(reverse("verification:run", args=[first.pk])).content.decode()
    assert "Cifras publicadas" in page and "Retirar publicación" not in page
    assert client.get(reverse("publication:withdraw", args=[first.pk])).status_code == 403


def test_another_entitys_administrator_cannot_reach_the_run(client, runs):
    first, _ = runs
    client.force_login(make_user(Role.OPL_ADMIN, state_number=14))
    assert client.get(reverse("publication:publish", args=[first.pk])).status_code == 404
    assert client.post(reverse("publication:publish", args=[first.pk])).status_code == 404
    assert not Publication.objects.exists()


def test_the_index_lists_published_offices_by_process(client, office, runs, admin):
    first, _ = runs
    publish_figures(admin, first)
    index = client.get(reverse("publication:index")).content.decode()
    assert "Proceso Electoral Local 2020-2021" in index and office_url(office) in index


def test_the_login_page_links_to_the_public_progress(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("publication:index") in page and "Avance público" in page

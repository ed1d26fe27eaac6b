"""Help: the "¿Cómo funciona?" of each main page and the Ayuda page with the guide of one's role."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_user
from apoyo.testing.world import build_world
from apoyo.tests.test_accessibility_browser import ANONYMOUS, PAGES, own_objects, path_of
from apoyo.tests.test_authorization_matrix import actors

HELP_PAGES = Path(settings.BASE_DIR) / "apoyo" / "templates" / "help" / "pages"
HOW = '<details class="how">'
# Pages that explain themselves: the help page is the help, the rest only confirm a step.
WITHOUT_HELP = {
    "help",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "auxiliaries:invitation",
    "auxiliaries:invitation_done",
    "api:docs",
}


def guide_headings(response):
    return [label for label in Role.labels if f"Guía de {label}<" in response.text]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reads_its_own_guide_and_no_other(role, client):
    client.force_login(make_user(role))
    response = client.get(reverse("help"))
    assert response.status_code == 200
    assert guide_headings(response) == [role.label]


@pytest.mark.django_db
def test_a_superuser_reads_every_guide(client):
    client.force_login(make_user(Role.OPL_ADMIN, is_superuser=True))
    assert guide_headings(client.get(reverse("help"))) == list(Role.labels)


@pytest.mark.django_db
def test_the_help_page_asks_to_sign_in(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_every_signed_in_page_links_to_the_help(client):
    client.force_login(make_user(Role.INE_AREA))
    response = client.get(reverse("account"))
    assert f'<a href="{reverse("help")}">Ayuda</a>' in response.text


@pytest.mark.django_db
def test_every_main_page_of_every_role_folds_its_how_it_works_help():
    world = build_world()
    missing = []
    for role, names in PAGES.items():
        client = Client()
        own = own_objects(world, role)
        if role != ANONYMOUS:
            client.force_login(actors(world)[role])
        for name in names:
            if name in WITHOUT_HELP:
                continue
            response = client.get(path_of(name, own))
            if response.status_code != 200 or HOW not in response.text:
                missing.append(f"{role} {name} ({response.status_code})")
            elif "¿Cómo funciona?</summary>" not in response.text:
                missing.append(f"{role} {name}: sin «¿Cómo funciona?»")
    assert missing == []


@pytest.mark.django_db
def test_a_refusal_shows_no_help_of_the_page_refused(client):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    response = client.get(reverse("review:queue"))
    assert response.status_code == 403
    assert HOW not in response.text


def test_every_help_text_belongs_to_a_page_of_the_project():
    names = set()
    for key in get_resolver().reverse_dict:
        if isinstance(key, str):
            names.add(key)
    for namespace, (_, resolver) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}-{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    stale = [path.stem for path in HELP_PAGES.glob("*.html") if path.stem not in names]
    assert stale == []

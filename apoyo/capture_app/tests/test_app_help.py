"""The capture app's help: «¿Cómo funciona?» folded on the home view, and the «Ayuda» link to the
auxiliary's guide on the site, which asks for the same account when there is no session."""

import re

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db


def home_view(html):
    return re.search(r'<section id="home-view".*?</section>\n\n', html, re.S).group(0)


def test_the_app_home_folds_a_help_on_capturing_offline_work_and_the_states(client):
    html = client.get(reverse("capture_app:shell")).content.decode()

    help_text = re.search(r'<details class="how".*?</details>', home_view(html), re.S).group(0)
    assert "<summary>¿Cómo funciona?</summary>" in help_text
    assert help_text.startswith('<details class="how" id="how">')  # closed until asked for
    assert "«Nueva captura»" in help_text
    assert "Sin conexión." in help_text
    for state in ("En espera", "Enviando", "Enviada", "Por corregir", "Rechazada"):
        assert f">{state}</span></dt>" in help_text
    # Folding is the browser's own: the CSP forbids inline script and style.
    assert "<script" not in help_text and "style=" not in help_text


def test_the_app_links_to_the_site_help_from_every_view(client):
    html = client.get(reverse("capture_app:shell")).content.decode()

    bar = re.search(r'<header class="app-bar">.*?</header>', html, re.S).group(0)
    assert f'<a class="help-link" href="{reverse("help")}">Ayuda</a>' in bar


def test_the_help_link_asks_for_the_account_and_then_shows_the_auxiliary_guide(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    user = make_user(Role.AUXILIARY, username="auxiliar-ayuda")
    client.force_login(user)
    html = client.get(reverse("help")).content.decode()

    assert "Guía de Auxiliar" in html
    assert f'href="{reverse("capture_app:shell")}"' in html

"""The projection page of an aspirant and the draw form: who reaches them and what they say."""

import pytest

from apoyo.accounts.models import AccessLog, Role
from apoyo.sampling.models import Sample
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user

pytestmark = pytest.mark.django_db


def page_url(aspirant):
    return f"/muestreo/aspirantes/{aspirant.pk}/"


def draw_url(aspirant):
    return f"/muestreo/aspirantes/{aspirant.pk}/sortear/"


def test_an_administrator_draws_a_sample_by_margin_and_sees_its_seed_and_the_caveat(
    client, aspirant, pending, admin
):
    client.force_login(admin)
    response = client.post(
        draw_url(aspirant),
        {"method": "margin", "margin_percent": "10", "confidence_percent": "95", "seed": "123"},
    )
    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sample.seed == 123 and sample.drawn_by == admin

    page = client.get(response["Location"]).content.decode()
    assert "Muestra sorteada: 61 apoyos con la semilla 123" in page
    assert "No sustituye el conteo completo" in page
    assert "LGIPE, artículos 385 y 386" in page
    assert 'semilla <span class="mono" data-seed>123</span>' in page
    assert "estratificado por canal" in page
    assert "Intervalo de confianza al 95 %" in page


def test_a_fixed_size_without_a_number_is_refused_with_the_reason(client, aspirant, pending, admin):
    client.force_login(admin)
    response = client.post(draw_url(aspirant), {"method": "fixed", "confidence_percent": "95"})
    assert response.status_code == 400
    assert "Indique cuántos apoyos tendrá la muestra." in response.content.decode()
    assert not Sample.objects.exists()


def test_a_reviewer_reads_the_projection_but_has_no_draw_form(client, aspirant, pending, reviewer):
    client.force_login(reviewer)
    page = client.get(page_url(aspirant))
    assert page.status_code == 200
    assert "Aún no se ha sorteado una muestra" in page.content.decode()
    assert "Sortear muestra" not in page.content.decode()
    assert client.post(draw_url(aspirant), {"method": "fixed", "size": "5"}).status_code == 403


def test_another_entitys_aspirant_is_not_found(client, admin):
    foreign = make_aspirant(make_office(make_process(state_number=14)))
    client.force_login(admin)
    assert client.get(page_url(foreign)).status_code == 404
    assert client.post(draw_url(foreign), {"method": "fixed", "size": "5"}).status_code == 404


def test_an_aspirant_does_not_see_their_projection(client, office):
    aspirant = make_aspirant(office, with_user=True)
    client.force_login(aspirant.user)
    assert client.get(page_url(aspirant)).status_code == 403


def test_reading_the_projection_is_logged(client, aspirant, admin):
    client.force_login(admin)
    client.get(page_url(aspirant))
    assert AccessLog.objects.filter(action="ver", object_type="proyeccion").exists()


def test_the_results_page_of_the_aspirant_links_to_the_projection(client, aspirant):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    page = client.get(f"/resultados/aspirantes/{aspirant.pk}/").content.decode()
    assert f'href="{page_url(aspirant)}"' in page

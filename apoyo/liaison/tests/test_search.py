"""SIVOPLE's search ignores case and accents ("cedulas" finds "cédulas") among the folios the user
may see, and an empty result says what was sought."""

import pytest
from django.urls import reverse

from apoyo.liaison.inbox import consultations_for, search_consultations
from apoyo.liaison.tests.helpers import World


@pytest.fixture
def world(db):
    return World()


def found(user, text):
    return set(search_consultations(consultations_for(user), text).values_list("folio", flat=True))


def test_a_search_without_accents_finds_the_accented_subject(world):
    papel = world.register(subject="Cédulas en papel", description="Revisión de firmas")
    world.register(subject="Capacitación")
    assert found(world.utvopl, "cedulas") == {papel.folio}
    assert found(world.utvopl, "CÉDULAS papel") == {papel.folio}
    assert found(world.utvopl, "revision firmas") == {papel.folio}
    assert found(world.utvopl, "cedulas capacitacion") == set()


def test_the_search_stays_within_what_the_user_may_see(world):
    world.register(user=world.other_opl, subject="Cédulas de Chihuahua")
    own = world.register(subject="Cédulas de Sonora")
    assert found(world.opl, "cedulas") == {own.folio}


def test_an_empty_search_result_names_the_search(world, client):
    world.register(subject="Cédulas en papel")
    client.force_login(world.utvopl)
    page = client.get(reverse("liaison:list"), {"q": "zapata"}).content.decode()
    assert "Ningún resultado para «zapata»." in page
    found_page = client.get(reverse("liaison:list"), {"q": "cedulas"}).content.decode()
    assert "Cédulas en papel" in found_page

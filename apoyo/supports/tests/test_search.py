"""The supports search (supports.search) and the name column it reads (Support.search_name),
kept by every channel that stores or changes a support."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from apoyo.accounts.models import Role
from apoyo.capture_app.services import capture_from_app
from apoyo.supports.models import Channel, Support
from apoyo.supports.search import search_supports
from apoyo.supports.services import capture_support, correct_support, open_cedula
from apoyo.testing.capture_app import capture, make_auxiliary
from apoyo.testing.factories import PERIOD_START, elector_key, make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


def row(n, name, paternal, maternal=""):
    return {
        "NOMBRE": name,
        "APELLIDO_PATERNO": paternal,
        "APELLIDO_MATERNO": maternal,
        "CLAVE_ELECTOR": elector_key(n),
        "OCR": f"{n:013d}",
    }


@pytest.fixture
def people():
    """Three supports of one aspirant, typed with accents and Ñ as people write them."""
    aspirant = make_aspirant()
    capturist = make_user(Role.OPL_CAPTURIST)
    cedula, _ = open_cedula(capturist, aspirant, "F-77", PERIOD_START)
    typed = [
        (1, "José", "Muñoz", "García"),
        (2, "María", "Peña", "Muñiz"),
        (3, "Juan", "López", "Pérez"),
    ]
    return {n: capture_support(capturist, cedula, row(n, *names)).support for n, *names in typed}


def found(text):
    supports, _ = search_supports(Support.objects.all(), text)
    return set(supports.values_list("pk", flat=True))


def test_the_name_is_stored_for_search_surname_first_without_accents_or_enye(people):
    assert people[1].search_name == "MUNOZ GARCIA JOSE"
    assert Support.objects.get(pk=people[2].pk).search_name == "PENA MUNIZ MARIA"


def test_a_search_ignores_accents_case_and_the_enye(people):
    assert found("munoz") == {people[1].pk}
    assert found("MUÑOZ") == found("Muñoz") == {people[1].pk}
    assert found("pena") == {people[2].pk}


def test_every_word_must_begin_a_word_of_the_name_in_any_order(people):
    assert found("jose munoz") == found("garcia jose") == {people[1].pk}
    assert found("mu") == {people[1].pk, people[2].pk}
    assert found("unoz") == set()  # inside a word: not the start of one
    assert found("jose pena") == set()


def test_a_clave_is_found_by_its_start_and_a_folio_exactly(people):
    assert found(elector_key(3).lower()) == {people[3].pk}
    assert found(elector_key(3)[:10]) == {people[1].pk, people[2].pk, people[3].pk}
    assert found("f-77") == {s.pk for s in people.values()}
    assert found("F-7") == set()


def test_an_empty_search_keeps_every_support(people):
    assert found("   ") == {s.pk for s in people.values()}


def test_a_correction_rewrites_the_searched_name(people):
    capturist = make_user(Role.OPL_CAPTURIST)
    result = correct_support(capturist, people[3], {"APELLIDO_PATERNO": "Núñez"})
    assert result.errors == []
    assert Support.objects.get(pk=people[3].pk).search_name == "NUNEZ PEREZ JUAN"
    assert found("nunez") == {people[3].pk}


def test_the_carga_masiva_stores_the_searched_name(tmp_path):
    aspirant = make_aspirant()
    line = good_row(4)
    line[1:4] = ["Ángel", "Ñúñez", "Díaz"]
    with open(write_csv(tmp_path / "a.csv", [line]), "rb") as source:
        upload = run_upload(register_upload(None, aspirant, source, "a.csv"))
    assert upload.stored == 1
    assert Support.objects.get().search_name == "NUNEZ DIAZ ANGEL"


def test_the_app_stores_the_searched_name(settings):
    auxiliary = make_auxiliary()
    data = capture(5, name="Iñaki", paternal_surname="Ibáñez", maternal_surname="")
    stored = capture_from_app(auxiliary, data, data)
    assert stored.support.channel == Channel.APP
    assert Support.objects.get().search_name == "IBANEZ INAKI"


def test_the_migration_fills_the_searched_name_of_supports_stored_before(people):
    Support.objects.update(search_name="")
    migration = importlib.import_module("apoyo.supports.migrations.0012_support_search_name")
    migration.fill_search_name(apps, SimpleNamespace(connection=connection))
    assert Support.objects.get(pk=people[1].pk).search_name == "MUNOZ GARCIA JOSE"
    assert found("lopez juan") == {people[3].pk}

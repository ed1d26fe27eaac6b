"""The consulta ciudadana's rate limits: per client address and per clave de elector."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apoyo.accounts.models import AccessLog
from apoyo.citizens.limits import within_limit
from apoyo.citizens.lookup import key_digest
from apoyo.citizens.tests.conftest import KEY, OCR, UNKNOWN_KEY, WRONG_OCR, look_up
from apoyo.testing.factories import elector_key

pytestmark = pytest.mark.django_db


def test_the_eleventh_lookup_from_one_address_within_the_hour_is_refused_in_spanish(client):
    answers = [look_up(client, key=elector_key()) for _ in range(11)]

    assert [a.status_code for a in answers[:10]] == [200] * 10
    refused = answers[10]
    assert refused.status_code == 429
    assert "Demasiadas consultas" in refused.content.decode()
    assert "intente de nuevo más tarde" in refused.content.decode()
    assert look_up(client, key=elector_key(), address="198.51.100.7").status_code == 200


def test_the_sixth_lookup_of_one_clave_within_the_hour_is_refused_from_any_address(client):
    statuses = [
        look_up(client, KEY, WRONG_OCR, address=f"198.51.100.{n}").status_code for n in range(6)
    ]

    assert statuses == [200] * 5 + [429]
    assert look_up(client, UNKNOWN_KEY, OCR, address="198.51.100.99").status_code == 200


def test_a_refused_lookup_never_reaches_the_supports_and_is_logged(client, accepted):
    for n in range(5):
        look_up(client, KEY, WRONG_OCR, address=f"198.51.100.{n}")

    with CaptureQueriesContext(connection) as queries:
        refused = look_up(client, KEY, OCR, address="198.51.100.50")

    assert refused.status_code == 429
    assert "MARIA" not in refused.content.decode()
    assert not any("supports_support" in q["sql"] for q in queries.captured_queries)
    entry = AccessLog.objects.latest("id")
    assert entry.action == "consulta ciudadana limitada"
    assert entry.object_id == key_digest(KEY)[:32]
    assert entry.detail == "rechazada por clave de elector"


def test_the_limits_come_from_the_settings(client, settings):
    settings.APOYO_CITIZEN_LOOKUPS_PER_ADDRESS = 2

    statuses = [look_up(client, key=elector_key()).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_new_window_starts_a_new_count(settings):
    settings.APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES = 60
    hour = 3600 * 1000

    counts = [within_limit("key", "abc", 2, now=hour + s) for s in (0, 10, 20)]

    assert counts == [True, True, False]
    assert within_limit("key", "abc", 2, now=hour + 3600) is True


def test_a_limit_of_zero_switches_it_off(client, settings):
    settings.APOYO_CITIZEN_LOOKUPS_PER_KEY = 0

    statuses = {look_up(client, KEY, WRONG_OCR).status_code for _ in range(8)}

    assert statuses == {200}

"""The consulta ciudadana's lookup: what a match shows, and that a wrong OCR and an unknown clave
are indistinguishable (same page byte for byte, same status, same queries)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apoyo.accounts.audit import CITIZEN_USER
from apoyo.accounts.models import AccessLog
from apoyo.citizens.lookup import key_digest, matching_supports
from apoyo.citizens.tests.conftest import KEY, OCR, UNKNOWN_KEY, WRONG_OCR, look_up
from apoyo.supports.models import Channel, Status, Support
from apoyo.testing.factories import elector_key, make_aspirant, support

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def without_csrf(response):
    return CSRF.sub(r'\1…"', response.content.decode())


def without_clock(response):
    """The headers but Expires, which is the time of the answer and changes on a second's edge."""
    return {name: value for name, value in response.headers.items() if name != "Expires"}


def test_a_match_shows_the_aspirant_office_channel_and_date_and_nothing_else(client, accepted):
    response = look_up(client)

    assert response.status_code == 200
    page = response.content.decode()
    assert "MARIA SOTO RUIZ" in page
    assert "Gubernatura" in page
    assert "Proceso Electoral Local 2020-2021" in page
    assert "Cédula en papel (capturada por el OPL)" in page
    assert "20/12/2020" in page
    assert "Yo no di este apoyo" in page
    # Neither the citizen's data nor what they typed comes back.
    for private in (KEY, OCR, "JUAN", "GARCIA", "LOPEZ"):
        assert private not in page


def test_every_aspirant_listing_the_citizen_is_shown(client, office, accepted):
    other = make_aspirant(office, name="PEDRO", paternal_surname="LUNA")
    support(other, KEY, ocr=OCR, reference="F-9")

    page = look_up(client).content.decode()

    assert "MARIA SOTO RUIZ" in page and "PEDRO LUNA" in page
    assert "2 apoyos" in page


def test_the_cic_of_a_newer_credential_finds_a_support_captured_with_it(client, aspirant):
    app = support(aspirant, KEY, ocr="", channel=Channel.APP, status=Status.PENDING_REVIEW)
    Support.objects.filter(pk=app.pk).update(cic="123456789")

    page = look_up(client, number="123456789").content.decode()

    assert "Aplicación móvil" in page


def test_the_input_is_normalized_as_every_channel_does(client, accepted):
    page = look_up(client, key=" grlpjn-850101 26h001 ", number="1234 5678-90123").content.decode()

    assert "MARIA SOTO RUIZ" in page


def test_a_withdrawn_support_is_not_listed(client, accepted):
    Support.objects.filter(pk=accepted.pk).update(status=Status.WITHDRAWN)

    page = look_up(client).content.decode()

    assert "No encontramos apoyos" in page


def test_a_wrong_ocr_and_an_unknown_clave_get_the_same_answer_byte_for_byte(client, accepted):
    wrong_ocr = look_up(client, KEY, WRONG_OCR)
    unknown = look_up(client, UNKNOWN_KEY, OCR)

    assert wrong_ocr.status_code == unknown.status_code == 200
    assert [t.name for t in wrong_ocr.templates] == [t.name for t in unknown.templates]
    assert "No encontramos apoyos" in wrong_ocr.content.decode()
    assert without_csrf(wrong_ocr) == without_csrf(unknown)
    assert without_clock(wrong_ocr) == without_clock(unknown)


def query_shapes(queries, *values):
    """The SQL of each query with the typed values and the keyed hash taken out."""
    shapes = []
    for query in queries:
        sql = query["sql"]
        for value in values:
            sql = sql.replace(value, "?")
        sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names count up
        shapes.append(re.sub(r"'[0-9a-f]{32,64}'|\b\d{4}-\d\d-\d\d[ T][\d:.+]+", "?", sql))
    return shapes


def test_a_wrong_ocr_and_an_unknown_clave_run_the_same_queries(client, accepted):
    look_up(client, "PXRZAN90023026M009", OCR)  # warm the first-request caches
    with CaptureQueriesContext(connection) as wrong_ocr:
        look_up(client, KEY, WRONG_OCR)
    with CaptureQueriesContext(connection) as unknown:
        look_up(client, UNKNOWN_KEY, OCR)

    values = (KEY, WRONG_OCR, UNKNOWN_KEY, OCR, key_digest(KEY), key_digest(UNKNOWN_KEY))
    assert query_shapes(wrong_ocr.captured_queries, *values) == query_shapes(
        unknown.captured_queries, *values
    )


def test_no_query_ever_asks_for_the_clave_alone(client, accepted):
    with CaptureQueriesContext(connection) as queries:
        look_up(client, KEY, WRONG_OCR)

    on_supports = [q["sql"] for q in queries.captured_queries if "supports_support" in q["sql"]]
    assert len(on_supports) == 1
    assert KEY in on_supports[0] and WRONG_OCR in on_supports[0]


def test_the_lookup_probes_the_aspirant_and_clave_index_instead_of_reading_every_support(office):
    aspirants = [make_aspirant(office) for _ in range(3)]
    for number in range(300):
        support(aspirants[number % 3], elector_key(), reference=f"F-{number % 3}")
    with CaptureQueriesContext(connection) as queries:
        matching_supports(KEY, OCR)
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            # A few hundred rows fit in a handful of pages, which PostgreSQL rightly reads whole;
            # what matters is that the index can serve the lookup when the table is large.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(explain + queries.captured_queries[0]["sql"])
        lines = [str(row[-1]) for row in cursor.fetchall()]

    if connection.vendor == "sqlite":
        assert "support_aspirant_key" in " ".join(lines)
        return
    # PostgreSQL may reach the supports through any index whose condition holds the clave (on a
    # tiny table it sometimes prefers a bitmap of it): never a scan of every support.
    assert any("Index Cond" in line and "elector_key" in line for line in lines), lines
    assert not any("Seq Scan on supports_support" in line for line in lines), lines


def test_a_malformed_clave_or_number_is_refused_before_any_query_on_supports(client, accepted):
    with CaptureQueriesContext(connection) as queries:
        bad_key = look_up(client, key="GRLPJN8501", number=OCR)
        bad_number = look_up(client, number="12345")

    assert bad_key.status_code == bad_number.status_code == 400
    assert "18 caracteres" in bad_key.content.decode()
    assert "13 dígitos del OCR o los 9 dígitos del CIC" in bad_number.content.decode()
    assert not any("supports_support" in q["sql"] for q in queries.captured_queries)
    assert not AccessLog.objects.exists()


def test_every_lookup_is_in_the_bitacora_with_the_clave_hashed_and_no_ocr(client, accepted):
    look_up(client, KEY, OCR)
    look_up(client, KEY, WRONG_OCR)

    found, not_found = AccessLog.objects.order_by("id")
    assert found.username == not_found.username == CITIZEN_USER
    assert found.user is None and found.action == "consulta ciudadana"
    assert found.object_type == "clave de elector"
    assert found.object_id == not_found.object_id == key_digest(KEY)[:32]
    assert found.detail == "con OCR; apoyos encontrados: 1"
    assert not_found.detail == "con OCR; apoyos encontrados: 0"
    assert found.address == "203.0.113.5"
    for entry in (found, not_found):
        assert KEY not in str(entry.__dict__)
        assert OCR not in str(entry.__dict__) and WRONG_OCR not in str(entry.__dict__)


def test_the_keyed_hash_is_not_a_plain_hash_of_the_clave():
    import hashlib

    assert key_digest(KEY) != hashlib.sha256(KEY.encode()).hexdigest()
    assert key_digest(KEY) == key_digest(KEY)


def test_the_answer_is_never_kept_in_a_cache(client, accepted):
    response = look_up(client)

    assert "no-store" in response["Cache-Control"]


def test_the_page_has_the_simplified_privacy_notice_and_links_the_full_one(client):
    page = client.get("/consulta-ciudadana/").content.decode()
    notice = client.get("/consulta-ciudadana/aviso-de-privacidad/").content.decode()

    assert "Aviso de privacidad simplificado" in page
    assert "/consulta-ciudadana/aviso-de-privacidad/" in page
    for words in ("Finalidades", "LGPDPPSO", "Conservación", "Derechos ARCO", "no se guardan"):
        assert words in notice

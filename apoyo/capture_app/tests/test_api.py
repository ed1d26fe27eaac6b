"""The capture app's API: sessions and tokens, the profile, sending supports (validation, period,
grace, idempotency by uuid, photos) and listing one's own captures."""

import datetime
import hashlib
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apoyo.accounts.models import ApiToken, Role
from apoyo.accounts.tokens import hash_key
from apoyo.capture_app.services import capture_from_app, check_capture, store
from apoyo.review import services as review
from apoyo.supports.models import (
    Channel,
    ImageKind,
    Inconsistency,
    Status,
    Support,
    SupportImage,
)
from apoyo.supports.services import withdraw_support
from apoyo.testing.capture_app import (
    PASSWORD,
    PROFILE_URL,
    SESSION_URL,
    SUPPORTS_URL,
    auth,
    capture,
    error_fields,
    make_auxiliary,
    open_office,
    send,
    token_for,
)
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import EXECUTABLE, PDF, png, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def auxiliary():
    return make_auxiliary()


@pytest.fixture
def token(auxiliary):
    return token_for(auxiliary)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# Session and tokens --------------------------------------------------------------------------------


def login(client, username, password=PASSWORD, **extra):
    body = {"username": username, "password": password}
    return client.post(SESSION_URL, body, content_type="application/json", **extra)


def test_an_auxiliary_logs_in_and_gets_a_token_that_expires_after_the_setting(client, auxiliary):
    response = login(client, auxiliary.user.username)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at", "username", "name"}
    assert (body["username"], body["name"]) == (auxiliary.user.username, auxiliary.name)
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    expected = timezone.now() + datetime.timedelta(hours=168)
    assert abs(expires - expected) < datetime.timedelta(minutes=1)
    stored = ApiToken.objects.get(user=auxiliary.user)
    assert stored.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()
    assert client.get(PROFILE_URL, **auth(body["token"])).status_code == 200


def test_token_lifetime_follows_the_setting(client, auxiliary, settings):
    settings.APOYO_API_TOKEN_HOURS = 2
    body = login(client, auxiliary.user.username).json()
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert expires - timezone.now() < datetime.timedelta(hours=2, minutes=1)


def test_wrong_credentials_are_400_in_spanish(client, auxiliary):
    response = login(client, auxiliary.user.username, "otra-clave")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Usuario o contraseña incorrectos")
    missing = client.post(SESSION_URL, {}, content_type="application/json")
    assert missing.status_code == 400
    assert set(error_fields(missing)) == {"username", "password"}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("role", [Role.ASPIRANT, Role.OPL_ADMIN, Role.OPL_REVIEWER])
def test_other_roles_get_no_token_and_the_same_answer_as_a_wrong_password(client, role):
    user = make_user(role)
    right = login(client, user.username)
    wrong = login(client, user.username, "otra-clave-larga")
    assert right.status_code == wrong.status_code == 400
    assert right.json() == wrong.json()
    assert ApiToken.objects.count() == 0


def test_an_auxiliary_without_an_active_record_gets_the_wrong_password_answer(client, auxiliary):
    auxiliary.active = False
    auxiliary.save()
    right = login(client, auxiliary.user.username)
    assert right.status_code == 400
    assert right.json() == login(client, auxiliary.user.username, "mala-clave-larga").json()


def test_a_deactivated_account_is_not_told_its_password_was_right(client):
    auxiliary = make_auxiliary(active=False)
    right = login(client, auxiliary.user.username)
    wrong = login(client, auxiliary.user.username, "mala-clave-larga")
    assert right.status_code == wrong.status_code == 400
    assert right.json() == wrong.json()
    assert "consulte al aspirante" in right.json()["detail"]


def test_requests_without_a_token_or_with_an_unknown_one_are_401(client, auxiliary):
    missing = client.get(PROFILE_URL)
    assert missing.status_code == 401
    assert missing.json()["detail"].startswith("Falta el token")
    assert missing["WWW-Authenticate"] == "Token"
    unknown = client.get(PROFILE_URL, **auth("no-existe"))
    assert unknown.status_code == 401
    assert unknown.json() == {
        "detail": "El token no es válido. Inicie sesión de nuevo.",
        "code": "token_invalid",
        "errors": [],
    }
    malformed = client.get(PROFILE_URL, HTTP_AUTHORIZATION="Token a b")
    assert malformed.status_code == 401


def test_an_expired_token_is_401(client, auxiliary, token):
    ApiToken.objects.filter(key_hash=hash_key(token)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(PROFILE_URL, **auth(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "El token venció. Inicie sesión de nuevo."


def test_logging_out_revokes_the_token(client, auxiliary, token):
    other = token_for(auxiliary)
    assert client.delete(SESSION_URL, **auth(token)).status_code == 204
    response = client.get(PROFILE_URL, **auth(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "El token fue revocado. Inicie sesión de nuevo."
    assert client.get(PROFILE_URL, **auth(other)).status_code == 200


def test_logging_in_ignores_an_old_token_header(client, auxiliary, token):
    client.delete(SESSION_URL, **auth(token))
    response = login(client, auxiliary.user.username, **auth(token))
    assert response.status_code == 201


def test_token_use_is_recorded(client, auxiliary, token):
    client.get(PROFILE_URL, **auth(token))
    assert ApiToken.objects.get(key_hash=hash_key(token)).last_used_at is not None


# Profile -------------------------------------------------------------------------------------------


def test_profile_gives_aspirant_office_process_period_and_app_settings(client, auxiliary, token):
    body = client.get(PROFILE_URL, **auth(token)).json()
    aspirant = auxiliary.aspirant
    office = aspirant.office
    assert body == {
        "username": auxiliary.user.username,
        "name": auxiliary.name,
        "aspirant": {"code": aspirant.code, "name": aspirant.full_name},
        "office": {"code": office.code, "name": office.name},
        "process": {"code": office.process.code, "name": office.process.name},
        "period": {
            "start": office.collection_start.isoformat(),
            "end": office.collection_end.isoformat(),
        },
        "grace_hours": 72,
        "time_zone": "America/Hermosillo",
        "max_image_bytes": 5 * 1024 * 1024,
        "daily_totals": [],
    }


def test_only_auxiliaries_reach_the_profile_even_with_a_token(client):
    from apoyo.accounts.tokens import issue_token

    aspirant_token, _ = issue_token(make_user(Role.ASPIRANT))
    response = client.get(PROFILE_URL, **auth(aspirant_token))
    assert response.status_code == 403


# Sending a support ---------------------------------------------------------------------------------


def test_a_capture_enters_pending_review_with_channel_app_and_its_four_images(
    client, auxiliary, token, settings
):
    data = capture(7)
    response = send(client, token, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "uuid": data["uuid"],
        "status": "pending_review",
        "status_label": "Pendiente de revisión",
        "state": "pending",
        "state_label": "Pendiente de revisión",
        # The test citizens' claves carry 000000 as birth date: kept as a warning, not refused.
        "warnings": [
            "Los dígitos de fecha de nacimiento de la clave de elector (000000, AAMMDD) "
            "no forman una fecha real."
        ],
        "captured_at": data["captured_at"],
        "elector_key": data["elector_key"],
        "name": "JUAN",
        "motive": "",
        "reason": "",
    }
    support = Support.objects.get(client_uuid=data["uuid"])
    assert (support.channel, support.status) == (Channel.APP, Status.PENDING_REVIEW)
    assert (support.aspirant, support.captured_by) == (auxiliary.aspirant, auxiliary.user)
    assert (support.paternal_surname, support.maternal_surname) == ("GARCIA", "LOPEZ")
    assert support.cedula is None and support.ocr == "0000000000007"
    assert support.support_date == timezone.localdate(support.captured_at)
    assert not support.changes.exists()  # like the carga masiva: the support says who and when
    images = {image.kind: image for image in support.images.all()}
    assert set(images) == set(ImageKind.values)
    assert images["selfie"].content_kind == "webp"
    assert images["back"].sha256 == hashlib.sha256(png()).hexdigest()
    for image in images.values():
        assert image.file.name.startswith(f"app/{auxiliary.aspirant_id}/")
        assert "frente" not in image.file.name and "firma" not in image.file.name
    assert len(stored_files(settings)) == 4


def test_a_capture_keeps_the_warnings_of_its_clave_for_the_mesa_de_control(client, token):
    data = dict(capture(8), name="PEDRO")
    response = send(client, token, data)
    assert response.status_code == 201, response.json()
    assert "no coinciden con el nombre" in response.json()["warnings"][0]
    support = Support.objects.get(client_uuid=data["uuid"])
    assert support.warning_list == response.json()["warnings"]


def test_the_list_gives_each_capture_the_state_the_portal_shows(client, auxiliary, token):
    data = capture(9)
    send(client, token, data)
    support = Support.objects.get(client_uuid=data["uuid"])
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, support)
    item = client.get(SUPPORTS_URL, **auth(token)).json()["results"][0]
    assert (item["state"], item["state_label"]) == ("accepted", "Aceptado (preliminar)")


def test_sending_a_support_takes_two_queries(client, token, settings):
    """The token (with the auxiliary, aspirant and office) and the insert: the app's channel
    carries the volume, so nothing else touches the database."""
    settings.APOYO_APP_REQUIRE_IMAGES = False
    send(client, token, capture(1, with_images=False))
    with CaptureQueriesContext(connection) as queries:
        assert send(client, token, capture(2, with_images=False)).status_code == 201
    # The test's own transaction turns the atomic block into a savepoint.
    statements = [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert statements == ["SELECT", "INSERT"]


def test_the_profile_takes_the_token_query_and_the_process(client, token):
    client.get(PROFILE_URL, **auth(token))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROFILE_URL, **auth(token)).status_code == 200
    # The token (with auxiliary, aspirant and office) and the per-day totals.
    assert len(queries) == 3


def test_the_same_uuid_twice_stores_one_support_and_answers_the_same_body(
    client, auxiliary, token, settings
):
    data = capture(1)
    first = send(client, token, data)
    # The same capture: same uuid, data and capture time (another time is a 409,
    # test_api_resend).
    same_time = datetime.datetime.fromisoformat(data["captured_at"])
    retry = send(client, token, capture(1, uuid=data["uuid"], captured_at=same_time))
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Support.objects.filter(client_uuid=data["uuid"]).count() == 1
    assert SupportImage.objects.count() == 4
    assert len(stored_files(settings)) == 4


def test_a_retry_is_answered_even_when_it_lost_its_images(client, auxiliary, token):
    data = capture(1)
    send(client, token, data)
    bare = {k: v for k, v in data.items() if k not in ImageKind.values}
    assert send(client, token, bare).status_code == 200


def test_a_uuid_stored_by_a_concurrent_request_answers_with_that_support(auxiliary, settings):
    """The race: two sends of one uuid pass the checks together; the unique constraint stops the
    second insert, which answers with the first one's support and leaves no files behind."""
    data = capture(3)
    first = capture_from_app(auxiliary, data, data)
    text = {name: value for name, value in data.items() if isinstance(value, str)} | {"cic": ""}
    again = capture(3)
    checked, errors = check_capture(auxiliary, text, again, timezone.now())
    assert errors == [] and len(checked.images) == 4
    second = store(auxiliary, first.support.client_uuid, checked)
    assert (second.created, second.support) == (False, first.support)
    assert Support.objects.count() == 1
    assert len(stored_files(settings)) == 4


def test_a_uuid_of_another_auxiliary_is_refused(client, auxiliary, token):
    data = capture(1)
    send(client, token, data)
    colleague = make_auxiliary(auxiliary.aspirant)
    response = send(client, token_for(colleague), capture(2, uuid=data["uuid"]))
    assert response.status_code == 400
    assert error_fields(response) == ["uuid"]
    assert Support.objects.count() == 1


def test_validation_errors_name_the_api_fields_in_spanish(client, auxiliary, token):
    data = capture(
        1, elector_key="GRLPJN12", ocr="123", name="", paternal_surname="", maternal_surname=""
    )
    response = send(client, token, data)
    assert response.status_code == 400
    body = response.json()
    assert error_fields(response) == ["name", "paternal_surname", "elector_key", "ocr"]
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages["name"] == "El nombre es obligatorio."
    assert messages["paternal_surname"].startswith("Se requiere al menos un apellido")
    assert "18 caracteres" in messages["elector_key"]
    assert "13 dígitos" in messages["ocr"]
    assert "El nombre es obligatorio." in body["detail"]
    assert Support.objects.count() == 0


def test_names_and_keys_are_normalized_as_in_every_other_channel(client, auxiliary, token):
    data = capture(
        1, name="  josé  maría ", elector_key="grlpjn 000000-26h001", maternal_surname=""
    )
    response = send(client, token, data)
    assert response.status_code == 201, response.json()
    support = Support.objects.get()
    assert (support.name, support.elector_key) == ("JOSE MARIA", "GRLPJN00000026H001")
    assert support.maternal_surname == ""


def test_the_cic_may_take_the_place_of_the_ocr(client, auxiliary, token):
    response = send(client, token, capture(1, ocr=None, cic="123456789"))
    assert response.status_code == 201, response.json()
    assert Support.objects.values_list("ocr", "cic").get() == ("", "123456789")


@pytest.mark.parametrize(
    ("ocr", "cic", "field"),
    [("", "", "ocr"), ("0000000000001", "123456789", "cic"), ("", "12345", "cic")],
)
def test_exactly_one_valid_ocr_or_cic_is_required(client, auxiliary, token, ocr, cic, field):
    response = send(client, token, capture(1, ocr=ocr, cic=cic))
    assert response.status_code == 400
    assert error_fields(response) == [field]


def test_a_capture_outside_the_collection_period_is_refused(client, token, auxiliary):
    office = auxiliary.aspirant.office
    office.collection_start = timezone.localdate()
    office.save()
    yesterday = timezone.now() - datetime.timedelta(days=1)
    response = send(client, token, capture(1, captured_at=yesterday))
    assert response.status_code == 400
    assert error_fields(response) == ["captured_at"]
    assert "fuera del periodo de obtención de apoyo" in response.json()["detail"]


def test_a_capture_received_after_the_grace_period_is_refused(client, token, settings):
    late = timezone.now() - datetime.timedelta(hours=73)
    response = send(client, token, capture(1, captured_at=late))
    assert response.status_code == 400
    assert error_fields(response) == ["captured_at"]
    assert "plazo de 72 horas" in response.json()["detail"]
    settings.APOYO_APP_GRACE_HOURS = 96
    assert send(client, token, capture(1, captured_at=late)).status_code == 201


@pytest.mark.parametrize(
    "captured_at",
    ["2021-01-10T10:00:00", "ayer", "2021-13-40T99:00:00-07:00", "9999-12-31T23:59:59-12:00"],
)
def test_a_capture_time_must_be_iso_8601_with_its_offset(client, token, captured_at):
    response = send(client, token, capture(1) | {"captured_at": captured_at})
    assert response.status_code == 400
    assert error_fields(response) == ["captured_at"]


def test_a_capture_time_in_the_future_is_refused(client, token):
    response = send(client, token, capture(1, captured_at=timezone.now() + datetime.timedelta(1)))
    assert response.status_code == 400
    assert "revise la fecha y hora del teléfono" in response.json()["detail"]


def test_the_four_images_are_required(client, token):
    data = capture(1)
    del data["selfie"], data["signature"]
    response = send(client, token, data)
    assert response.status_code == 400
    assert error_fields(response) == ["selfie", "signature"]
    assert "Fotografía en vivo" in response.json()["detail"]


def test_images_may_be_left_out_only_when_the_setting_says_so(client, token, settings):
    settings.APOYO_APP_REQUIRE_IMAGES = False
    assert send(client, token, capture(1, with_images=False)).status_code == 201
    assert SupportImage.objects.count() == 0


def test_images_are_judged_by_their_content_not_their_name(client, token, settings):
    renamed = capture(1) | {"front": uploaded("frente.jpg", png(), "image/jpeg")}
    response = send(client, token, renamed)
    assert response.status_code == 201
    assert SupportImage.objects.get(kind="front").content_kind == "png"
    bad = capture(2) | {
        "front": uploaded("frente.jpg", EXECUTABLE, "image/jpeg"),
        "back": uploaded("reverso.png", PDF, "image/png"),
        "selfie": uploaded("selfie.jpg", b"", "image/jpeg"),
    }
    response = send(client, token, bad)
    assert response.status_code == 400
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(messages) == {"front", "back", "selfie"}
    assert "no es de un tipo reconocido por su contenido" in messages["front"]
    assert "es PDF por su contenido" in messages["back"]
    assert "está vacío" in messages["selfie"]
    assert Support.objects.count() == 1
    assert len(stored_files(settings)) == 4


def test_images_larger_than_the_setting_are_refused(client, token, settings):
    settings.APOYO_APP_IMAGE_MAX_BYTES = 100
    response = send(client, token, capture(1) | {"back": uploaded("b.png", png(400, 400))})
    assert response.status_code == 400
    assert error_fields(response) == ["back"]
    assert "el máximo es 100" in response.json()["errors"][0]["message"]


def test_a_request_larger_than_four_photos_is_refused_before_it_is_read(client, token, settings):
    settings.APOYO_APP_IMAGE_MAX_BYTES = 10
    big = b"\x89PNG\r\n\x1a\n" + bytes(1_100_000)
    response = send(client, token, capture(1) | {"front": uploaded("f.png", big)})
    assert response.status_code == 400
    assert error_fields(response) == [""]
    assert response.json()["detail"].startswith("La captura pesa")
    assert Support.objects.count() == 0


def test_a_json_body_is_refused_with_415(client, token):
    body = capture(1, with_images=False)
    response = client.post(SUPPORTS_URL, body, content_type="application/json", **auth(token))
    assert response.status_code == 415
    detail = response.json()["detail"]
    assert detail == "Tipo de contenido «application/json» no admitido en esta dirección."


def test_null_characters_are_refused_not_stored(client, token):
    response = send(client, token, capture(1, name="JUAN\x00"))
    assert response.status_code == 400
    assert error_fields(response) == ["name"]


def test_a_deactivated_auxiliary_cannot_send(client, auxiliary, token):
    auxiliary.active = False
    auxiliary.save()
    response = send(client, token, capture(1))
    assert response.status_code == 403
    assert Support.objects.count() == 0


# Listing one's own captures ------------------------------------------------------------------------


def test_an_auxiliary_lists_only_their_own_captures_newest_first(client, auxiliary, token):
    now = timezone.now()
    older, newer = capture(1, captured_at=now - datetime.timedelta(hours=2)), capture(2)
    send(client, token, older)
    send(client, token, newer)
    colleague = make_auxiliary(auxiliary.aspirant)
    send(client, token_for(colleague), capture(3))
    body = client.get(SUPPORTS_URL, **auth(token)).json()
    assert body["count"] == 2
    assert [item["uuid"] for item in body["results"]] == [newer["uuid"], older["uuid"]]


def test_the_list_filters_by_uuid(client, token):
    sent = [capture(n) for n in range(1, 4)]
    for data in sent:
        send(client, token, data)
    wanted = f"{sent[0]['uuid']},{sent[2]['uuid']},{uuid.uuid4()}"
    body = client.get(SUPPORTS_URL, {"uuid": wanted}, **auth(token)).json()
    assert body["count"] == 2
    assert {item["uuid"] for item in body["results"]} == {sent[0]["uuid"], sent[2]["uuid"]}
    refused = client.get(SUPPORTS_URL, {"uuid": "no-es-uuid"}, **auth(token))
    assert refused.status_code == 400
    assert error_fields(refused) == ["uuid"]


def test_the_list_shows_the_mesa_de_control_outcome(client, auxiliary, token):
    accepted, rejected, withdrawn = capture(1), capture(2), capture(3)
    for data in (accepted, rejected, withdrawn):
        send(client, token, data)
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, Support.objects.get(client_uuid=accepted["uuid"]))
    review.record_inconsistency(
        reviewer,
        Support.objects.get(client_uuid=rejected["uuid"]),
        Inconsistency.objects.get(code="FOTOCOPIA"),
        "la credencial es una copia",
    )
    withdraw_support(reviewer, Support.objects.get(client_uuid=withdrawn["uuid"]), "duplicado")
    items = {
        item["uuid"]: item for item in client.get(SUPPORTS_URL, **auth(token)).json()["results"]
    }
    assert items[accepted["uuid"]] | {"uuid": ""} == items[accepted["uuid"]] | {
        "uuid": "",
        "status": "preliminary",
        "status_label": "Preliminar",
        "motive": "",
        "reason": "",
    }
    name = Inconsistency.objects.get(code="FOTOCOPIA").name
    assert (items[rejected["uuid"]]["motive"], items[rejected["uuid"]]["reason"]) == (
        "FOTOCOPIA",
        f"{name}: la credencial es una copia",
    )
    assert items[withdrawn["uuid"]]["status"] == "withdrawn"
    assert items[withdrawn["uuid"]]["reason"] == "Retirado: duplicado"


# Throttling ----------------------------------------------------------------------------------------


def test_submissions_are_throttled_per_user(client, auxiliary, token, settings):
    settings.APOYO_API_THROTTLE_RATES = settings.APOYO_API_THROTTLE_RATES | {"submit": "2/min"}
    assert [send(client, token, capture(n)).status_code for n in (1, 2)] == [201, 201]
    third = send(client, token, capture(3))
    assert third.status_code == 429
    assert third.json()["detail"].startswith("Demasiadas solicitudes: intente de nuevo en")
    assert "Retry-After" in third
    assert client.get(SUPPORTS_URL, **auth(token)).status_code == 200
    colleague = make_auxiliary(auxiliary.aspirant)
    assert send(client, token_for(colleague), capture(4)).status_code == 201


def test_logins_are_throttled_per_address(client, auxiliary, settings):
    settings.APOYO_API_THROTTLE_RATES = settings.APOYO_API_THROTTLE_RATES | {"session": "3/min"}
    codes = [login(client, auxiliary.user.username, "mala").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    elsewhere = login(client, auxiliary.user.username, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 201


def test_every_request_is_throttled_per_address(client, token, settings):
    settings.APOYO_API_THROTTLE_RATES = settings.APOYO_API_THROTTLE_RATES | {"address": "2/min"}
    codes = [client.get(PROFILE_URL, **auth(token)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# Scoping of the API's data ------------------------------------------------------------------------


def test_an_aspirant_of_another_office_sees_nothing_of_the_auxiliary(client, auxiliary, token):
    send(client, token, capture(1))
    other = make_aspirant(open_office(), with_user=True)
    assert not Support.objects.visible_to(other.user).exists()
    assert Support.objects.visible_to(auxiliary.aspirant.user).count() == 1


# The shared validator's part for the app -----------------------------------------------------------


def test_the_shared_validator_accepts_a_missing_ocr_only_when_told_and_checks_the_cic():
    from datetime import date

    from apoyo.supports.rules import RowError, validate_cic, validate_support_row

    raw = {
        "NUMERO_REFERENCIA": "-",
        "NOMBRE": "JUAN",
        "APELLIDO_PATERNO": "GARCIA",
        "CLAVE_ELECTOR": "GRLPJN00000026H001",
        "OCR": "",
    }
    period = (date(2020, 12, 15), date(2021, 1, 23))
    kwargs = {"inconsistency_codes": (), "period": period, "default_date": period[0]}
    row, errors = validate_support_row(raw, ocr_required=False, **kwargs)
    assert errors == [] and row.ocr == ""
    _, errors = validate_support_row(raw, **kwargs)
    assert [error.column for error in errors] == ["OCR"]
    _, errors = validate_support_row(raw | {"OCR": "12"}, ocr_required=False, **kwargs)
    assert [error.column for error in errors] == ["OCR"]
    assert validate_cic(" 123-456 789 ") == "123456789"
    assert isinstance(validate_cic("12345678"), RowError)

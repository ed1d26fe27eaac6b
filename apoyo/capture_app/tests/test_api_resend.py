"""A uuid sent again: the same capture (same identity fields after normalization, same instant of
capture, same photos by SHA-256 when sent) answers 200 with the stored support; anything else
answers 409 Conflict in Spanish and changes nothing."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from apoyo.accounts.models import Role
from apoyo.capture_app.services import capture_from_app, check_capture, store
from apoyo.supports.models import ImageKind, Support, SupportImage
from apoyo.supports.services import correct_support
from apoyo.testing.capture_app import (
    SUPPORTS_URL,
    capture,
    error_fields,
    make_auxiliary,
    send,
    token_for,
)
from apoyo.testing.factories import make_user
from apoyo.testing.files import png, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def auxiliary():
    return make_auxiliary()


@pytest.fixture
def token(auxiliary):
    return token_for(auxiliary)


@pytest.fixture
def first(client, token):
    """A capture already stored: its multipart fields (the photos must be rebuilt to resend)."""
    data = capture(1)
    assert send(client, token, data).status_code == 201
    return {name: value for name, value in data.items() if isinstance(value, str)}


def resend(client, token, first, images=True, **changes):
    return send(client, token, capture(1, with_images=images) | first | changes)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("elector_key", "GRLPJN00000126H002", "clave de elector"),
        ("name", "Juana", "nombre"),
        ("paternal_surname", "Gómez", "apellido paterno"),
        ("maternal_surname", "", "apellido materno"),
        ("ocr", "0000000000009", "OCR"),
    ],
)
def test_the_same_uuid_with_other_data_is_409_and_changes_nothing(
    client, token, first, settings, field, value, label
):
    before = Support.objects.values().get()

    response = resend(client, token, first, **{field: value})

    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["detail"] == (
        f"Esta captura ya se había recibido con otros datos ({label}) bajo el mismo "
        "identificador (uuid): no se guardó esta versión y el apoyo recibido antes no cambia."
    )
    assert error_fields(response) == [field]
    assert body["errors"][0]["message"].startswith(f"{label[0].upper()}{label[1:]}: no coincide")
    assert Support.objects.values().get() == before
    assert SupportImage.objects.count() == 4 and len(stored_files(settings)) == 4


def test_the_message_of_a_409_shows_what_was_received(client, token, first):
    response = resend(client, token, first, name="Pedro", ocr="", cic="123456789")

    assert response.status_code == 409
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages == {
        "ocr": "OCR: no coincide con lo ya recibido («0000000000001»).",
        "cic": "CIC: no coincide con lo ya recibido (vacío).",
        "name": "Nombre: no coincide con lo ya recibido («JUAN»).",
    }
    assert "(OCR, CIC, nombre)" in response.json()["detail"]


def test_another_capture_time_is_another_capture(client, token, first):
    later = datetime.datetime.fromisoformat(first["captured_at"]) + datetime.timedelta(seconds=1)

    response = resend(client, token, first, captured_at=later.isoformat())

    assert response.status_code == 409
    assert error_fields(response) == ["captured_at"]
    shown = timezone.localtime(datetime.datetime.fromisoformat(first["captured_at"]))
    assert response.json()["errors"][0]["message"] == (
        f"Fecha y hora de captura: no coincide con lo ya recibido ({shown:%d/%m/%Y %H:%M:%S})."
    )


def test_another_photo_is_another_capture(client, token, first):
    other = uploaded("frente.png", png(64, 40, (1, 2, 3)), "image/png")

    response = resend(client, token, first, front=other)

    assert response.status_code == 409
    assert error_fields(response) == ["front"]
    assert response.json()["errors"][0]["message"] == (
        "Credencial (frente): no coincide con la imagen ya recibida (SHA-256)."
    )
    assert "(credencial (frente))" in response.json()["detail"]


def test_the_same_capture_written_otherwise_is_still_the_same(client, token, first):
    """Normalization decides: lower case, accents and spacing; the instant, whatever its offset;
    photos left out are not compared (a retry may lose them)."""
    instant = datetime.datetime.fromisoformat(first["captured_at"])
    in_utc = instant.astimezone(datetime.UTC).isoformat()
    stored = Support.objects.get()

    response = resend(
        client,
        token,
        first,
        images=False,
        captured_at=in_utc,
        elector_key=" grlpjn 000000-26h001 ",
        name="  juan ",
        paternal_surname="GARCÍA",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["uuid"] == first["uuid"]
    assert Support.objects.get() == stored


def test_a_retry_with_the_same_photos_is_200(client, token, first, settings):
    response = resend(client, token, first)

    assert response.status_code == 200
    assert SupportImage.objects.count() == 4 and len(stored_files(settings)) == 4


def test_a_retry_after_the_grace_period_is_still_compared(client, token, first, settings):
    """A retry that fails today's checks (sent too late) is still answered by the stored support,
    and still refused when its data differ."""
    settings.APOYO_APP_GRACE_HOURS = 0

    assert resend(client, token, first).status_code == 200
    assert resend(client, token, first, name="Pedro").status_code == 409


def test_a_retry_compares_with_what_was_received_not_with_a_later_correction(client, token, first):
    """The OPL may correct a pending support; the phone that never got its answer resends what it
    captured, which is still the same capture."""
    capturist = make_user(Role.OPL_CAPTURIST)
    support = Support.objects.get()
    assert not correct_support(capturist, support, {"NOMBRE": "Juan Carlos"}).errors
    assert Support.objects.get().name == "JUAN CARLOS"

    assert resend(client, token, first).status_code == 200
    assert resend(client, token, first, name="Juan Carlos").status_code == 409


def test_a_concurrent_send_of_the_same_uuid_with_other_data_is_a_conflict(auxiliary, settings):
    """The race: both sends pass the checks; the unique uuid stops the second insert, which is
    then compared like any retry."""
    data = capture(3)
    stored = capture_from_app(auxiliary, data, data)
    other = capture(3, uuid=data["uuid"], captured_at=None, name="Pedro")
    text = {name: value for name, value in other.items() if isinstance(value, str)} | {"cic": ""}
    checked, errors = check_capture(auxiliary, text, other, timezone.now())
    assert errors == []

    second = store(auxiliary, stored.support.client_uuid, checked)

    assert second.support is None and second.conflict
    assert {error.field for error in second.errors} == {"name", "captured_at"}
    assert Support.objects.count() == 1 and len(stored_files(settings)) == 4


def test_a_uuid_of_another_auxiliary_is_still_400_whatever_the_data(client, auxiliary, first):
    colleague = make_auxiliary(auxiliary.aspirant)

    response = send(client, token_for(colleague), capture(1) | first)

    assert response.status_code == 400
    assert error_fields(response) == ["uuid"]


def test_the_schema_documents_the_409(client):
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"][SUPPORTS_URL]["post"]

    assert set(post["responses"]) >= {"200", "201", "400", "409"}
    conflict = post["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "otros datos" in conflict["description"]
    assert "409" in post["description"] and "SHA-256" in post["description"]


def test_the_stored_photos_keep_their_sha256(first):
    """What the comparison of photos relies on."""
    images = {image.kind: image.sha256 for image in SupportImage.objects.all()}
    assert images[ImageKind.BACK] == hashlib.sha256(png()).hexdigest()

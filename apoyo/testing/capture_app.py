"""Builders for the capture app's tests: auxiliaries, tokens and captures with real little image
files."""

import datetime
import itertools
import uuid

from django.utils import timezone

from apoyo.accounts.models import Role
from apoyo.accounts.tokens import issue_token
from apoyo.aspirants.models import Auxiliary
from apoyo.testing.factories import PASSWORD, elector_key, make_aspirant, make_office, make_user
from apoyo.testing.files import JPEG, png, uploaded, webp

_sequence = itertools.count(1)


SUPPORTS_URL = "/api/v1/supports/"
SESSION_URL = "/api/v1/session/"
PROFILE_URL = "/api/v1/profile/"


def open_office(**fields):
    """An office whose collection period runs around today, so captures made now are inside."""
    today = timezone.localdate()
    values = {
        "collection_start": today - datetime.timedelta(days=30),
        "collection_end": today + datetime.timedelta(days=30),
    }
    return make_office(**(values | fields))


def make_auxiliary(aspirant=None, active=True, password=PASSWORD, **fields):
    """An auxiliary with an account (role auxiliary) working for `aspirant`."""
    aspirant = aspirant or make_aspirant(open_office(), with_user=True)
    n = next(_sequence)
    state = aspirant.office.process.state_id
    user = make_user(Role.AUXILIARY, state_number=state, password=password, is_active=active)
    values = {
        "aspirant": aspirant,
        "process": aspirant.office.process,
        "user": user,
        "name": f"AUXILIAR {n}",
        "email": f"auxiliar{n}@example.org",
        "phone": f"662{n:07d}",
        "active": active,
    }
    return Auxiliary.objects.create(**(values | fields))


def token_for(auxiliary):
    key_text, _ = issue_token(auxiliary.user)
    return key_text


def auth(key_text):
    return {"HTTP_AUTHORIZATION": f"Token {key_text}"}


def images():
    """The four photos: a JPEG, a PNG, a WebP and a PNG signature."""
    return {
        "front": uploaded("frente.jpg", JPEG, "image/jpeg"),
        "back": uploaded("reverso.png", png(), "image/png"),
        "selfie": uploaded("selfie.webp", webp(), "image/webp"),
        "signature": uploaded("firma.png", png(60, 20, (0, 0, 0)), "image/png"),
    }


def capture(n=1, captured_at=None, with_images=True, **overrides):
    """The multipart fields of one capture of citizen n (JUAN GARCIA LOPEZ)."""
    captured_at = captured_at or timezone.now() - datetime.timedelta(hours=1)
    data = {
        "uuid": str(uuid.uuid4()),
        "captured_at": timezone.localtime(captured_at).isoformat(),
        "elector_key": elector_key(n),
        "ocr": f"{n:013d}",
        "name": "Juan",
        "paternal_surname": "García",
        "maternal_surname": "López",
    }
    if with_images:
        data |= images()
    data |= overrides
    return {name: value for name, value in data.items() if value is not None}


def send(client, key_text, data, **extra):
    return client.post(SUPPORTS_URL, data, **auth(key_text), **extra)


def error_fields(response):
    return [error["field"] for error in response.json()["errors"]]

"""The API tells a session to renew (401: log in again) from an account the aspirant deactivated
(403, code account_deactivated: logging in again would not help), so the app can say which."""

import datetime

import pytest
from django.utils import timezone

from apoyo.accounts.models import ApiToken, Role
from apoyo.accounts.tokens import hash_key, issue_token
from apoyo.aspirants.services import deactivate_auxiliary, reactivate_auxiliary
from apoyo.testing.capture_app import (
    PROFILE_URL,
    SESSION_URL,
    SUPPORTS_URL,
    auth,
    capture,
    make_auxiliary,
    send,
    token_for,
)
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db

DEACTIVATED = "La cuenta está desactivada. Consulte al aspirante para el que trabaja."


@pytest.fixture
def auxiliary():
    return make_auxiliary()


@pytest.fixture
def token(auxiliary):
    return token_for(auxiliary)


def test_a_deactivated_auxiliary_gets_403_account_deactivated_on_every_call(
    client, auxiliary, token
):
    deactivate_auxiliary(auxiliary)  # Also revokes the token.

    answers = [
        client.get(PROFILE_URL, **auth(token)),
        client.get(SUPPORTS_URL, **auth(token)),
        send(client, token, capture(1)),
        client.delete(SESSION_URL, **auth(token)),
    ]
    for response in answers:
        assert response.status_code == 403
        assert response.json() == {
            "detail": DEACTIVATED,
            "code": "account_deactivated",
            "errors": [],
        }


def test_an_expired_token_of_a_deactivated_auxiliary_still_says_deactivated(
    client, auxiliary, token
):
    ApiToken.objects.filter(key_hash=hash_key(token)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    deactivate_auxiliary(auxiliary)
    response = client.get(PROFILE_URL, **auth(token))
    assert (response.status_code, response.json()["code"]) == (403, "account_deactivated")


def test_an_inactive_auxiliary_record_is_account_deactivated_too(client, auxiliary, token):
    auxiliary.active = False  # The account itself still active.
    auxiliary.save()
    response = client.get(PROFILE_URL, **auth(token))
    assert response.status_code == 403
    assert response.json()["code"] == "account_deactivated"
    assert response.json()["detail"] == DEACTIVATED


def test_an_account_that_is_not_an_auxiliary_is_403_not_auxiliary(client):
    key, _ = issue_token(make_user(Role.ASPIRANT))
    response = client.get(PROFILE_URL, **auth(key))
    assert (response.status_code, response.json()["code"]) == (403, "not_auxiliary")


def test_expired_revoked_unknown_and_missing_tokens_are_401_with_their_code(
    client, auxiliary, token
):
    expired = token_for(auxiliary)
    ApiToken.objects.filter(key_hash=hash_key(expired)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.delete(SESSION_URL, **auth(token))
    cases = {
        "token_expired": auth(expired),
        "token_revoked": auth(token),
        "token_invalid": auth("no-existe"),
        "not_authenticated": {},
    }
    for code, headers in cases.items():
        response = client.get(PROFILE_URL, **headers)
        assert (response.status_code, response.json()["code"]) == (401, code)
    malformed = client.get(PROFILE_URL, HTTP_AUTHORIZATION="Token a b")
    assert (malformed.status_code, malformed.json()["code"]) == (401, "token_invalid")


def test_a_reactivated_auxiliary_is_told_to_log_in_again(client, auxiliary, token):
    deactivate_auxiliary(auxiliary)
    reactivate_auxiliary(auxiliary)
    old = client.get(PROFILE_URL, **auth(token))
    assert (old.status_code, old.json()["code"]) == (401, "token_revoked")
    assert client.get(PROFILE_URL, **auth(token_for(auxiliary))).status_code == 200


def test_every_error_carries_a_code(client, auxiliary, token):
    refused = send(client, token, capture(1, name=""))
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid")
    body = {"username": "nadie", "password": "x" * 12}
    login = client.post(SESSION_URL, body, content_type="application/json")
    assert (login.status_code, login.json()["code"]) == (400, "login_refused")
    wrong_method = client.put(PROFILE_URL, **auth(token))
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")


def test_the_schema_documents_the_error_code(client):
    schema = client.get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert "code" in error["required"]
    assert "account_deactivated" in error["properties"]["code"]["description"]
    profile = schema["paths"]["/api/v1/profile/"]["get"]["responses"]
    assert "account_deactivated" in profile["403"]["description"]
    assert "token_expired" in profile["401"]["description"]

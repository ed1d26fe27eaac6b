"""Schemathesis against the API's own OpenAPI schema: requests generated from it, valid and
invalid, never make the server fail (no 5xx). Runs in the plain `make test`, in seconds."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from apoyo.accounts.tokens import issue_token
from apoyo.capture_app.services import capture_from_app
from apoyo.testing.capture_app import capture, make_auxiliary, open_office
from apoyo.testing.factories import make_aspirant
from apoyo.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = 25
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture
def test_connection_stays_open():
    """The WSGI app runs inside the test's transaction: keep Django from closing the connection
    at the end of each request, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def schema(settings, test_connection_stays_open):
    settings.APOYO_API_THROTTLE_RATES = dict.fromkeys(settings.APOYO_API_THROTTLE_RATES)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    # Logging out last: it revokes the token (a fresh one is issued per request anyway).
    return sorted(found, key=lambda operation: operation.method.upper() == "DELETE")


def test_generated_requests_never_cause_a_server_error(schema, settings):
    # A wide period and grace let generated capture times reach the deeper checks.
    office = open_office(collection_start=datetime.date(1900, 1, 1))
    office.collection_end = datetime.date(2100, 12, 31)
    office.save()
    settings.APOYO_APP_GRACE_HOURS = 10**6
    auxiliary = make_auxiliary(make_aspirant(office))
    # Django's test client would connect close_old_connections again: use the service.
    data = capture(1)
    assert capture_from_app(auxiliary, data, data).created
    checked = []
    for operation in operations(schema):
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                key, _ = issue_token(auxiliary.user)
                headers = {"Authorization": f"Token {key}"}
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            call()
            checked.append(f"{operation.method.upper()} {operation.path} {mode.value}")
    assert len(checked) == 2 * 5, checked

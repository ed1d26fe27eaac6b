"""RequestLimitMiddleware: a body over its sender's limit is answered 413 before anything reads it
(anonymous senders 64 KB, signed-in users the largest upload limit plus the envelope)."""

import io
import json

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv

MIDDLEWARE = "apoyo.core.request_limits.RequestLimitMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
KILOBYTE = 1024


@pytest.fixture
def request_limits(settings):
    """The middleware right after SessionMiddleware, where settings.py is to put it, unless
    settings.py already lists it (then these tests check that placement)."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        at = middleware.index(SESSIONS) + 1
        settings.MIDDLEWARE = [*middleware[:at], MIDDLEWARE, *middleware[at:]]
    return settings


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the request body was read")


def post_declaring(client, path, length, **headers):
    """A multipart POST declaring `length` bytes whose body may not be read."""
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=limite",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody(), **headers},
    )


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("request_limits")]


def test_an_anonymous_body_over_64_kb_is_refused_before_csrf_reads_it():
    client = Client(enforce_csrf_checks=True)
    response = post_declaring(client, reverse("login"), 64 * KILOBYTE + 1)
    assert response.status_code == 413
    page = response.content.decode()
    assert "sin sesión iniciada se aceptan hasta 64 KB" in page
    assert response["Content-Type"].startswith("text/html")


def test_an_anonymous_sign_in_form_still_posts():
    response = Client().post(reverse("login"), {"username": "nadie", "password": "x" * 12})
    assert response.status_code != 413


def test_a_signed_in_user_may_post_a_file_larger_than_the_anonymous_limit(
    client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    aspirant = make_aspirant()
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(1, 2000)])
    assert path.stat().st_size > 64 * KILOBYTE
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        response = client.post(reverse("uploads:list"), {"aspirant": aspirant.pk, "file": handle})
    assert response.status_code == 302


def test_a_signed_in_body_over_the_largest_upload_limit_is_refused_unread(settings):
    from apoyo.core.request_limits import signed_in_limit

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.INE_DERFE))
    largest = settings.APOYO_ROLL_UPLOAD_MAX_BYTES
    assert signed_in_limit() == largest + 64 * KILOBYTE
    response = post_declaring(client, reverse("roll:imports"), signed_in_limit() + 1)
    assert response.status_code == 413
    assert f"el límite es de {signed_in_limit() // (1024 * 1024)} MB" in response.content.decode()


def test_the_signed_in_limit_follows_the_largest_configured_upload_limit(settings):
    from apoyo.core.request_limits import signed_in_limit

    settings.APOYO_ROLL_UPLOAD_MAX_BYTES = 1024
    settings.APOYO_UPLOAD_MAX_BYTES = 300 * 1024 * 1024
    assert signed_in_limit() == 300 * 1024 * 1024 + 64 * KILOBYTE


def test_an_anonymous_api_body_over_the_limit_gets_a_json_413():
    response = post_declaring(Client(), reverse("api:supports"), 100 * KILOBYTE)
    assert response.status_code == 413
    body = json.loads(response.content)
    assert body["errors"] == [] and "64 KB" in body["detail"]


def test_an_api_token_request_reaches_the_view_which_checks_the_token_before_the_body():
    response = post_declaring(
        Client(),
        reverse("api:supports"),
        5 * 1024 * 1024,
        HTTP_AUTHORIZATION="Token no-existe",
    )
    assert response.status_code == 401


class Body(io.BytesIO):
    """A body that stays readable for the test after the request closes it."""

    def close(self):
        pass


def chunked_request(size):
    request = RequestFactory().post("/entrar/", data=b"x" * size, content_type="text/plain")
    del request.META["CONTENT_LENGTH"]
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    stream = Body(b"x" * size)
    request._stream = stream
    return request, stream


def reads_the_body(request):
    return HttpResponse(str(len(request.body)))


def test_a_chunked_body_is_cut_one_byte_past_the_limit_and_answered_413():
    from apoyo.core.request_limits import RequestLimitMiddleware

    request, stream = chunked_request(10 * 1024 * 1024)
    middleware = RequestLimitMiddleware(convert_exception_to_response(reads_the_body))
    response = middleware(request)
    assert response.status_code == 413
    assert stream.tell() <= 64 * KILOBYTE + 1


def test_a_chunked_body_within_the_limit_is_read_whole():
    from apoyo.core.request_limits import RequestLimitMiddleware

    request, _ = chunked_request(10 * KILOBYTE)
    response = RequestLimitMiddleware(convert_exception_to_response(reads_the_body))(request)
    assert (response.status_code, response.content) == (200, b"10240")


def test_a_request_without_a_body_never_touches_the_session():
    from apoyo.core.request_limits import RequestLimitMiddleware

    class UntouchableSession:
        def __getattr__(self, name):
            raise AssertionError("the session was loaded")

    request = RequestFactory().get("/")
    request.session = UntouchableSession()
    response = RequestLimitMiddleware(lambda request: HttpResponse("ok"))(request)
    assert response.status_code == 200

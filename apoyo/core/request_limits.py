"""Refuse a request body larger than its sender may send, before anything reads it (DESIGN.md
"Security and personal data": uploads are bounded in size).

Django reads a POST body whole as soon as something touches request.POST, and CsrfViewMiddleware
does that for every form post, long before a view can look at the size of an attachment. This
middleware goes right after SessionMiddleware (it needs the session to tell who is signed in)
and before CsrfViewMiddleware, and answers 413 at once when the declared Content-Length is over:

- for anyone not signed in, APOYO_ANONYMOUS_REQUEST_MAX_BYTES (64 KB): all they may post is the
  sign-in and password forms, or the capture app's sign-in;
- for a signed-in user, the largest upload limit of the project (every APOYO_*_MAX_BYTES setting:
  the carga masiva, a roll cut, a scan, an attachment...) plus the multipart envelope.

A capture app request under /api/ carrying `Authorization: Token ...` counts as signed in without
checking the token here (that needs the accounts app, above core): the API's views are exempt
from CSRF and authenticate the token before they parse the body, so nothing reads an unchecked
body, and it is still bounded by the signed-in limit. A body sent without Content-Length
(chunked) is counted as it is read and the request answered 413 once past the limit.
"""

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html

from apoyo.core.datafiles import ENVELOPE_BYTES

ANONYMOUS_SETTING = "APOYO_ANONYMOUS_REQUEST_MAX_BYTES"
API_PREFIX = "/api/"
_REFUSED = "_apoyo_body_too_large"
_PAGE = (
    '<!doctype html><html lang="es-MX"><head><meta charset="utf-8">'
    "<title>Envío demasiado grande</title></head><body><main><h1>Envío demasiado grande</h1>"
    "<p>{}</p></main></body></html>"
)


def anonymous_limit():
    return settings.APOYO_ANONYMOUS_REQUEST_MAX_BYTES


def signed_in_limit():
    """The largest APOYO_*_MAX_BYTES setting (an upload limit) plus the multipart envelope."""
    limits = [
        getattr(settings, name)
        for name in dir(settings)
        if name.startswith("APOYO_") and name.endswith("_MAX_BYTES") and name != ANONYMOUS_SETTING
    ]
    return max([value for value in limits if isinstance(value, int)], default=0) + ENVELOPE_BYTES


def declared_length(request):
    """The Content-Length as a number; None when absent or unreadable (Django then reads none)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def is_signed_in(request):
    if _carries_api_token(request):
        return True
    if not hasattr(request, "session"):
        return False
    return get_user(request).is_authenticated


def _carries_api_token(request):
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    return request.path_info.startswith(API_PREFIX) and header[:1] == ["Token"]


def _is_chunked(request):
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def too_large(request, signed_in):
    """413 with a one-line Spanish reason: JSON under /api/ (the capture app's format), else an
    HTML page."""
    if signed_in:
        message = (
            "El envío es demasiado grande: el límite es de "
            f"{signed_in_limit() // (1024 * 1024)} MB por envío."
        )
    else:
        message = (
            f"El envío es demasiado grande: sin sesión iniciada se aceptan hasta "
            f"{anonymous_limit() // 1024} KB. Inicie sesión para enviar archivos."
        )
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "errors": []}, status=413)
    return HttpResponse(format_html(_PAGE, message), status=413)


class CappedStream:
    """A request body read without a declared length: counted as it is read, and the request
    marked and stopped (RequestDataTooBig) at the first byte past `limit`."""

    def __init__(self, stream, limit, request):
        self._stream = stream
        self._left = limit
        self._request = request

    def read(self, size=-1):
        return self._counted(self._stream.read(self._bounded(size)))

    def readline(self, size=-1):
        return self._counted(self._stream.readline(self._bounded(size)))

    def close(self):
        self._stream.close()

    def _bounded(self, size):
        # Never ask for more than one byte past the limit, so an endless body is not buffered.
        wanted = self._left + 1
        return wanted if size is None or size < 0 else min(size, wanted)

    def _counted(self, data):
        self._left -= len(data)
        if self._left < 0:
            setattr(self._request, _REFUSED, True)
            raise RequestDataTooBig("Request body exceeded the sender's limit.")
        return data


class RequestLimitMiddleware:
    """Answers 413 to a body over its sender's limit before anything reads it (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        chunked = length is None and _is_chunked(request)
        if not chunked and (length is None or length <= anonymous_limit()):
            return self.get_response(request)  # no body, or a small one: no query at all
        signed_in = is_signed_in(request)
        limit = signed_in_limit() if signed_in else anonymous_limit()
        if not chunked:
            return too_large(request, signed_in) if length > limit else self.get_response(request)
        # Django reads the body through request._stream (HttpRequest.read, readline).
        request._stream = CappedStream(request._stream, limit, request)
        response = self.get_response(request)
        # A read past the limit raised inside a view or another middleware, which Django turned
        # into a 400; the sender is told what happened instead.
        return too_large(request, signed_in) if getattr(request, _REFUSED, False) else response

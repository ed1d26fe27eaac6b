"""The database unreachable for a moment (PostgreSQL restarting, the network to it cut, SQLite's
file locked past its timeout): the request is answered 503 in Spanish with Retry-After, never 500,
and never 200: the error aborts the view, so a request is answered 200 only when its writes
(each save in a transaction of its own) went through.

Recovery needs no restart: Django drops a connection that raised (and PostgreSQL's are checked
before reuse, CONN_HEALTH_CHECKS in settings.py), so the first request after the outage connects
anew.

Two ways in, one answer: the middleware answers a view's error; `server_error` (handler500 in
apoyo/urls.py) answers an error raised by another middleware, which Django turns into a 500 before
any middleware above it could see it (the session is read in a middleware, so it is usually the
first query of a request).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 15
MESSAGE = (
    "El sistema no puede comunicarse con su base de datos en este momento. Intente de nuevo en "
    f"{RETRY_AFTER_SECONDS} segundos; si estaba guardando algo, revise si quedó registrado antes "
    "de repetirlo."
)


def unavailable_response(request):
    """The 503 answer: JSON in the API's error shape for /api/, else the standalone page (no
    base.html, whose context processors would query the database again)."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE, "errors": []}, status=503)
    else:
        page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.warning("Base de datos inaccesible en %s: %s", request.path, exception)
        return unavailable_response(request)


def server_error(request):
    """handler500: a 503 when the error being handled is the database's, Django's 500 otherwise.
    Django calls it while handling the exception, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], UNREACHABLE):
        return unavailable_response(request)
    return defaults.server_error(request)

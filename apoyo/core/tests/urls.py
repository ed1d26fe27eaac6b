"""URLconf of the header tests: the project's URLs, plus views that fail on purpose, a file sent to
anyone, and the static files (served through Django here; in production the proxy serves them)."""

import io

from django.contrib.staticfiles.views import serve
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.urls import path, re_path

from apoyo.urls import urlpatterns as project_urlpatterns

REASON = "Solo la mesa de control revisa apoyos."


def fails(request):
    raise RuntimeError("Falla a propósito")


def refuses_with_reason(request):
    raise PermissionDenied(REASON)


def refuses(request):
    raise PermissionDenied


def file_for_anyone(request):
    return FileResponse(io.BytesIO(b"clave,nombre\n"), as_attachment=True, filename="lista.csv")


urlpatterns = [
    path("prueba/falla/", fails),
    path("prueba/prohibido/", refuses_with_reason),
    path("prueba/prohibido-sin-motivo/", refuses),
    path("prueba/archivo/", file_for_anyone),
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
    *project_urlpatterns,
]

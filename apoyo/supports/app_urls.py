"""URLs of the auxiliaries' capture app, mounted at /app/ (see app_views)."""

from django.urls import path

from apoyo.supports import app_views

app_name = "capture_app"

urlpatterns = [
    path("", app_views.shell, name="shell"),
    path("manifest.webmanifest", app_views.manifest, name="manifest"),
    path("sw.js", app_views.service_worker, name="sw"),
]

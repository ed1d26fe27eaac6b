"""URLs of the auxiliaries' capture app, mounted at /app/ (see views), and its photos."""

from django.urls import path

from apoyo.capture_app import image_views, views

app_name = "capture_app"

urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("imagenes/<int:pk>/", image_views.AppImageView.as_view(), name="image"),
]

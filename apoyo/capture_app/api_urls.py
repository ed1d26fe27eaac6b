"""The capture app's API, mounted at /api/: version 1, its OpenAPI schema and documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from apoyo.capture_app import api, docs

app_name = "api"

urlpatterns = [
    path("v1/session/", api.SessionView.as_view(), name="session"),
    path("v1/profile/", api.ProfileView.as_view(), name="profile"),
    path("v1/supports/", api.SupportsView.as_view(), name="supports"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocsView.as_view(), name="docs"),
]

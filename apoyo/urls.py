from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apoyo.accounts.urls")),
    path("", include("apoyo.supports.urls")),
    path("", include("apoyo.uploads.urls")),
    path("", include("apoyo.review.urls")),
    path("administracion/conservacion/", include("apoyo.retention.urls")),
    path("administracion/", include("apoyo.processes.urls")),
    path("administracion/aspirantes/", include("apoyo.aspirants.urls")),
    path("resultados/", include("apoyo.verification.urls")),
    path("padron/", include("apoyo.roll.urls")),
    path("sivople/", include("apoyo.liaison.urls")),
    path("", include("apoyo.capture_app.auxiliary_urls")),
    path("api/", include("apoyo.capture_app.api_urls")),
    path("app/", include("apoyo.capture_app.urls")),
    path("consulta-ciudadana/", include("apoyo.citizens.urls")),
    path("muestreo/", include("apoyo.sampling.urls")),
    path("avance/", include("apoyo.publication.urls")),
    path("django-admin/", admin.site.urls),
]

# The database unreachable answers 503 also when a middleware (the session's) met it first.
handler500 = "apoyo.core.unavailable.server_error"

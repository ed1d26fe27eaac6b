"""The consulta ciudadana (public) and the OPL's list of desconocimientos ciudadanos."""

from django.urls import path

from apoyo.citizens import views

app_name = "citizens"

urlpatterns = [
    path("", views.LookupView.as_view(), name="lookup"),
    path("desconocer/", views.DisownView.as_view(), name="disown"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy"),
    path("desconocimientos/", views.ReportListView.as_view(), name="reports"),
    path("desconocimientos/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
]

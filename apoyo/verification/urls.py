from django.urls import path

from apoyo.verification import views
from apoyo.verification.hearings import views as hearing_views
from apoyo.verification.rulings import views as ruling_views

app_name = "verification"

urlpatterns = [
    path("", views.ResultsIndexView.as_view(), name="index"),
    path("cargos/<int:pk>/", views.OfficeResultsView.as_view(), name="office"),
    path("cargos/<int:pk>/compulsa/", views.RunStartView.as_view(), name="run_start"),
    path(
        "cargos/<int:pk>/exportar/<str:kind>.<str:fmt>", views.ExportView.as_view(), name="export"
    ),
    path("cargos/<int:pk>/ine/", views.IneExchangeView.as_view(), name="ine"),
    path("cargos/<int:pk>/ine/para-ine.csv", views.IneExportView.as_view(), name="ine_export"),
    path("compulsas/<int:pk>/", views.RunView.as_view(), name="run"),
    path("aspirantes/<int:pk>/", views.AspirantResultsView.as_view(), name="aspirant"),
    path("portal/", views.PortalResultsView.as_view(), name="portal"),
    path(
        "portal/exportar.<str:fmt>", views.PortalResultsExportView.as_view(), name="portal_export"
    ),
    # Garantía de audiencia
    path(
        "cargos/<int:pk>/audiencia/",
        hearing_views.HearingOfficeView.as_view(),
        name="hearing_office",
    ),
    path(
        "cargos/<int:pk>/audiencia/abrir/",
        hearing_views.HearingOpenView.as_view(),
        name="hearing_open",
    ),
    path(
        "audiencia/plazos/<int:pk>/cancelar/",
        hearing_views.WindowCancelView.as_view(),
        name="hearing_cancel",
    ),
    path(
        "audiencia/plazos/<int:pk>/reprogramar/",
        hearing_views.WindowRescheduleView.as_view(),
        name="hearing_reschedule",
    ),
    path(
        "audiencia/solicitudes/<int:pk>/",
        hearing_views.HearingRequestView.as_view(),
        name="hearing_request",
    ),
    path(
        "audiencia/pruebas/<int:pk>/",
        hearing_views.EvidenceView.as_view(),
        name="hearing_evidence",
    ),
    path("portal/audiencia/", hearing_views.HearingPortalView.as_view(), name="hearing_portal"),
    path(
        "portal/audiencia/presentar/",
        hearing_views.HearingFileView.as_view(),
        name="hearing_file",
    ),
    path(
        "portal/audiencia/solicitudes/<int:pk>/",
        hearing_views.HearingPortalRequestView.as_view(),
        name="hearing_portal_request",
    ),
    # Dictamen
    path("cargos/<int:pk>/dictamenes/", ruling_views.RulingListView.as_view(), name="rulings"),
    path(
        "cargos/<int:pk>/dictamenes/generar/",
        ruling_views.RulingGenerateView.as_view(),
        name="ruling_generate",
    ),
    path("dictamenes/<int:pk>/", ruling_views.RulingView.as_view(), name="ruling"),
    path(
        "dictamenes/<int:pk>/dictamen.pdf", ruling_views.RulingPdfView.as_view(), name="ruling_pdf"
    ),
]

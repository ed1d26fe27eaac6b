from django.urls import path

from . import upload_views, views

app_name = "supports"

urlpatterns = [
    path("tablero/", views.DashboardView.as_view(), name="dashboard"),
    path("captura/", views.CaptureView.as_view(), name="capture"),
    path("captura/cedulas/<int:pk>/", views.CedulaView.as_view(), name="cedula"),
    path("apoyos/", views.SupportListView.as_view(), name="list"),
    path("apoyos/<int:pk>/", views.SupportDetailView.as_view(), name="detail"),
    path("apoyos/<int:pk>/corregir/", views.SupportCorrectView.as_view(), name="correct"),
    path("apoyos/<int:pk>/retirar/", views.SupportWithdrawView.as_view(), name="withdraw"),
    path(
        "administracion/inconsistencias/",
        views.InconsistencyCatalogueView.as_view(),
        name="inconsistencies",
    ),
    path("cargas/", upload_views.UploadListView.as_view(), name="uploads"),
    path("cargas/plantilla.<str:fmt>", upload_views.TemplateView.as_view(), name="upload_template"),
    path("cargas/<int:pk>/", upload_views.UploadDetailView.as_view(), name="upload"),
    path(
        "cargas/<int:pk>/reporte.<str:fmt>",
        upload_views.UploadReportView.as_view(),
        name="upload_report",
    ),
    path(
        "cargas/<int:pk>/original/",
        upload_views.UploadOriginalView.as_view(),
        name="upload_original",
    ),
    path(
        "cargas/<int:pk>/revertir/", upload_views.UploadRevertView.as_view(), name="upload_revert"
    ),
    path(
        "cargas/<int:pk>/reintentar/", upload_views.UploadRetryView.as_view(), name="upload_retry"
    ),
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/apoyos/<int:pk>/", views.PortalSupportView.as_view(), name="portal_support"),
]

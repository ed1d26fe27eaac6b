"""Carga masiva: the OPL's uploads (cargas/) and the aspirant's own (portal/cargas/)."""

from django.urls import path

from apoyo.uploads import aspirant_views, views

app_name = "uploads"

urlpatterns = [
    path("cargas/", views.UploadListView.as_view(), name="list"),
    path("cargas/exportar.<str:fmt>", views.UploadListExportView.as_view(), name="list_export"),
    path("cargas/plantilla.<str:fmt>", views.TemplateView.as_view(), name="template"),
    path("cargas/<int:pk>/", views.UploadDetailView.as_view(), name="detail"),
    path("cargas/<int:pk>/reporte.<str:fmt>", views.UploadReportView.as_view(), name="report"),
    path("cargas/<int:pk>/original/", views.UploadOriginalView.as_view(), name="original"),
    path("cargas/<int:pk>/revertir/", views.UploadRevertView.as_view(), name="revert"),
    path("cargas/<int:pk>/reintentar/", views.UploadRetryView.as_view(), name="retry"),
    path("portal/cargas/", aspirant_views.AspirantUploadsView.as_view(), name="aspirant_list"),
    path(
        "portal/cargas/<int:pk>/",
        aspirant_views.AspirantUploadView.as_view(),
        name="aspirant_detail",
    ),
    path(
        "portal/cargas/<int:pk>/reporte.<str:fmt>",
        aspirant_views.AspirantUploadReportView.as_view(),
        name="aspirant_report",
    ),
]

from django.urls import path

from apoyo.supports import capture_views, precapture_views, scan_views, views

app_name = "supports"

urlpatterns = [
    path("tablero/", views.DashboardView.as_view(), name="dashboard"),
    path("captura/", capture_views.CaptureView.as_view(), name="capture"),
    path("captura/cedulas/<int:pk>/", capture_views.CedulaView.as_view(), name="cedula"),
    path(
        "captura/cedulas/<int:pk>/advertencias/",
        capture_views.CedulaWarningsView.as_view(),
        name="cedula_warnings",
    ),
    path(
        "captura/cedulas/<int:pk>/filas/<int:support_pk>/",
        capture_views.CedulaRowView.as_view(),
        name="cedula_row",
    ),
    path("apoyos/", views.SupportListView.as_view(), name="list"),
    path("apoyos/exportar.<str:fmt>", views.SupportExportView.as_view(), name="export"),
    path("apoyos/<int:pk>/", views.SupportDetailView.as_view(), name="detail"),
    path("apoyos/<int:pk>/corregir/", views.SupportCorrectView.as_view(), name="correct"),
    path("apoyos/<int:pk>/retirar/", views.SupportWithdrawView.as_view(), name="withdraw"),
    path(
        "administracion/inconsistencias/",
        views.InconsistencyCatalogueView.as_view(),
        name="inconsistencies",
    ),
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/exportar.<str:fmt>", views.PortalExportView.as_view(), name="portal_export"),
    path("portal/apoyos/<int:pk>/", views.PortalSupportView.as_view(), name="portal_support"),
    # Pre-captura by the aspirant.
    path(
        "portal/cedulas/",
        precapture_views.PrecaptureCedulasView.as_view(),
        name="precapture_cedulas",
    ),
    path(
        "portal/cedulas/<int:pk>/",
        precapture_views.PrecaptureCedulaView.as_view(),
        name="precapture_cedula",
    ),
    path(
        "portal/cedulas/<int:pk>/advertencias/",
        precapture_views.PrecaptureWarningsView.as_view(),
        name="precapture_warnings",
    ),
    path(
        "portal/cedulas/<int:pk>/filas/<int:support_pk>/",
        precapture_views.PrecaptureRowView.as_view(),
        name="precapture_row",
    ),
    path(
        "portal/cedulas/<int:pk>/escaneos/",
        precapture_views.PrecaptureScanView.as_view(),
        name="precapture_scans",
    ),
    path(
        "portal/cedulas/<int:pk>/escaneos/<int:scan_pk>/quitar/",
        precapture_views.PrecaptureScanRemoveView.as_view(),
        name="precapture_scan_remove",
    ),
    path("escaneos/<int:pk>/", scan_views.ScanView.as_view(), name="scan"),
    path(
        "escaneos/<int:pk>/paginas/<int:number>/",
        scan_views.ScanPageView.as_view(),
        name="scan_page",
    ),
]

from django.urls import path

from apoyo.supports import image_views, precapture_views, review_views, views

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
    path("portal/", views.PortalView.as_view(), name="portal"),
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
        "portal/cedulas/<int:pk>/escaneos/",
        precapture_views.PrecaptureScanView.as_view(),
        name="precapture_scans",
    ),
    path(
        "portal/cedulas/<int:pk>/escaneos/<int:scan_pk>/quitar/",
        precapture_views.PrecaptureScanRemoveView.as_view(),
        name="precapture_scan_remove",
    ),
    # Mesa de control.
    path("mesa/", review_views.ReviewQueueView.as_view(), name="review_queue"),
    path("mesa/apoyos/<int:pk>/", review_views.ReviewSupportView.as_view(), name="review"),
    path(
        "mesa/apoyos/<int:pk>/aceptar/",
        review_views.ReviewAcceptView.as_view(),
        name="review_accept",
    ),
    path(
        "mesa/apoyos/<int:pk>/inconsistencia/",
        review_views.ReviewInconsistencyView.as_view(),
        name="review_inconsistency",
    ),
    path(
        "mesa/apoyos/<int:pk>/confirmacion/",
        review_views.ReviewConfirmView.as_view(),
        name="review_confirm",
    ),
    path(
        "mesa/confirmaciones/",
        review_views.ConfirmationListView.as_view(),
        name="review_confirmations",
    ),
    path("mesa/panel/", review_views.ReviewPanelView.as_view(), name="review_panel"),
    path("escaneos/<int:pk>/", review_views.ScanView.as_view(), name="scan"),
    # Photos of the capture app's supports.
    path("imagenes/<int:pk>/", image_views.AppImageView.as_view(), name="app_image"),
]

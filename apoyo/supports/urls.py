from django.urls import path

from . import views

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
]

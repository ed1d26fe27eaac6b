from django.urls import path

from . import views

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
]

import datetime

from django.urls import path, register_converter

from apoyo.roll import views


class IsoDateConverter:
    """A date as YYYY-MM-DD in the URL; an impossible date does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "roll"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="imports"),
    path("importaciones/<int:pk>/", views.ImportDetailView.as_view(), name="import"),
    path(
        "importaciones/<int:pk>/reporte.<str:fmt>",
        views.ImportReportView.as_view(),
        name="import_report",
    ),
    path(
        "importaciones/<int:pk>/reintentar/", views.ImportRetryView.as_view(), name="import_retry"
    ),
    path("cortes/<isodate:cut_date>/", views.CutView.as_view(), name="cut"),
    path("estadisticas/", views.StatisticsView.as_view(), name="statistics"),
]

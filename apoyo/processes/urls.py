from django.urls import path

from apoyo.processes import views

app_name = "processes"

urlpatterns = [
    path("", views.ProcessList.as_view(), name="index"),
    path("opl/", views.InstituteEdit.as_view(), name="institute"),
    path("procesos/nuevo/", views.ProcessEdit.as_view(), name="process_create"),
    path("procesos/<int:pk>/", views.ProcessDetail.as_view(), name="detail"),
    path("procesos/<int:pk>/editar/", views.ProcessEdit.as_view(), name="process_update"),
    path("procesos/<int:pk>/regimen/", views.PaperRegimeEdit.as_view(), name="paper_regime"),
    path(
        "procesos/<int:process_pk>/cargos/nuevo/", views.OfficeEdit.as_view(), name="office_create"
    ),
    path("dias-inhabiles/", views.HolidayList.as_view(), name="holidays"),
    path("dias-inhabiles/<int:pk>/eliminar/", views.HolidayDelete.as_view(), name="holiday_delete"),
    path("cargos/<int:pk>/", views.OfficeEdit.as_view(), name="office_update"),
]

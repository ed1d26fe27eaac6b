"""The capture app's volunteers: the aspirant's auxiliaries (aspirant portal), their invitation
links, and the OPL's lists of every auxiliary and of refused registrations."""

from django.urls import path

from apoyo.capture_app import auxiliary_views as views

app_name = "auxiliaries"

urlpatterns = [
    path(
        "administracion/aspirantes/auxiliares/",
        views.OplAuxiliaryListView.as_view(),
        name="opl_list",
    ),
    path(
        "administracion/aspirantes/auxiliares/exportar.<str:fmt>",
        views.OplAuxiliaryExportView.as_view(),
        name="opl_export",
    ),
    path(
        "administracion/aspirantes/auxiliares/rechazados/",
        views.OplConflictListView.as_view(),
        name="opl_conflicts",
    ),
    path("portal/auxiliares/", views.AuxiliaryListView.as_view(), name="list"),
    path(
        "portal/auxiliares/exportar.<str:fmt>",
        views.AuxiliaryExportView.as_view(),
        name="export",
    ),
    path("portal/auxiliares/nuevo/", views.AuxiliaryCreateView.as_view(), name="create"),
    path(
        "portal/auxiliares/<int:pk>/desactivar/",
        views.AuxiliaryActionView.as_view(action="deactivate"),
        name="deactivate",
    ),
    path(
        "portal/auxiliares/<int:pk>/reactivar/",
        views.AuxiliaryActionView.as_view(action="reactivate"),
        name="reactivate",
    ),
    path(
        "portal/auxiliares/<int:pk>/invitacion/",
        views.AuxiliaryActionView.as_view(action="invite"),
        name="invite",
    ),
    path(
        "auxiliares/invitacion/listo/",
        views.InvitationDoneView.as_view(),
        name="invitation_done",
    ),
    path(
        "auxiliares/invitacion/<uidb64>/<token>/",
        views.InvitationView.as_view(),
        name="invitation",
    ),
]

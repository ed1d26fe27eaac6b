"""The aspirant's auxiliaries (aspirant portal) and the auxiliaries' invitation links."""

from django.urls import path

from apoyo.aspirants import portal_views

app_name = "auxiliaries"

urlpatterns = [
    path("portal/auxiliares/", portal_views.AuxiliaryListView.as_view(), name="list"),
    path("portal/auxiliares/nuevo/", portal_views.AuxiliaryCreateView.as_view(), name="create"),
    path(
        "portal/auxiliares/<int:pk>/desactivar/",
        portal_views.AuxiliaryActionView.as_view(action="deactivate"),
        name="deactivate",
    ),
    path(
        "portal/auxiliares/<int:pk>/reactivar/",
        portal_views.AuxiliaryActionView.as_view(action="reactivate"),
        name="reactivate",
    ),
    path(
        "portal/auxiliares/<int:pk>/invitacion/",
        portal_views.AuxiliaryActionView.as_view(action="invite"),
        name="invite",
    ),
    path(
        "auxiliares/invitacion/listo/",
        portal_views.InvitationDoneView.as_view(),
        name="invitation_done",
    ),
    path(
        "auxiliares/invitacion/<uidb64>/<token>/",
        portal_views.InvitationView.as_view(),
        name="invitation",
    ),
]

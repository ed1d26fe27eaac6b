from django.urls import path

from apoyo.aspirants import portal_views, views

app_name = "aspirants"

urlpatterns = [
    path("", views.AspirantList.as_view(), name="list"),
    path("nuevo/", views.AspirantEdit.as_view(), name="create"),
    path("<int:pk>/", views.AspirantEdit.as_view(), name="update"),
    path("auxiliares/", portal_views.OplAuxiliaryListView.as_view(), name="auxiliaries"),
    path(
        "auxiliares/rechazados/",
        portal_views.OplConflictListView.as_view(),
        name="auxiliary_conflicts",
    ),
]

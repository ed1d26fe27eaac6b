"""Public progress (no account) and its open data; publishing a compulsa's figures (OPL admin)."""

from django.urls import path

from apoyo.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("cargos/<int:pk>/", views.OfficeView.as_view(), name="office"),
    path("cargos/<int:pk>/datos.<str:fmt>", views.OfficeDataView.as_view(), name="office_data"),
    path("compulsas/<int:pk>/publicar/", views.PublishView.as_view(), name="publish"),
    path("compulsas/<int:pk>/retirar/", views.WithdrawView.as_view(), name="withdraw"),
]

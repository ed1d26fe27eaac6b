from django.urls import path

from apoyo.aspirants import views

app_name = "aspirants"

urlpatterns = [
    path("", views.AspirantList.as_view(), name="list"),
    path("nuevo/", views.AspirantEdit.as_view(), name="create"),
    path("<int:pk>/", views.AspirantEdit.as_view(), name="update"),
]

from django.urls import path

from apoyo.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.RetentionView.as_view(), name="index"),
]

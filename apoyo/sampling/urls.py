"""The sampling projection of an aspirant and its draw."""

from django.urls import path

from apoyo.sampling import views

app_name = "sampling"

urlpatterns = [
    path("aspirantes/<int:pk>/", views.ProjectionView.as_view(), name="aspirant"),
    path("aspirantes/<int:pk>/sortear/", views.DrawView.as_view(), name="draw"),
]

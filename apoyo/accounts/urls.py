from django.contrib.auth import views as auth_views
from django.urls import path

from apoyo.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("entrar/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("avisos/", views.NotificationList.as_view(), name="notifications"),
    path("avisos/<int:pk>/", views.NotificationOpen.as_view(), name="notification_open"),
    path("administracion/usuarios/", views.UserList.as_view(), name="user_list"),
    path("administracion/usuarios/nuevo/", views.UserCreate.as_view(), name="user_create"),
    path("administracion/usuarios/<int:pk>/", views.UserUpdate.as_view(), name="user_update"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from apoyo.accounts import account_views, audit_views, signin_views, staff_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("entrar/", signin_views.SignInView.as_view(), name="login"),
    path("entrar/verificar/", signin_views.MfaVerifyView.as_view(), name="mfa_verify"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("contrasena/recuperar/", signin_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "contrasena/recuperar/enviado/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "contrasena/nueva/<uidb64>/<token>/",
        signin_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "contrasena/lista/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("cuenta/", account_views.AccountView.as_view(), name="account"),
    path("cuenta/contrasena/", signin_views.PasswordChangeView.as_view(), name="password_change"),
    path("cuenta/dos-pasos/", signin_views.MfaSetupView.as_view(), name="mfa_setup"),
    path(
        "cuenta/dos-pasos/codigos/",
        signin_views.RecoveryCodesView.as_view(),
        name="mfa_recovery_codes",
    ),
    path("cuenta/dos-pasos/quitar/", account_views.MfaRemoveView.as_view(), name="mfa_remove"),
    path("ayuda/", views.HelpView.as_view(), name="help"),
    path("avisos/", views.NotificationList.as_view(), name="notifications"),
    path("avisos/<int:pk>/", views.NotificationOpen.as_view(), name="notification_open"),
    path("administracion/usuarios/", staff_views.UserList.as_view(), name="user_list"),
    path("administracion/usuarios/nuevo/", staff_views.UserCreate.as_view(), name="user_create"),
    path("administracion/usuarios/<int:pk>/", staff_views.UserUpdate.as_view(), name="user_update"),
    path(
        "administracion/usuarios/<int:pk>/rol/",
        staff_views.RoleChangeView.as_view(),
        name="user_role",
    ),
    path(
        "administracion/usuarios/<int:pk>/enlace/",
        staff_views.PasswordLinkView.as_view(),
        name="user_password_link",
    ),
    path("administracion/cuentas/", staff_views.AccountList.as_view(), name="account_list"),
    path(
        "administracion/cuentas/<int:pk>/activar/",
        staff_views.AccountActiveView.as_view(active=True),
        name="account_activate",
    ),
    path(
        "administracion/cuentas/<int:pk>/desactivar/",
        staff_views.AccountActiveView.as_view(active=False),
        name="account_deactivate",
    ),
    path("administracion/bitacora/", audit_views.AuditLogView.as_view(), name="audit_log"),
    path(
        "administracion/bitacora.<str:fmt>",
        audit_views.AuditLogView.as_view(),
        name="audit_log_export",
    ),
]

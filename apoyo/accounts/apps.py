from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apoyo.accounts"
    verbose_name = "Cuentas y accesos"

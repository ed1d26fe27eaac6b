from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apoyo.accounts"
    verbose_name = "Cuentas y accesos"

    def ready(self):
        from django.contrib.auth import signals

        from apoyo.accounts import signin

        signals.user_logged_in.connect(signin.signed_in, dispatch_uid="apoyo_signed_in")
        signals.user_login_failed.connect(
            signin.sign_in_failed, dispatch_uid="apoyo_sign_in_failed"
        )
        signals.user_logged_out.connect(signin.signed_out, dispatch_uid="apoyo_signed_out")

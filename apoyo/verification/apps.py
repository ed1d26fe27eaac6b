from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "apoyo.verification"
    verbose_name = "Compulsa y resultados"

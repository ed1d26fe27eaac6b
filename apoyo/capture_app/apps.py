from django.apps import AppConfig


class CaptureAppConfig(AppConfig):
    name = "apoyo.capture_app"
    verbose_name = "Aplicación de captura"

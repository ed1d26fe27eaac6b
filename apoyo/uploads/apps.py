from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "apoyo.uploads"
    verbose_name = "Carga masiva"

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "apoyo.retention"
    verbose_name = "Conservación y supresión de datos personales"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "apoyo.demo"
    verbose_name = "Datos de demostración"

from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "apoyo.citizens"
    verbose_name = "Consulta ciudadana"

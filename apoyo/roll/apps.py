from django.apps import AppConfig


class RollConfig(AppConfig):
    name = "apoyo.roll"
    verbose_name = "Padrón Electoral y Lista Nominal"

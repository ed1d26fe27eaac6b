from django.apps import AppConfig


class SupportsConfig(AppConfig):
    name = "apoyo.supports"
    verbose_name = "Apoyos ciudadanos"

from django.apps import AppConfig


class AspirantsConfig(AppConfig):
    name = "apoyo.aspirants"
    verbose_name = "Aspirantes"

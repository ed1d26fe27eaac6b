from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "apoyo.publication"
    verbose_name = "Avance público"

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "apoyo.geo"
    verbose_name = "Marco geográfico electoral"

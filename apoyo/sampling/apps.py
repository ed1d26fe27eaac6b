from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "apoyo.sampling"
    verbose_name = "Muestreo y proyección"

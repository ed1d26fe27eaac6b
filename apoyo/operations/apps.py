from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "apoyo.operations"
    verbose_name = "Operación: respaldos y recuperación"

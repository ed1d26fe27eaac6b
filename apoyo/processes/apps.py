from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "apoyo.processes"
    verbose_name = "Procesos y cargos"

from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "apoyo.liaison"
    verbose_name = "SIVOPLE (vinculación con los OPL)"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SupportsConfig(AppConfig):
    name = "apoyo.supports"
    verbose_name = "Apoyos ciudadanos"

    def ready(self):
        from apoyo.core.dbstats import after_migrate

        # Once per migrate (sender: this app), after every app's tables exist.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="apoyo.core.dbstats")

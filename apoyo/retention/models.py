"""What was purged of a process's personal data, when and by whom (README, "Conservación y
supresión de datos personales")."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager


class PurgeRecord(models.Model):
    """One purge of a process's personal data: how many of each kind went (`counts`, keyed by
    apoyo.retention.targets.KINDS) and each dictamen verified after it (`rulings`)."""

    process = models.ForeignKey(
        "processes.Process",
        verbose_name="proceso",
        on_delete=models.PROTECT,
        related_name="purges",
    )
    purged_at = models.DateTimeField("fecha de la supresión", default=timezone.now)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who ran it as the record says it, also from the command line (no signed-in user).
    operator = models.CharField("realizó", max_length=150)
    rulings_final_on = models.DateField("dictámenes firmes desde")
    retention_days = models.PositiveIntegerField("días de conservación")
    counts = models.JSONField("suprimido por tipo", default=dict)
    rulings = models.JSONField("dictámenes verificados", default=list)

    objects = scoped_manager(state_path="process__state")

    class Meta:
        verbose_name = "supresión de datos personales"
        verbose_name_plural = "supresiones de datos personales"
        ordering = ["-purged_at", "-id"]

    def __str__(self):
        return f"Supresión de datos de {self.process} ({self.purged_at:%d/%m/%Y})"

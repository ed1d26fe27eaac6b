"""Which compulsas' figures the OPL made public (issue 17, section 2). A run's figures are public
while it has a publication not withdrawn; withdrawing keeps the row (who published and withdrew
it, and when), and publishing again adds a new one."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import ScopedQuerySet


class PublicationQuerySet(ScopedQuerySet):
    state_path = "run__office__process__state"

    def active(self):
        """The publications in force: those not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Publication(models.Model):
    run = models.ForeignKey(
        "verification.CheckRun",
        verbose_name="compulsa",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publicó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("publicada", default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="retiró",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("retirada", null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "publicación de cifras"
        verbose_name_plural = "publicaciones de cifras"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="publication_one_active_per_run",
            )
        ]

    def __str__(self):
        return f"Publicación de la compulsa {self.run_id}"

    @property
    def is_active(self):
        return self.withdrawn_at is None

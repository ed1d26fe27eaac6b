"""A random sample of an aspirant's pending supports (issue 17 §3): how it was drawn and which
supports it holds. The mesa de control reviews the current sample's supports first
(review.queue reads `sample_entries` and `active` by name, not by import: review is a lower layer)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager


class SizeMethod(models.TextChoices):
    MARGIN = "margin", "Margen de error objetivo"
    FIXED = "fixed", "Tamaño fijo"


class Sample(models.Model):
    """One draw: its seed, how its size was chosen, the pending supports per channel it was drawn
    from and how many of each it took (strata: {channel: [population, size]}), who and when. A new
    draw for the aspirant supersedes the previous one, which stays on record."""

    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        verbose_name="aspirante",
        on_delete=models.PROTECT,
        related_name="samples",
    )
    seed = models.PositiveBigIntegerField("semilla")
    method = models.CharField("tamaño elegido por", max_length=10, choices=SizeMethod.choices)
    margin_percent = models.DecimalField(
        "margen de error (%)", max_digits=4, decimal_places=2, null=True, blank=True
    )
    confidence_percent = models.PositiveSmallIntegerField("nivel de confianza (%)", default=95)
    requested_size = models.PositiveIntegerField("tamaño pedido", null=True, blank=True)
    size = models.PositiveIntegerField("tamaño de la muestra")
    population = models.PositiveIntegerField("apoyos pendientes al sortear")
    strata = models.JSONField("estratos", default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sorteó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drawn_at = models.DateTimeField("fecha del sorteo", default=timezone.now)
    superseded_at = models.DateTimeField("sustituida", null=True, blank=True)

    objects = scoped_manager(state_path="aspirant__office__process__state")

    class Meta:
        verbose_name = "muestra de apoyos"
        verbose_name_plural = "muestras de apoyos"
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspirant"],
                condition=Q(superseded_at__isnull=True),
                name="sample_one_current_per_aspirant",
            )
        ]

    def __str__(self):
        return f"Muestra N.º {self.pk} ({self.size} apoyos, semilla {self.seed})"

    @property
    def is_current(self):
        return self.superseded_at is None


class SampledSupport(models.Model):
    """A support drawn into a sample; `rank` is its place in the seeded order, `active` whether
    its sample is the aspirant's current one (so the review queue needs no join to Sample)."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="entries")
    # CASCADE: a pending pre-captured row the aspirant removes leaves the sample with it.
    support = models.ForeignKey(
        "supports.Support", on_delete=models.CASCADE, related_name="sample_entries"
    )
    channel = models.CharField("canal", max_length=10)
    rank = models.PositiveIntegerField("orden en el sorteo")
    active = models.BooleanField("muestra vigente", default=True)

    class Meta:
        verbose_name = "apoyo de una muestra"
        verbose_name_plural = "apoyos de muestras"
        ordering = ["sample", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "support"], name="sampled_support_once"),
            models.UniqueConstraint(
                fields=["support"],
                condition=Q(active=True),
                name="sampled_support_one_current",
            ),
        ]

    def __str__(self):
        return f"Apoyo {self.support_id} en la muestra {self.sample_id}"

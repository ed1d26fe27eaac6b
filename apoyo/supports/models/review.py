"""The mesa de control's decisions on supports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.supports.models.support import Inconsistency, Support


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Aceptado"
    INCONSISTENCY = "inconsistency", "Inconsistencia registrada"
    PROPOSED = "proposed", "Rechazo que requiere segundo revisor"


class Confirmation(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmado"
    OVERTURNED = "overturned", "No confirmado"


class Review(models.Model):
    """One mesa de control decision on a support, by one revisor.

    A rejection whose type needs confirmation (four eyes) is stored as PROPOSED and stays open
    (`confirmation` empty) until a different revisor confirms or overturns it.
    """

    support = models.ForeignKey(
        Support, verbose_name="apoyo", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="revisor",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("fecha y hora", default=timezone.now)
    outcome = models.CharField("decisión", max_length=20, choices=ReviewOutcome.choices)
    inconsistency = models.ForeignKey(
        Inconsistency,
        verbose_name="tipo de inconsistencia",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    comment = models.CharField("comentario", max_length=500, blank=True)
    confirmation = models.CharField(
        "confirmación", max_length=20, choices=Confirmation.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="segundo revisor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("fecha de confirmación", null=True, blank=True)
    confirmation_comment = models.CharField(
        "comentario del segundo revisor", max_length=500, blank=True
    )

    # Reviews are the OPL's internal record: aspirants see the outcome on the support, not this.
    objects = scoped_manager(state_path="support__aspirant__office__process__state")

    class Meta:
        verbose_name = "revisión de mesa de control"
        verbose_name_plural = "revisiones de mesa de control"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["support"],
                condition=Q(outcome="proposed", confirmation=""),
                name="review_one_open_proposal",
            )
        ]
        indexes = [models.Index(fields=["at"], name="review_at")]

    def __str__(self):
        return f"{self.get_outcome_display()} · apoyo {self.support_id}"

    @property
    def is_open(self):
        return self.outcome == ReviewOutcome.PROPOSED and not self.confirmation


def open_proposals():
    """Four-eyes rejections still waiting for a second revisor."""
    return Review.objects.filter(outcome=ReviewOutcome.PROPOSED, confirmation="")

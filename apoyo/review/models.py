"""The mesa de control's own tables. The decisions (Review) stay in `supports`, where they were
created; the claims that keep two revisors off the same support are here."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.supports.models import Support


class ReviewClaim(models.Model):
    """A revisor has a support open in the mesa de control until `expires_at`.

    The support is unique here (a constraint, not a check in Python), so that of two revisors
    racing for one support the database lets exactly one in, on SQLite and PostgreSQL alike
    (review/claims.py takes and releases claims).
    """

    support = models.OneToOneField(
        Support, verbose_name="apoyo", on_delete=models.CASCADE, related_name="review_claim"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="revisor",
        on_delete=models.CASCADE,
        related_name="+",
    )
    claimed_at = models.DateTimeField("en revisión desde", default=timezone.now)
    expires_at = models.DateTimeField("vence")

    objects = scoped_manager(state_path="support__aspirant__office__process__state")

    class Meta:
        verbose_name = "apoyo en revisión"
        verbose_name_plural = "apoyos en revisión"
        ordering = ["claimed_at", "id"]
        indexes = [models.Index(fields=["reviewer"], name="review_claim_reviewer")]

    def __str__(self):
        return f"apoyo {self.support_id} · {self.reviewer} hasta {self.expires_at:%H:%M}"

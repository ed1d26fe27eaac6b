"""What citizens tell the OPL through the public consulta ciudadana: that a support stored in their
name was not given by them (a desconocimiento)."""

from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager


class ContactKind(models.TextChoices):
    EMAIL = "email", "Correo electrónico"
    PHONE = "phone", "Teléfono"


class CitizenReport(models.Model):
    """A citizen's "Yo no di este apoyo" on one support: how to reach them and what they say.

    The contact is personal data: only the OPL administrators of the support's entity read it, and
    every read is logged. The address is kept as a keyed hash (enough to tell that several reports
    came from one address, never which one)."""

    support = models.OneToOneField(
        "supports.Support",
        verbose_name="apoyo",
        on_delete=models.PROTECT,
        related_name="citizen_report",
    )
    contact = models.CharField("contacto", max_length=254)
    contact_kind = models.CharField("tipo de contacto", max_length=10, choices=ContactKind.choices)
    statement = models.TextField("manifestación", max_length=1000)
    created_at = models.DateTimeField("recibido", default=timezone.now)
    address_hash = models.CharField("huella de la dirección IP", max_length=64, blank=True)

    objects = scoped_manager(state_path="support__aspirant__office__process__state")

    class Meta:
        verbose_name = "desconocimiento ciudadano"
        verbose_name_plural = "desconocimientos ciudadanos"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Desconocimiento N.º {self.pk}"

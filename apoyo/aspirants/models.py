from django.conf import settings
from django.db import models

from apoyo.accounts.scoping import scoped_manager


class Aspirant(models.Model):
    """A citizen seeking an independent candidacy for one office."""

    office = models.ForeignKey(
        "processes.Office", verbose_name="cargo", on_delete=models.PROTECT, related_name="aspirants"
    )
    code = models.CharField(
        "clave", max_length=30, help_text="Única dentro del proceso electoral, p. ej. A-01."
    )
    name = models.CharField("nombre(s)", max_length=120)
    paternal_surname = models.CharField("apellido paterno", max_length=120, blank=True)
    maternal_surname = models.CharField("apellido materno", max_length=120, blank=True)
    email = models.EmailField("correo electrónico", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="cuenta del portal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aspirant",
    )

    objects = scoped_manager(state_path="office__process__state", aspirant_path="")

    class Meta:
        verbose_name = "aspirante"
        verbose_name_plural = "aspirantes"
        ordering = ["office", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="aspirant_unique_code")
        ]

    def __str__(self):
        return f"{self.code} · {self.full_name}"

    @property
    def full_name(self):
        return " ".join(p for p in [self.name, self.paternal_surname, self.maternal_surname] if p)

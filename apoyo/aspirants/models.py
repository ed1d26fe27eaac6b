from django.conf import settings
from django.db import models
from django.utils import timezone

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
    # Until when the daily notice of supports rejected in the mesa de control has told them.
    rejections_notified_until = models.DateTimeField(null=True, blank=True, editable=False)

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


class Auxiliary(models.Model):
    """An auxiliar (gestor): a person who captures supports with the app for one aspirant.

    One person (e-mail or phone) works for one aspirant per process; `process` is the aspirant's,
    kept here so the database enforces it.
    """

    aspirant = models.ForeignKey(
        Aspirant, verbose_name="aspirante", on_delete=models.PROTECT, related_name="auxiliaries"
    )
    process = models.ForeignKey(
        "processes.Process", verbose_name="proceso", on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="cuenta",
        on_delete=models.PROTECT,
        related_name="auxiliary",
    )
    name = models.CharField("nombre completo", max_length=200)
    email = models.EmailField("correo electrónico")
    phone = models.CharField("teléfono", max_length=10, help_text="10 dígitos.")
    active = models.BooleanField("activo", default=True)
    invited_at = models.DateTimeField("invitación enviada", null=True, blank=True)
    # Each invitation sent bumps it, and the invitation link's token hashes it: re-sending an
    # invitation makes every earlier link invalid (aspirants.invitations).
    invitations_sent = models.PositiveIntegerField("invitaciones enviadas", default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registró",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField("registrado", default=timezone.now)
    deactivated_at = models.DateTimeField("desactivado", null=True, blank=True)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "auxiliar"
        verbose_name_plural = "auxiliares"
        ordering = ["aspirant", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "email"], name="auxiliary_one_aspirant_per_email"
            ),
            models.UniqueConstraint(
                fields=["process", "phone"], name="auxiliary_one_aspirant_per_phone"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.aspirant.code})"


class AuxiliaryConflict(models.Model):
    """A refused registration: the person already works for another aspirant of the process.

    Kept for the OPL (DOMAIN.md: "an auxiliar working for two aspirants is flagged"); the
    aspirants involved do not see it.
    """

    aspirant = models.ForeignKey(
        Aspirant,
        verbose_name="aspirante que intentó registrar",
        on_delete=models.PROTECT,
        related_name="+",
    )
    existing = models.ForeignKey(
        Auxiliary,
        verbose_name="registro existente",
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    name = models.CharField("nombre capturado", max_length=200)
    email = models.EmailField("correo capturado", blank=True)
    phone = models.CharField("teléfono capturado", max_length=10, blank=True)
    matched_on = models.CharField("coincide en", max_length=40)
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="intentó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("fecha y hora", default=timezone.now)

    objects = scoped_manager(state_path="aspirant__office__process__state")

    class Meta:
        verbose_name = "registro de auxiliar rechazado"
        verbose_name_plural = "registros de auxiliares rechazados"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.name} → {self.aspirant.code} ({self.at:%Y-%m-%d})"

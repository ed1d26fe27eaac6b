from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager


class Source(models.TextChoices):
    ROLL = "roll", "Compulsa contra el padrón"
    INE = "ine", "Resultados del INE (vía tradicional)"


class RegistryStatus(models.TextChoices):
    LN = "LN", "En Lista Nominal"
    FUERA_AMBITO = "FUERA_AMBITO", "Fuera del ámbito del cargo"
    PADRON = "PADRON", "En Padrón, no en Lista Nominal"
    BAJA = "BAJA", "Baja del Padrón"
    NO_ENCONTRADO = "NO_ENCONTRADO", "No encontrado"


class Motive(models.TextChoices):
    """Why a support does not count, in CONTRACT.md's order of precedence."""

    INCONSISTENCIA = "INCONSISTENCIA", "Inconsistencia de la mesa de control"
    NO_ENCONTRADO = "NO_ENCONTRADO", "No encontrado en el padrón"
    BAJA = "BAJA", "Baja del padrón"
    PADRON = "PADRON", "En padrón, no en Lista Nominal"
    FUERA_AMBITO = "FUERA_AMBITO", "Fuera del ámbito del cargo"
    FUERA_REGIMEN_EXCEPCION = "FUERA_REGIMEN_EXCEPCION", "Fuera del régimen de excepción"
    DUPLICADO_MISMO = "DUPLICADO_MISMO", "Duplicado para el mismo aspirante"
    DUPLICADO_OTRO = "DUPLICADO_OTRO", "Apoyó antes a otro aspirante"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "En espera"
    RUNNING = "running", "Procesando"
    DONE = "done", "Terminada"
    FAILED = "failed", "Falló"


class CheckRun(models.Model):
    """One compulsa of an office: who ran it, when, against which cut. Results are kept per run so
    a published preliminary result can be reproduced; the newest finished run is the current one."""

    office = models.ForeignKey(
        "processes.Office", verbose_name="cargo", on_delete=models.PROTECT, related_name="runs"
    )
    cut_date = models.DateField("fecha de corte", null=True, blank=True)
    source = models.CharField("origen", max_length=10, choices=Source.choices)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("solicitada", default=timezone.now)
    started_at = models.DateTimeField("inicio", null=True, blank=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    phase = models.CharField("fase", max_length=120, blank=True)
    message = models.CharField("mensaje", max_length=500, blank=True)
    supports = models.PositiveIntegerField("apoyos revisados", default=0)

    objects = scoped_manager(state_path="office__process__state")

    class Meta:
        verbose_name = "compulsa"
        verbose_name_plural = "compulsas"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Compulsa {self.pk} de {self.office}"


class SupportResult(models.Model):
    """The outcome of one support in one run (CONTRACT export_results, supports.csv)."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    # No database constraint on these two: the rows are selected from the very tables they point
    # to by one INSERT ... SELECT, and checking 100,000 keys per run doubled its time.
    support = models.ForeignKey(
        "supports.Support",
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    registry_status = models.CharField(max_length=15, choices=RegistryStatus.choices)
    removal_cause = models.CharField(max_length=20, blank=True)
    ocr_match = models.BooleanField(null=True)
    state_number = models.PositiveSmallIntegerField(null=True)
    section_number = models.PositiveIntegerField(null=True)
    duplicity = models.CharField(max_length=15, blank=True)
    valid = models.BooleanField()
    motive = models.CharField(max_length=25, choices=Motive.choices, blank=True)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        indexes = [
            models.Index(fields=["run", "aspirant", "motive"], name="result_run_aspirant"),
            models.Index(fields=["support", "run"], name="result_support_run"),
        ]

    def __str__(self):
        return f"{self.support_id}: {self.motive or 'válido'}"


class AspirantResult(models.Model):
    """An aspirant's count against the threshold and the dispersion rule in one run."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="aspirant_results")
    aspirant = models.ForeignKey("aspirants.Aspirant", on_delete=models.CASCADE, related_name="+")
    nominal_list = models.PositiveIntegerField("Lista Nominal")
    required = models.PositiveIntegerField("requeridos")
    captured = models.PositiveIntegerField("capturados")
    valid = models.PositiveIntegerField("válidos")
    percent = models.DecimalField("porcentaje", max_digits=7, decimal_places=2)
    units_met = models.PositiveIntegerField("unidades que cumplen", null=True)
    units_required = models.PositiveIntegerField("unidades requeridas", null=True)
    meets = models.BooleanField("cumple")
    motive_counts = models.JSONField("apoyos por motivo", default=dict)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        ordering = ["run", "aspirant__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "aspirant"], name="aspirant_result_unique")
        ]

    def __str__(self):
        return f"{self.aspirant_id}: {self.valid}/{self.required}"


class UnitResult(models.Model):
    """One row of an aspirant's dispersion table: a municipality, district or section."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="+")
    aspirant = models.ForeignKey("aspirants.Aspirant", on_delete=models.CASCADE, related_name="+")
    unit_number = models.PositiveIntegerField("unidad")
    unit_name = models.CharField("nombre", max_length=120, blank=True)
    nominal_list = models.PositiveIntegerField("Lista Nominal")
    required = models.PositiveIntegerField("requeridos")
    valid = models.PositiveIntegerField("válidos")
    met = models.BooleanField("cumple")

    class Meta:
        ordering = ["run", "aspirant", "unit_number"]

    def __str__(self):
        return f"{self.unit_name}: {self.valid}/{self.required}"


class IneAnswer(models.Model):
    """INE's answer for one support on the traditional route (CONTRACT import_ine_results); it
    takes the place of the roll lookup for that support."""

    support = models.OneToOneField(
        "supports.Support", on_delete=models.CASCADE, related_name="ine_answer"
    )
    registry_status = models.CharField(max_length=15, choices=RegistryStatus.choices)
    removal_cause = models.CharField(max_length=20, blank=True)
    state_number = models.PositiveSmallIntegerField(null=True)
    section_number = models.PositiveIntegerField(null=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"{self.support_id}: {self.registry_status}"

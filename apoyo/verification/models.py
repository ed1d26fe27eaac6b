from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.roll.models import RegistryStatus


class Source(models.TextChoices):
    ROLL = "roll", "Compulsa contra el padrón"
    INE = "ine", "Resultados del INE (vía tradicional)"


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
    # Stamped while the run works (apoyo.core.jobs.heartbeat): a stale one means its worker died.
    heartbeat_at = models.DateTimeField("última señal del trabajo", null=True, blank=True)

    objects = scoped_manager(state_path="office__process__state")

    class Meta:
        verbose_name = "compulsa"
        verbose_name_plural = "compulsas"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Compulsa {self.pk} de {self.office}"


class SupportResult(models.Model):
    """The outcome of one support in one run (CONTRACT export_results, supports.csv)."""

    # No database constraint on these three: the rows are written by one INSERT ... SELECT from
    # the very tables they point to, with the run created in the same transaction, and checking
    # 100,000 keys per run doubled its time.
    run = models.ForeignKey(
        CheckRun, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
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
            # An aspirant's results in capture order, a page at a time (the results page and the
            # garantía de audiencia), all of them or those of one motivo: without these each page
            # joined and sorted every result of the aspirant (0.7 s for 300,000 at a million
            # supports on SQLite). The first also serves the counts by motivo.
            models.Index(
                fields=["run", "aspirant", "motive", "support"], name="result_run_aspirant"
            ),
            models.Index(fields=["run", "aspirant", "support"], name="result_run_aspirant_support"),
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


# Garantía de audiencia ----------------------------------------------------------------------------


class HearingWindow(models.Model):
    """The term in which the aspirants of an office may answer their invalidated supports
    (DOMAIN.md, garantía de audiencia). It follows one compulsa: the supports invalid in that run
    are the ones that can be argued. The end date is counted in working days (processes.workdays)."""

    office = models.ForeignKey(
        "processes.Office",
        verbose_name="cargo",
        on_delete=models.PROTECT,
        related_name="hearing_windows",
    )
    run = models.ForeignKey(
        CheckRun,
        verbose_name="compulsa",
        on_delete=models.PROTECT,
        related_name="hearing_windows",
    )
    start_date = models.DateField("inicio")
    working_days = models.PositiveSmallIntegerField("días hábiles", default=5)
    end_date = models.DateField("fin")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="abrió",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField("abierta", default=timezone.now)
    cancelled_at = models.DateTimeField("cancelada", null=True, blank=True)
    # Each cancellation or change of dates before the start: [{at, by, what, reason}].
    changes = models.JSONField("cambios", default=list, blank=True)

    objects = scoped_manager(state_path="office__process__state", aspirant_path="office__aspirants")

    class Meta:
        verbose_name = "garantía de audiencia"
        verbose_name_plural = "garantías de audiencia"
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return (
            f"Audiencia de {self.office} del {self.start_date:%d/%m/%Y} al {self.end_date:%d/%m/%Y}"
        )

    def state_on(self, day):
        """'scheduled' before the start, 'open' from start to end (both included), then 'closed';
        'cancelled' once cancelled before it started."""
        if self.cancelled_at is not None:
            return WindowState.CANCELLED
        if day < self.start_date:
            return WindowState.SCHEDULED
        if day <= self.end_date:
            return WindowState.OPEN
        return WindowState.CLOSED


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", "Programada"
    OPEN = "open", "Abierta"
    CLOSED = "closed", "Cerrada"
    CANCELLED = "cancelled", "Cancelada"


class RequestStatus(models.TextChoices):
    FILED = "filed", "Presentada, sin resolver"
    UPHELD = "upheld", "Procedente"
    PARTIAL = "partial", "Parcialmente procedente"
    REJECTED = "rejected", "Improcedente"


class ItemDecision(models.TextChoices):
    """The ruling on one support of a hearing request."""

    UPHELD = "upheld", "Procedente"
    REJECTED = "rejected", "Improcedente"


class HearingRequest(models.Model):
    """An aspirant's argument about one or several of their invalidated supports, and the OPL's
    resolution of it."""

    window = models.ForeignKey(
        HearingWindow,
        verbose_name="garantía de audiencia",
        on_delete=models.PROTECT,
        related_name="requests",
    )
    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        verbose_name="aspirante",
        on_delete=models.PROTECT,
        related_name="hearing_requests",
    )
    supports = models.ManyToManyField(
        "supports.Support",
        verbose_name="apoyos",
        through="HearingItem",
        related_name="hearing_requests",
    )
    argument = models.TextField("argumentos")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="presentó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField("presentada", default=timezone.now)
    status = models.CharField(
        "estado", max_length=10, choices=RequestStatus.choices, default=RequestStatus.FILED
    )
    resolution = models.TextField("fundamento de la resolución", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="resolvió",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("resuelta", null=True, blank=True)
    recheck_run = models.ForeignKey(
        CheckRun,
        verbose_name="compulsa de recálculo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "solicitud de audiencia"
        verbose_name_plural = "solicitudes de audiencia"
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["window", "status"], name="hearing_request_window")]

    def __str__(self):
        return f"Solicitud {self.pk} de {self.aspirant_id}"

    @property
    def is_pending(self):
        return self.status == RequestStatus.FILED


class HearingItem(models.Model):
    """One support covered by a hearing request: its motivo in the window's compulsa and, when the
    hearing request was upheld, the corrections applied to it ({column: [old, new]})."""

    request = models.ForeignKey(HearingRequest, on_delete=models.CASCADE, related_name="items")
    support = models.ForeignKey(
        "supports.Support", on_delete=models.PROTECT, related_name="hearing_items"
    )
    motive = models.CharField("motivo", max_length=25, choices=Motive.choices)
    # True while the hearing request awaits its resolution: a support is in at most one pending
    # hearing request.
    pending = models.BooleanField(default=True)
    changes = models.JSONField("correcciones", default=dict, blank=True)
    decision = models.CharField(
        "resolución", max_length=10, choices=ItemDecision.choices, blank=True
    )
    reason = models.TextField("fundamento", blank=True)

    class Meta:
        verbose_name = "apoyo de una solicitud de audiencia"
        verbose_name_plural = "apoyos de solicitudes de audiencia"
        ordering = ["request", "support_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "support"], name="hearing_item_unique"),
            models.UniqueConstraint(
                fields=["support"],
                condition=models.Q(pending=True),
                name="hearing_item_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.request_id}: {self.support_id}"


class HearingEvidence(models.Model):
    """A file an aspirant attached to a hearing request; its type was judged by its content
    (apoyo.core.filetypes). Served only through a permission-checked view."""

    request = models.ForeignKey(HearingRequest, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("archivo", upload_to="audiencias/%Y/%m/")
    original_name = models.CharField("nombre del archivo", max_length=255)
    kind = models.CharField("tipo", max_length=10)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("cargado", default=timezone.now)

    objects = scoped_manager(
        state_path="request__aspirant__office__process__state", aspirant_path="request__aspirant"
    )

    class Meta:
        verbose_name = "prueba de una solicitud de audiencia"
        verbose_name_plural = "pruebas de solicitudes de audiencia"
        ordering = ["request", "id"]

    def __str__(self):
        return self.original_name


# Dictamen -----------------------------------------------------------------------------------------


class Ruling(models.Model):
    """The OPL's dictamen of an office: each aspirant's final count against the threshold and the
    dispersion rule, with the outcome of the garantía de audiencia. The figures are kept as they
    were computed (so the page is reproducible) beside the PDF generated from them."""

    office = models.ForeignKey(
        "processes.Office", verbose_name="cargo", on_delete=models.PROTECT, related_name="rulings"
    )
    run = models.ForeignKey(
        CheckRun, verbose_name="compulsa", on_delete=models.PROTECT, related_name="rulings"
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="generó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    generated_at = models.DateTimeField("generado", default=timezone.now)
    figures = models.JSONField("cifras", default=dict)
    pdf = models.FileField("PDF", upload_to="dictamenes/%Y/")
    pdf_sha256 = models.CharField("SHA-256 del PDF", max_length=64)
    # Why it was generated although no garantía de audiencia was held for invalid supports.
    no_hearing_reason = models.TextField("motivo de no haber audiencia", blank=True)
    # A dictamen is never edited: a new one supersedes it, with the reason.
    superseded_by = models.OneToOneField(
        "self",
        verbose_name="sustituido por",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    supersede_reason = models.TextField("motivo de la sustitución", blank=True)

    objects = scoped_manager(state_path="office__process__state")

    class Meta:
        verbose_name = "dictamen"
        verbose_name_plural = "dictámenes"
        ordering = ["-generated_at", "-id"]

    def __str__(self):
        return f"Dictamen {self.pk} de {self.office}"

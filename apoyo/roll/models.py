from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.core.jobs import JobProgress


class RegistryStatus(models.TextChoices):
    """Situación registral: the result of the compulsa for one clave de elector (DOMAIN.md,
    "Outcomes of the check"; LGIPE 385: only a citizen in the Lista Nominal of the office's
    territory counts)."""

    LN = "LN", "En Lista Nominal"
    FUERA_AMBITO = "FUERA_AMBITO", "Fuera del ámbito del cargo"
    PADRON = "PADRON", "En Padrón, no en Lista Nominal"
    BAJA = "BAJA", "Baja del Padrón"
    NO_ENCONTRADO = "NO_ENCONTRADO", "No encontrado"


# What a roll record may hold: FUERA_AMBITO and NO_ENCONTRADO only arise when a support is
# compared with the roll (the territory of an office, a clave the roll lacks).
ROLL_SITUATIONS = (RegistryStatus.LN, RegistryStatus.PADRON, RegistryStatus.BAJA)


class RemovalCause(models.TextChoices):
    DEFUNCION = "DEFUNCION", "Defunción"
    SUSPENSION_DERECHOS = "SUSPENSION_DERECHOS", "Suspensión de derechos políticos"
    PERDIDA_VIGENCIA = "PERDIDA_VIGENCIA", "Pérdida de vigencia"
    DUPLICADO_PADRON = "DUPLICADO_PADRON", "Registro duplicado"
    DATOS_IRREGULARES = "DATOS_IRREGULARES", "Datos irregulares"
    DOMICILIO_IRREGULAR = "DOMICILIO_IRREGULAR", "Domicilio irregular"
    USURPACION = "USURPACION", "Usurpación de identidad"
    CANCELACION_TRAMITE = "CANCELACION_TRAMITE", "Cancelación de trámite"


class RollCut(models.Model):
    """A dated cut (corte) of the Padrón Electoral / Lista Nominal. One per date: a new import of
    the same date replaces it."""

    cut_date = models.DateField("fecha de corte", unique=True)
    imported_at = models.DateTimeField("importado", default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField("archivo", max_length=255, blank=True)
    entries = models.PositiveIntegerField("registros", default=0)

    class Meta:
        verbose_name = "corte del padrón"
        verbose_name_plural = "cortes del padrón"
        ordering = ["-cut_date"]

    def __str__(self):
        return f"Corte {self.cut_date:%d/%m/%Y}"


class RollEntry(models.Model):
    """One citizen's record in a cut. Only INE DERFE users may see these (DESIGN.md).

    Its key is (clave de elector, cut): one entry per clave in a cut (the import rejects repeated
    claves), so the compulsa joins each support to at most one entry. No surrogate id: a national
    cut is 100 million rows, and a second index plus a sequence call per row would be most of
    the cost of loading it. The clave goes first so that the key's sort compares claves, not
    the single cut id every row of a load shares. On PostgreSQL the import drops and rebuilds
    this key around the load (faster than maintaining it). On SQLite the table is WITHOUT ROWID
    (roll migration 0008): the rows live in the key's b-tree, so a load writes each row once
    and a lookup of the compulsa descends one tree, not an index and then the table. Django
    cannot declare it and its rebuild of the table (a later AlterField) would drop it; a test
    in apoyo/tests/test_migrations.py catches that.
    """

    pk = models.CompositePrimaryKey("elector_key", "cut")
    # No database constraint: entries are written only by the import, in the transaction that
    # creates or renews their cut, and checking 100 million keys would add a scan of the roll.
    cut = models.ForeignKey(
        RollCut, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    elector_key = models.CharField("clave de elector", max_length=18)
    ocr = models.CharField("OCR", max_length=13, blank=True)
    cic = models.CharField("CIC", max_length=9, blank=True)
    name = models.CharField("nombre", max_length=120, blank=True)
    paternal_surname = models.CharField("apellido paterno", max_length=120, blank=True)
    maternal_surname = models.CharField("apellido materno", max_length=120, blank=True)
    birth_date = models.DateField("fecha de nacimiento", null=True, blank=True)
    sex = models.CharField("sexo", max_length=1, blank=True)
    state_number = models.PositiveSmallIntegerField("entidad")
    section_number = models.PositiveIntegerField("sección")
    situation = models.CharField(
        "situación", max_length=6, choices=[(s.value, s.label) for s in ROLL_SITUATIONS]
    )
    removal_cause = models.CharField(
        "causa de baja", max_length=20, choices=RemovalCause.choices, blank=True
    )

    class Meta:
        verbose_name = "registro del padrón"
        verbose_name_plural = "registros del padrón"

    def __str__(self):
        return self.elector_key


class StatSource(models.TextChoices):
    ROLL = "roll", "Calculada del padrón importado"
    PUBLISHED = "published", "Publicada por el INE"


class NominalListStat(models.Model):
    """Lista Nominal count of one section at a cut date: the denominators of every threshold."""

    cut_date = models.DateField("fecha de corte")
    state_number = models.PositiveSmallIntegerField("entidad")
    section_number = models.PositiveIntegerField("sección")
    nominal_list = models.PositiveIntegerField("Lista Nominal")
    source = models.CharField("origen", max_length=10, choices=StatSource.choices)

    class Meta:
        verbose_name = "Lista Nominal por sección"
        verbose_name_plural = "Lista Nominal por sección"
        constraints = [
            models.UniqueConstraint(
                fields=["cut_date", "state_number", "section_number"], name="ln_stat_unique_section"
            )
        ]

    def __str__(self):
        return f"{self.cut_date} {self.state_number}-{self.section_number}: {self.nominal_list}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En espera"
    RUNNING = "running", "Procesando"
    DONE = "done", "Terminada"
    FAILED = "failed", "Falló"


class RollImport(JobProgress):
    """A roll file uploaded from the web page and imported as a background job.

    The row is also the job's progress record: the worker updates it in short transactions of
    their own, outside the import's transaction, so the page polling it sees them (DESIGN.md).
    """

    cut_date = models.DateField("fecha de corte")
    file = models.FileField("archivo", upload_to="padron/%Y/%m/", blank=True)
    original_name = models.CharField("nombre del archivo", max_length=255)
    size = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cargó",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("fecha de carga", default=timezone.now)
    status = models.CharField(
        "estado", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    imported = models.PositiveIntegerField("importadas", default=0)
    issues_total = models.PositiveIntegerField("incidencias", default=0)
    ln_sections = models.PositiveIntegerField("secciones con Lista Nominal", default=0)

    class Meta:
        verbose_name = "importación del padrón"
        verbose_name_plural = "importaciones del padrón"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"Importación {self.pk} · {self.original_name}"

    @property
    def is_finished(self):
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self):
        """Reading and validating (and, on PostgreSQL, storing as it reads) is most of the bar;
        the rest (storing on SQLite, building the key) takes the last 30%."""
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(70, 70 * self.rows_read // self.rows_total)


class RollImportIssue(models.Model):
    """A rejected row of a roll import: row number, column, Spanish reason and original values.

    Only the first issues of a file are stored (services.MAX_ISSUES); the job counts them all.
    """

    job = models.ForeignKey(RollImport, on_delete=models.CASCADE, related_name="issues")
    row_number = models.PositiveIntegerField("fila")
    column = models.CharField("columna", max_length=40, blank=True)
    reason = models.CharField("motivo", max_length=500)
    values = models.JSONField("valores originales", default=dict)

    class Meta:
        verbose_name = "fila rechazada del padrón"
        verbose_name_plural = "filas rechazadas del padrón"
        ordering = ["job", "row_number", "id"]
        indexes = [models.Index(fields=["job", "row_number"], name="roll_issue_order")]

    def __str__(self):
        return f"Fila {self.row_number}: {self.reason}"

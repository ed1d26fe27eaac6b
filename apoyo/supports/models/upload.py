"""Cargas masivas and the issues of their rows (the uploads app works them; the tables stay
here, where they were created)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.core.jobs import JobProgress
from apoyo.supports.models.support import Channel


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "En espera"
    RUNNING = "running", "Procesando"
    DONE = "done", "Terminada"
    FAILED = "failed", "Falló"
    REVERTED = "reverted", "Revertida"


class Upload(JobProgress):
    """A carga masiva: one file of cédula rows for one aspirant, processed as a background job.

    The row is also the job's progress record: the worker updates its counters in short
    transactions of their own so that the page polling it sees them live.
    """

    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        verbose_name="aspirante",
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cargó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("fecha de carga", default=timezone.now)
    file = models.FileField("archivo", upload_to="uploads/%Y/%m/")
    original_name = models.CharField("nombre del archivo", max_length=255)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    dry_run = models.BooleanField("solo validar", default=False)
    channel = models.CharField(
        "canal",
        max_length=10,
        choices=Channel.choices,
        default=Channel.BULK,
        help_text="Carga masiva del OPL, o pre-captura del aspirante (entra a la mesa de control).",
    )
    status = models.CharField(
        "estado", max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    stored = models.PositiveIntegerField("guardadas", default=0)
    skipped = models.PositiveIntegerField("omitidas (ya registradas)", default=0)
    # A failed upload is retried only when running it again can succeed (the job crashed or the
    # database refused the write), never when the file itself was refused for its content.
    retryable = models.BooleanField("se puede reintentar", default=False)
    reverted_at = models.DateTimeField("revertida", null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revert_reason = models.CharField("motivo de la reversión", max_length=200, blank=True)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "carga masiva"
        verbose_name_plural = "cargas masivas"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"Carga {self.pk} · {self.original_name}"

    @property
    def is_finished(self):
        return self.status in {UploadStatus.DONE, UploadStatus.FAILED, UploadStatus.REVERTED}

    @property
    def percent(self):
        """Progress for the bar: validation is most of the work; storing takes the last 10%."""
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(90, 90 * self.rows_read // self.rows_total)

    @property
    def can_retry(self):
        return self.status == UploadStatus.FAILED and self.retryable

    @property
    def can_revert(self):
        return self.status == UploadStatus.DONE and not self.dry_run and self.stored > 0


class IssueKind(models.TextChoices):
    REJECTED = "rejected", "Rechazada"
    SKIPPED = "skipped", "Omitida"


class UploadIssue(models.Model):
    """A row of an upload that was not stored: rejected (with column and reason) or skipped."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    row_number = models.PositiveIntegerField("fila")
    column = models.CharField("columna", max_length=40, blank=True)
    reason = models.CharField("motivo", max_length=500)
    values = models.JSONField("valores originales", default=dict)

    class Meta:
        ordering = ["upload", "row_number", "id"]
        indexes = [models.Index(fields=["upload", "kind", "row_number"], name="upload_issue_order")]

    def __str__(self):
        return f"Fila {self.row_number}: {self.reason}"

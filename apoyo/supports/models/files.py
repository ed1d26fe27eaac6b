"""Scans of paper cédulas and the capture app's photos, kept privately."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.supports.models.support import Cedula, Support


def scan_path(instance, filename):
    """A private path under the data folder, named by a random id (never the citizen's or the
    original file name); only a permission-checked view serves it."""
    extension = {"jpeg": "jpg"}.get(instance.kind, instance.kind)
    return f"scans/{instance.cedula.aspirant_id}/{uuid.uuid4().hex}.{extension}"


class ScanKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"


class CedulaScan(models.Model):
    """A scan (PDF or picture) of a paper cédula, checked by its content and kept privately."""

    cedula = models.ForeignKey(
        Cedula, verbose_name="cédula", on_delete=models.PROTECT, related_name="scans"
    )
    file = models.FileField("archivo", upload_to=scan_path, max_length=200)
    original_name = models.CharField("nombre del archivo", max_length=255)
    kind = models.CharField("tipo", max_length=10, choices=ScanKind.choices)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cargó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("fecha de carga", default=timezone.now)

    objects = scoped_manager(
        state_path="cedula__aspirant__office__process__state", aspirant_path="cedula__aspirant"
    )

    class Meta:
        verbose_name = "escaneo de cédula"
        verbose_name_plural = "escaneos de cédulas"
        ordering = ["cedula", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.cedula} · {self.original_name}"

    @property
    def is_pdf(self):
        return self.kind == ScanKind.PDF


def scan_page_path(instance, filename):
    """Beside the scans, under a random name too: a page holds the same personal data."""
    return f"scans/{instance.scan.cedula.aspirant_id}/pages/{uuid.uuid4().hex}.jpg"


class CedulaScanPage(models.Model):
    """One page of a PDF scan drawn as a JPEG when the scan was stored (supports.scans), so the
    mesa de control zooms, rotates and pages through every scan alike, with or without a PDF
    viewer in the browser. Kept privately like the scan; only a permission-checked view serves
    it. Pictures (JPEG, PNG, WebP) are their own single page and have no rows here."""

    scan = models.ForeignKey(
        CedulaScan, verbose_name="escaneo", on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField("página")
    file = models.FileField("imagen", upload_to=scan_page_path, max_length=200)
    width = models.PositiveIntegerField("ancho (px)")
    height = models.PositiveIntegerField("alto (px)")
    size = models.PositiveBigIntegerField("tamaño (bytes)")

    objects = scoped_manager(
        state_path="scan__cedula__aspirant__office__process__state",
        aspirant_path="scan__cedula__aspirant",
    )

    class Meta:
        verbose_name = "página de un escaneo"
        verbose_name_plural = "páginas de escaneos"
        ordering = ["scan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "number"], name="scan_page_unique_number")
        ]

    def __str__(self):
        return f"{self.scan} · página {self.number}"


@receiver(post_delete, sender=CedulaScanPage)
def delete_page_file(sender, instance, **kwargs):
    """A page goes with its scan (an aspirant removing a scan uploaded by mistake): its image
    holds personal data, so the file goes too, once the deletion is committed."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class ImageKind(models.TextChoices):
    """The four pictures the capture app takes of each support, in review order."""

    FRONT = "front", "Credencial (frente)"
    BACK = "back", "Credencial (reverso)"
    SELFIE = "selfie", "Fotografía en vivo"
    SIGNATURE = "signature", "Firma"


def app_image_path(instance, filename):
    """A private path named by a random id, never the citizen's or the phone's file name."""
    extension = {"jpeg": "jpg"}.get(instance.content_kind, instance.content_kind)
    return f"app/{instance.support.aspirant_id}/{uuid.uuid4().hex}.{extension}"


class SupportImage(models.Model):
    """A picture of a support taken by the capture app, checked by its content and kept
    privately; only a permission-checked view serves it."""

    support = models.ForeignKey(
        Support, verbose_name="apoyo", on_delete=models.PROTECT, related_name="images"
    )
    kind = models.CharField("imagen", max_length=10, choices=ImageKind.choices)
    file = models.FileField("archivo", upload_to=app_image_path, max_length=200)
    content_kind = models.CharField(
        "tipo de archivo",
        max_length=10,
        choices=[(k, label) for k, label in ScanKind.choices if k != ScanKind.PDF],
    )
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField("recibida", default=timezone.now)

    objects = scoped_manager(
        state_path="support__aspirant__office__process__state", aspirant_path="support__aspirant"
    )

    class Meta:
        verbose_name = "imagen de un apoyo"
        verbose_name_plural = "imágenes de apoyos"
        ordering = ["support", "id"]
        constraints = [
            models.UniqueConstraint(fields=["support", "kind"], name="support_image_one_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · apoyo {self.support_id}"

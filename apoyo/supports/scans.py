"""Scans of paper cédulas, and what a revisor looks at beside a support (its scans or the capture
app's photos)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from apoyo.core.filetypes import SCANS, check_upload, sha256_of
from apoyo.supports.models import CedulaScan, Channel, ImageKind


def max_scan_bytes():
    return settings.APOYO_SCAN_MAX_BYTES


def add_scan(user, cedula, uploaded):
    """Check an uploaded scan by its content (PDF, JPEG, PNG or WebP, at most APOYO_SCAN_MAX_BYTES)
    and keep it privately with its size and SHA-256. A renamed file is judged by its bytes.

    Raises ValidationError with a Spanish message when the file is refused, or when the same file
    is already a scan of the cédula.
    """
    kind = check_upload(uploaded, SCANS, max_scan_bytes())
    sha256 = sha256_of(uploaded)
    if CedulaScan.objects.filter(cedula=cedula, sha256=sha256).exists():
        raise ValidationError(
            f"El archivo «{uploaded.name}» ya está cargado en la cédula {cedula.reference}."
        )
    scan = CedulaScan(
        cedula=cedula,
        original_name=uploaded.name[:255],
        kind=kind,
        size=uploaded.size,
        sha256=sha256,
        uploaded_by=user,
    )
    scan.file.save(uploaded.name, uploaded, save=False)
    try:
        scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    return scan


@dataclass(frozen=True)
class ReviewImage:
    """One picture or document the revisor looks at beside a support."""

    label: str
    url: str
    is_pdf: bool


def support_images(support):
    """Everything to look at for a support: the capture app's four photos (credencial front and
    back, live photo, signature, in that order), or the scans of its paper cédula."""
    if support.channel == Channel.APP:
        order = {kind: index for index, kind in enumerate(ImageKind.values)}
        images = sorted(support.images.all(), key=lambda image: order[image.kind])
        return [
            ReviewImage(
                label=image.get_kind_display(),
                url=reverse("capture_app:image", args=[image.pk]),
                is_pdf=False,
            )
            for image in images
        ]
    if not support.cedula_id:
        return []
    return [
        ReviewImage(
            label=f"Cédula {support.cedula.reference} · {scan.original_name}",
            url=reverse("supports:scan", args=[scan.pk]),
            is_pdf=scan.is_pdf,
        )
        for scan in support.cedula.scans.order_by("uploaded_at", "id")
    ]

"""Scans of paper cédulas, and what a revisor looks at beside a support (its scans or the capture
app's photos).

A PDF scan is drawn page by page as JPEG images when it is stored (CedulaScanPage), so that the
mesa de control zooms, rotates and pages through every scan the same way, whether or not the
browser can show a PDF; the original stays downloadable. The work is bounded: at most
APOYO_SCAN_MAX_PAGES pages (20) at APOYO_SCAN_PAGE_DPI (150), no side over MAX_PAGE_SIDE pixels,
on top of the scan's size limit; a PDF that cannot be drawn is refused at upload. Scans stored
before the pages existed are drawn by `manage.py render_scan_pages`.
"""

import io
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from apoyo.core.filetypes import SCANS, check_upload, sha256_of
from apoyo.supports.models import CedulaScan, CedulaScanPage, Channel, ImageKind, ScanKind

# A page's longest side in pixels, whatever size the PDF gives it (a poster-sized page at 150 dpi
# would be tens of thousands of pixels); a letter or legal page at 150 dpi is well under it.
MAX_PAGE_SIDE = 2400
JPEG_QUALITY = 85
# PDFium is not thread-safe: one process draws one PDF at a time.
_PDFIUM = threading.Lock()


def max_scan_bytes():
    return settings.APOYO_SCAN_MAX_BYTES


def max_scan_pages():
    return settings.APOYO_SCAN_MAX_PAGES


def page_dpi():
    return settings.APOYO_SCAN_PAGE_DPI


def add_scan(user, cedula, uploaded):
    """Check an uploaded scan by its content (PDF, JPEG, PNG or WebP, at most APOYO_SCAN_MAX_BYTES)
    and keep it privately with its size and SHA-256, and a PDF's pages drawn as images. A renamed
    file is judged by its bytes.

    Raises ValidationError with a Spanish message when the file is refused (a PDF that cannot be
    drawn or has too many pages included), or when the same file is already a scan of the cédula.
    """
    kind = check_upload(uploaded, SCANS, max_scan_bytes())
    sha256 = sha256_of(uploaded)
    if CedulaScan.objects.filter(cedula=cedula, sha256=sha256).exists():
        raise ValidationError(
            f"El archivo «{uploaded.name}» ya está cargado en la cédula {cedula.reference}."
        )
    pages = []
    if kind == ScanKind.PDF:
        pages = render_pdf(uploaded.read(), uploaded.name)
        uploaded.seek(0)
    scan = CedulaScan(
        cedula=cedula,
        original_name=uploaded.name[:255],
        kind=kind,
        size=uploaded.size,
        sha256=sha256,
        uploaded_by=user,
    )
    scan.file.save(uploaded.name, uploaded, save=False)
    written = [scan.file.name]
    try:
        with transaction.atomic():
            scan.save()
            store_pages(scan, pages, written)
    except Exception:
        for name in written:
            scan.file.storage.delete(name)
        raise
    return scan


# PDF pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedPage:
    number: int
    data: bytes
    width: int
    height: int


def unreadable(name):
    return ValidationError(
        f"El PDF «{name}» no se puede abrir (está dañado o protegido con contraseña): "
        "guárdelo de nuevo sin contraseña, o escanee la cédula como imagen (JPG o PNG)."
    )


def render_pdf(data, name):
    """Every page of a PDF as a JPEG; a Spanish ValidationError when the PDF cannot be read, is
    locked with a password, has no pages or more than max_scan_pages()."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise unreadable(name) from error
        try:
            count = len(document)
            if count == 0:
                raise unreadable(name)
            if count > max_scan_pages():
                raise ValidationError(
                    f"El PDF «{name}» tiene {count} páginas; el máximo es {max_scan_pages()}: "
                    "cárguelo en varios archivos."
                )
            return [render_page(document, index, name) for index in range(count)]
        except (pdfium.PdfiumError, ValueError) as error:
            raise unreadable(name) from error
        finally:
            document.close()


def render_page(document, index, name):
    page = document[index]
    try:
        width, height = page.get_size()
        if min(width, height) <= 0:
            raise unreadable(name)
        longest = min(round(max(width, height) * page_dpi() / 72), MAX_PAGE_SIDE)
        # pypdfium2 rounds each side up: aim a hair under the whole pixel so that 11 in at 150 dpi
        # is 1650 pixels, not 1651.
        scale = (longest - 1e-6) / max(width, height)
        bitmap = page.render(scale=scale)
        try:
            image = bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()
    output = io.BytesIO()
    image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return RenderedPage(index + 1, output.getvalue(), image.width, image.height)


def store_pages(scan, pages, written):
    """Keep the drawn pages of `scan`; `written` collects the files saved, to undo on failure."""
    for rendered in pages:
        page = CedulaScanPage(
            scan=scan,
            number=rendered.number,
            width=rendered.width,
            height=rendered.height,
            size=len(rendered.data),
        )
        page.file.save(f"pagina-{rendered.number}.jpg", ContentFile(rendered.data), save=False)
        written.append(page.file.name)
        page.save()


def render_stored_scan(scan):
    """Draw the pages of a PDF scan stored before pages existed (render_scan_pages). Returns how
    many pages were stored; raises ValidationError when the PDF cannot be drawn."""
    with scan.file.open("rb") as handle:
        pages = render_pdf(handle.read(), scan.original_name)
    written = []
    try:
        with transaction.atomic():
            CedulaScan.objects.select_for_update().get(pk=scan.pk)
            if scan.pages.exists():
                return 0
            store_pages(scan, pages, written)
    except Exception:
        for name in written:
            scan.file.storage.delete(name)
        raise
    return len(pages)


def scans_without_pages():
    """The stored PDF scans whose pages were never drawn."""
    return CedulaScan.objects.filter(kind=ScanKind.PDF, pages__isnull=True).order_by("id")


# What the mesa de control shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewImage:
    """One picture or document the revisor looks at beside a support: its pages as images (one
    for a picture), and the file as it was uploaded. A PDF whose pages were not drawn yet has no
    pages: the page embeds the PDF itself."""

    label: str
    url: str
    is_pdf: bool
    pages: tuple = ()

    @property
    def page_list(self):
        """The pages' URLs as one attribute value for review.js (URLs hold no spaces)."""
        return " ".join(self.pages)


def support_images(support):
    """Everything to look at for a support: the capture app's four photos (credencial front and
    back, live photo, signature, in that order), or the scans of its paper cédula."""
    if support.channel == Channel.APP:
        order = {kind: index for index, kind in enumerate(ImageKind.values)}
        images = sorted(support.images.all(), key=lambda image: order[image.kind])
        return [
            picture(image.get_kind_display(), reverse("capture_app:image", args=[image.pk]))
            for image in images
        ]
    if not support.cedula_id:
        return []
    scans = support.cedula.scans.prefetch_related("pages").order_by("uploaded_at", "id")
    return [scan_image(support.cedula, scan) for scan in scans]


def picture(label, url):
    return ReviewImage(label=label, url=url, is_pdf=False, pages=(url,))


def scan_image(cedula, scan):
    label = f"Cédula {cedula.reference} · {scan.original_name}"
    url = reverse("supports:scan", args=[scan.pk])
    if not scan.is_pdf:
        return picture(label, url)
    pages = tuple(
        reverse("supports:scan_page", args=[scan.pk, page.number]) for page in scan.pages.all()
    )
    return ReviewImage(label=label, url=url, is_pdf=True, pages=pages)

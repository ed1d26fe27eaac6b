"""Type checks of uploaded documents by their content, never by the name or the browser's word.

Used by the cédula scans and hearing evidence (supports, verification), SIVOPLE attachments
(liaison) and the capture app's photos (API). A renamed file is judged by what it holds.
"""

import hashlib
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Human names of each kind, for messages.
KIND_NAMES = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "odf": "OpenDocument",
    "ole": "Office 97-2003 (.doc, .xls, .ppt)",
}
IMAGES = frozenset({"jpeg", "png", "webp"})
SCANS = IMAGES | {"pdf"}
DOCUMENTS = SCANS | {"docx", "xlsx", "pptx", "odf", "ole"}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odf": "application/vnd.oasis.opendocument",
    "ole": "application/octet-stream",
}

_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def detect(file) -> str | None:
    """The kind of a file-like object from its leading bytes (and, for zips, its parts)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    return None


def _zip_kind(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names and _head_of(archive, "mimetype").startswith(
                b"application/vnd.oasis.opendocument"
            ):
                return "odf"
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in _OOXML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError):
        # Damaged, encrypted or compressed with a method zipfile lacks: not a document we read.
        return None
    finally:
        file.seek(0)


def _head_of(archive, name):
    """The first bytes of a part, never the whole of it: a small upload may unpack to gigabytes."""
    with archive.open(name) as part:
        return part.read(64)


def sha256_of(file) -> str:
    """The hex SHA-256 of a file-like object, read in 1 MB blocks; it is left rewound."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def check_upload(uploaded, allowed, max_bytes) -> str:
    """Return the kind of an uploaded file, or raise a Spanish ValidationError.

    `allowed` is a set of kinds (IMAGES, SCANS, DOCUMENTS); `max_bytes` bounds its size.
    """
    if uploaded.size == 0:
        raise ValidationError(f"El archivo «{uploaded.name}» está vacío.")
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"El archivo «{uploaded.name}» pesa {filesizeformat(uploaded.size)}; "
            f"el máximo es {filesizeformat(max_bytes)}."
        )
    kind = detect(uploaded)
    if kind in allowed:
        return kind
    accepted = ", ".join(sorted(KIND_NAMES[k] for k in allowed))
    found = f"es {KIND_NAMES[kind]}" if kind else "no es de un tipo reconocido"
    raise ValidationError(
        f"El archivo «{uploaded.name}» {found} por su contenido; se aceptan: {accepted}."
    )

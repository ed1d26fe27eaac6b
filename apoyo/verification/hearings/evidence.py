"""The evidence an aspirant attaches to a hearing request (DOMAIN.md step 6: "arguments or
evidence"). Each file is judged by its bytes, not its name (apoyo.core.filetypes), bounded in size
and count, and stored under a name of ours; it is served only through a permission-checked view."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File

from apoyo.core.filetypes import DOCUMENTS, KIND_NAMES, check_upload, sha256_of
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.models import HearingEvidence

MAX_EVIDENCE_FILES = 10
# A stored file takes the extension of what its content is, so a renamed file is served as what
# it really is.
EVIDENCE_EXTENSIONS = {
    "pdf": "pdf",
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odf": "odt",
    "ole": "doc",
}


def max_evidence_bytes():
    return settings.APOYO_EVIDENCE_MAX_BYTES


@dataclass
class EvidenceFile:
    """An uploaded file that passed the content check, ready to store."""

    uploaded: object
    kind: str
    size: int


def check_evidence(files):
    """Judge every evidence file by its content (PDF, images and office documents; a renamed file
    is judged by its bytes) and size; raise HearingError listing each refused file."""
    files = list(files or [])
    if len(files) > MAX_EVIDENCE_FILES:
        raise HearingError(f"Adjunte como máximo {MAX_EVIDENCE_FILES} archivos por solicitud.")
    checked, errors = [], []
    for uploaded in files:
        try:
            kind = check_upload(uploaded, DOCUMENTS, max_evidence_bytes())
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        checked.append(EvidenceFile(uploaded=uploaded, kind=kind, size=uploaded.size))
    if errors:
        raise HearingError("Algunos archivos no se aceptaron.", errors)
    return checked


def store_evidence(hearing_request, number, item):
    """Save the file through Django's storage under a name of ours: the uploaded name is the
    aspirant's text and never reaches the file system."""
    uploaded = item.uploaded
    evidence = HearingEvidence(
        request=hearing_request,
        original_name=(uploaded.name or "archivo")[:255],
        kind=item.kind,
        size=item.size,
        sha256=sha256_of(uploaded),
    )
    name = f"solicitud-{hearing_request.pk}-{number}.{EVIDENCE_EXTENSIONS[item.kind]}"
    evidence.file.save(name, File(uploaded), save=False)
    evidence.save()
    return evidence


def evidence_label(evidence):
    return KIND_NAMES.get(evidence.kind, evidence.kind)

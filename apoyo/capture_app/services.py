"""The capture app's channel: one support with its four photos, sent by an auxiliary.

`capture_from_app` is what the API's POST /api/v1/supports/ runs. It applies the same row
validator as every other channel (rules.validate_support_row), plus what only the app has: the
client's uuid (a retried send never stores a support twice, and the same uuid with other data is
a conflict: see capture_app.resend), the capture time (inside the office's
collection period and sent within APOYO_APP_GRACE_HOURS), the CIC as an alternative to the OCR,
and the photos (checked by their content, kept through Django's storage under private names).
Errors name the API's fields, with Spanish messages.
"""

import datetime
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apoyo.capture_app import resend
from apoyo.core.filetypes import IMAGES, check_upload, sha256_of
from apoyo.core.identity import elector_key_warnings
from apoyo.supports.models import Channel, ImageKind, Status, Support, SupportImage, initial_status
from apoyo.supports.rules import RowError, SupportRow, validate_cic, validate_support_row
from apoyo.supports.states import with_state

# The validator's columns, as the API names its fields.
FIELD_BY_COLUMN = {
    "NOMBRE": "name",
    "APELLIDO_PATERNO": "paternal_surname",
    "APELLIDO_MATERNO": "maternal_surname",
    "CLAVE_ELECTOR": "elector_key",
    "OCR": "ocr",
    "CIC": "cic",
    "FECHA_APOYO": "captured_at",
}
TEXT_FIELDS = (
    "uuid",
    "captured_at",
    "elector_key",
    "ocr",
    "cic",
    "name",
    "paternal_surname",
    "maternal_surname",
)
IMAGE_FIELDS = tuple(ImageKind.values)
# The app has no paper cédula; the shared validator wants a folio, and "-" is the one a support
# without cédula already gets (services.support_values).
NO_REFERENCE = "-"
# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = datetime.timedelta(minutes=15)
MAX_UUIDS = 500

DISABLED = "La cuenta de auxiliar está desactivada."
UUID_TAKEN = (
    "Este identificador (uuid) ya lo usó otra captura: la aplicación debe generar uno nuevo."
)


@dataclass(frozen=True)
class FieldError:
    """A refused field of the API (empty: the request as a whole) and its Spanish reason."""

    field: str
    message: str


@dataclass
class AppCaptureResult:
    """A stored support (`created` False when the uuid was already stored by the same
    auxiliary, with the same capture), or the errors that refused it. `conflict` is the Spanish
    detail of a uuid already stored with other data (the API's 409); its errors say what
    differs."""

    support: Support | None = None
    created: bool = False
    errors: list[FieldError] = field(default_factory=list)
    conflict: str = ""


def capture_from_app(auxiliary, data, files, received_at=None):
    """Store one support sent by the capture app; returns an AppCaptureResult.

    `data` maps the API's text fields (uuid, captured_at, elector_key, ocr or cic, name,
    paternal_surname, maternal_surname) to strings; `files` maps front, back, selfie and
    signature to uploaded files. A uuid this auxiliary already sent returns the stored support
    unchanged (no second row, no second files) when the retry is the same capture, and a
    conflict when its data differ (resend.differences); a uuid of another auxiliary is refused.
    The support enters with channel app, pending review, its support date
    being the capture date in the project's time zone.
    """
    if not auxiliary.active or not auxiliary.user.is_active:
        return AppCaptureResult(errors=[FieldError("", DISABLED)])
    text = {name: as_text(data.get(name)) for name in TEXT_FIELDS}
    client_uuid, error = parse_uuid(text["uuid"])
    if error:
        return AppCaptureResult(errors=[error])
    checked, errors = check_capture(auxiliary, text, files, received_at or timezone.now())
    if errors:
        # A retry of a stored capture may fail today (sent after the grace period, photos
        # lost): the stored support is still its answer.
        stored = stored_support(client_uuid)
        if stored is None:
            return AppCaptureResult(errors=errors)
        return replay(stored, auxiliary, resend.received_from_text(text, files))
    # A retry that passes the checks again stops at the unique uuid, and store answers it with
    # the stored support: a new capture, the usual case, costs no lookup.
    return store(auxiliary, client_uuid, checked)


@dataclass(frozen=True)
class CheckedCapture:
    """A capture that passed every check, normalized."""

    captured_at: datetime.datetime
    row: SupportRow
    cic: str
    images: list


def check_capture(auxiliary, text, files, received_at):
    """Every check of a capture; returns (CheckedCapture, []) or (None, [FieldError])."""
    errors = [
        FieldError(name, "Contiene caracteres no válidos.")
        for name, value in text.items()
        if "\x00" in value
    ]
    if errors:
        return None, errors
    office = auxiliary.aspirant.office
    captured_at, error = parse_captured_at(text["captured_at"], office, received_at)
    if error:
        errors.append(error)
    row, row_errors = validate_row(text, office, captured_at)
    errors += row_errors
    cic, cic_errors = identity_number(text)
    errors += cic_errors
    images, image_errors = checked_images(files)
    errors += image_errors
    if errors:
        return None, errors
    return CheckedCapture(captured_at, row, cic, images), []


def oversized_request(content_length):
    """A FieldError when a capture's request is larger than four photos of the largest size and
    room for the text fields, so that it is refused before its body is read; else None."""
    limit = len(IMAGE_FIELDS) * settings.APOYO_APP_IMAGE_MAX_BYTES + 1024 * 1024
    try:
        size = int(content_length or 0)
    except ValueError:
        return None
    if size <= limit:
        return None
    return FieldError(
        "",
        f"La captura pesa {filesizeformat(size)}; el máximo es {filesizeformat(limit)} "
        "(cuatro imágenes y sus datos).",
    )


def as_text(value):
    """A form value as text; anything else (a file sent under a text field's name) is empty."""
    return value if isinstance(value, str) else ""


def parse_uuid(text):
    """The client's uuid, or (None, FieldError)."""
    if not text.strip():
        return None, FieldError("uuid", "El identificador de la captura (uuid) es obligatorio.")
    try:
        return uuid.UUID(text.strip()), None
    except ValueError:
        return None, FieldError("uuid", f"El identificador «{text[:40]}» no es un UUID válido.")


def parse_uuid_list(values):
    """UUIDs of a `?uuid=a,b,c` filter (the parameter may also repeat); (uuids, FieldError)."""
    found = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                parsed, error = parse_uuid(part)
                if error:
                    return None, error
                found.append(parsed)
    if len(found) > MAX_UUIDS:
        return None, FieldError("uuid", f"Consulte a lo más {MAX_UUIDS} identificadores a la vez.")
    return found, None


def parse_captured_at(text, office, received_at):
    """The capture time, or (None, FieldError): an ISO-8601 date and time with its offset, whose
    date in the project's time zone lies in the office's collection period, not in the future,
    and received within APOYO_APP_GRACE_HOURS of it."""
    if not text.strip():
        return None, FieldError("captured_at", "La fecha y hora de captura es obligatoria.")
    try:
        value = parse_datetime(text.strip())
        local = timezone.localtime(value) if value and timezone.is_aware(value) else None
    except (ValueError, OverflowError):
        value = local = None
    if value is None:
        return None, FieldError(
            "captured_at",
            f"La fecha y hora de captura «{text[:40]}» no es válida: use ISO 8601, "
            "p. ej. 2020-12-20T10:30:00-07:00.",
        )
    if local is None:
        return None, FieldError(
            "captured_at",
            "La fecha y hora de captura debe incluir la zona horaria, p. ej. "
            "2020-12-20T10:30:00-07:00.",
        )
    start, end = office.collection_start, office.collection_end
    if not start <= local.date() <= end:
        return None, FieldError(
            "captured_at",
            f"La captura es del {local:%d/%m/%Y}, fuera del periodo de obtención de apoyo del "
            f"cargo ({start:%d/%m/%Y} al {end:%d/%m/%Y}).",
        )
    if value > received_at + CLOCK_TOLERANCE:
        return None, FieldError(
            "captured_at",
            f"La hora de captura ({local:%d/%m/%Y %H:%M}) es posterior a la de recepción: "
            "revise la fecha y hora del teléfono.",
        )
    grace = settings.APOYO_APP_GRACE_HOURS
    if received_at > value + datetime.timedelta(hours=grace):
        return None, FieldError(
            "captured_at",
            f"La captura del {local:%d/%m/%Y %H:%M} se recibió después del plazo de {grace} horas "
            "para enviarla.",
        )
    return value, None


def validate_row(text, office, captured_at):
    """The shared validator on the app's fields; (SupportRow or None, [FieldError])."""
    raw = {
        "NUMERO_REFERENCIA": NO_REFERENCE,
        "NOMBRE": text["name"],
        "APELLIDO_PATERNO": text["paternal_surname"],
        "APELLIDO_MATERNO": text["maternal_surname"],
        "CLAVE_ELECTOR": text["elector_key"],
        "OCR": text["ocr"],
        "TIPO_INCONSISTENCIA": "",
        "COMENTARIO": "",
        "FECHA_APOYO": timezone.localdate(captured_at) if captured_at else "",
    }
    row, errors = validate_support_row(
        raw,
        inconsistency_codes=(),
        period=(office.collection_start, office.collection_end),
        default_date=office.collection_start,
        ocr_required=False,
    )
    return row, [api_error(error) for error in errors]


def api_error(error: RowError):
    return FieldError(FIELD_BY_COLUMN.get(error.column, ""), error.message)


def identity_number(text):
    """Exactly one of OCR (checked by the row validator) and CIC; returns (cic, [FieldError])."""
    has_ocr, has_cic = bool(text["ocr"].strip()), bool(text["cic"].strip())
    if has_ocr and has_cic:
        return "", [FieldError("cic", "Capture solo uno de los dos: el OCR o el CIC.")]
    if not has_ocr and not has_cic:
        return "", [
            FieldError("ocr", "Capture el OCR (13 dígitos) o el CIC (9 dígitos) de la credencial.")
        ]
    if not has_cic:
        return "", []
    cic = validate_cic(text["cic"])
    if isinstance(cic, RowError):
        return "", [api_error(cic)]
    return cic, []


def checked_images(files):
    """The photos, each checked by its content (JPEG, PNG or WebP) and size; [(kind, file,
    content_kind)] and errors. All four are required unless APOYO_APP_REQUIRE_IMAGES is off."""
    images, errors = [], []
    for kind in ImageKind:
        uploaded = files.get(kind.value)
        if uploaded is None:
            if settings.APOYO_APP_REQUIRE_IMAGES:
                errors.append(FieldError(kind.value, f"Falta la imagen «{kind.label}»."))
            continue
        try:
            content_kind = check_upload(uploaded, IMAGES, settings.APOYO_APP_IMAGE_MAX_BYTES)
        except ValidationError as refused:
            errors.append(FieldError(kind.value, f"{kind.label}: {refused.messages[0]}"))
            continue
        images.append((kind, uploaded, content_kind))
    return images, errors


def store(auxiliary, client_uuid, checked):
    """Insert the support and its photos in one transaction. When the uuid is already stored (a
    retry, or another request that got there first), that support is the answer if this is the
    same capture, a conflict if not, and the uuid is refused when another auxiliary used it; no
    file is left behind.

    Like the carga masiva, and for the same reason (volume: the app is the channel of the
    millions), no "captured" history line is written: the support itself says who captured it
    and when (captured_by, captured_at), and each photo when it was received."""
    user = auxiliary.user
    row = checked.row
    written = []
    # The support and its photos go together; a support alone is one INSERT, atomic by itself.
    together = transaction.atomic() if checked.images else nullcontext()
    try:
        with together:
            support = Support.objects.create(
                aspirant_id=auxiliary.aspirant_id,
                channel=Channel.APP,
                name=row.name,
                paternal_surname=row.paternal_surname,
                maternal_surname=row.maternal_surname,
                elector_key=row.elector_key,
                ocr=row.ocr,
                cic=checked.cic,
                client_uuid=client_uuid,
                support_date=row.support_date,
                captured_at=checked.captured_at,
                captured_by=user,
                status=initial_status(Channel.APP),
                warnings="\n".join(capture_warnings(row)),
            )
            for kind, uploaded, content_kind in checked.images:
                written.append(store_image(support, kind, uploaded, content_kind))
    except IntegrityError:
        delete_files(written)
        stored = stored_support(client_uuid)
        if stored is None:
            raise
        return replay(stored, auxiliary, resend.received_from_checked(checked))
    except BaseException:
        delete_files(written)
        raise
    return AppCaptureResult(support=support, created=True)


def capture_warnings(row):
    """What manual capture would warn about the clave (DOMAIN "Identity formats"), kept with the
    support for the mesa de control. Not the same clave twice: that would cost this channel, the
    one with the volume, a query per capture; the phone refuses its own repeats, and the compulsa
    keeps the first support of a clave whatever the channel."""
    return elector_key_warnings(
        row.elector_key, row.name, row.paternal_surname, row.maternal_surname
    )


def store_image(support, kind, uploaded, content_kind):
    sha256 = sha256_of(uploaded)
    image = SupportImage(
        support=support,
        kind=kind,
        content_kind=content_kind,
        size=uploaded.size,
        sha256=sha256,
    )
    image.file.save(f"{kind.value}.{content_kind}", uploaded, save=False)
    try:
        image.save()
    except BaseException:
        image.file.delete(save=False)
        raise
    return image


def delete_files(images):
    for image in images:
        image.file.delete(save=False)


def stored_support(client_uuid):
    return Support.objects.filter(client_uuid=client_uuid).order_by().first()


def replay(stored, auxiliary, received):
    """The answer to a uuid already stored: the same support for its own auxiliary when
    `received` is the same capture, a conflict naming what differs when not."""
    if stored.captured_by_id != auxiliary.user_id or stored.channel != Channel.APP:
        return AppCaptureResult(errors=[FieldError("uuid", UUID_TAKEN)])
    differences = resend.differences(stored, received)
    if not differences:
        return AppCaptureResult(support=stored, created=False)
    return AppCaptureResult(
        errors=[FieldError(name, message) for name, message in differences],
        conflict=resend.conflict_detail([name for name, _ in differences]),
    )


def own_supports(user):
    """The supports an auxiliary sent with the app, newest capture first, with their state."""
    return with_state(
        Support.objects.filter(captured_by=user, channel=Channel.APP)
        .select_related("inconsistency")
        .order_by("-captured_at", "-id")
    )


def review_outcome(support):
    """(motive, reason) of a support as the app shows it: the tipo de inconsistencia's code and
    its Spanish name with the revisor's comment when the mesa de control rejected it; the reason
    of a withdrawal; empty while pending or when accepted."""
    motive = reason = ""
    if support.status != Status.PENDING_REVIEW and support.inconsistency_id:
        motive = support.inconsistency.code
        reason = support.inconsistency.name
        if support.comment:
            reason = f"{reason}: {support.comment}"
    if support.status == Status.WITHDRAWN:
        reason = (
            f"Retirado: {support.withdrawal_reason}" if support.withdrawal_reason else "Retirado"
        )
    return motive, reason

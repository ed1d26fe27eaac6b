"""Whether a uuid sent again is the same capture as the support stored under it.

The phone resends a capture whenever it did not hear the answer, so the same uuid with the same
capture must answer with the stored support; the same uuid with other data is a different capture
(edited on the phone after the server stored it, or a client reusing uuids) and is refused with
409, never merged. "The same capture" is:

- the identity fields (elector_key, ocr, cic, name, paternal_surname, maternal_surname), compared
  after the normalization every channel applies, so "juan" and "JUAN" are the same name;
- captured_at, the same instant whatever its offset (10:30-07:00 is 17:30Z);
- each photo sent, by its SHA-256 against the stored one of its kind. A photo left out is not
  compared: a retry that lost its photos is still the same capture.

The values compared are the ones received: an OPL correction made since (kept in the support's
history) does not turn the phone's retry into a conflict.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apoyo.core.filetypes import sha256_of
from apoyo.core.identity import normalize_key, normalize_text
from apoyo.supports.models import ChangeAction, ImageKind, Support

NORMALIZERS = {
    "elector_key": normalize_key,
    "ocr": normalize_key,
    "cic": normalize_key,
    "name": normalize_text,
    "paternal_surname": normalize_text,
    "maternal_surname": normalize_text,
}
LABELS = {
    "elector_key": "clave de elector",
    "ocr": "OCR",
    "cic": "CIC",
    "name": "nombre",
    "paternal_surname": "apellido paterno",
    "maternal_surname": "apellido materno",
    "captured_at": "fecha y hora de captura",
} | {kind.value: kind.label[0].lower() + kind.label[1:] for kind in ImageKind}


def received_from_text(text, files):
    """What a request holds, to compare: its identity fields normalized, its capture time (None
    when it cannot be read as an instant) and its photos by kind."""
    received = {name: normalize(text.get(name, "")) for name, normalize in NORMALIZERS.items()}
    try:
        captured_at = parse_datetime(text.get("captured_at", "").strip())
    except (ValueError, OverflowError):
        captured_at = None
    if captured_at is not None and not timezone.is_aware(captured_at):
        captured_at = None
    photos = {kind.value: files.get(kind.value) for kind in ImageKind}
    return received | {"captured_at": captured_at, "photos": photos}


def received_from_checked(checked):
    """The same, from a capture that passed the checks (already normalized)."""
    row = checked.row
    return {
        "elector_key": row.elector_key,
        "ocr": row.ocr,
        "cic": checked.cic,
        "name": row.name,
        "paternal_surname": row.paternal_surname,
        "maternal_surname": row.maternal_surname,
        "captured_at": checked.captured_at,
        "photos": {kind.value: uploaded for kind, uploaded, _ in checked.images},
    }


def as_received(support):
    """A support's identity fields as the app sent them: the current values, with the value
    before the first correction of each corrected field (the history names fields by their
    verbose name)."""
    values = {name: getattr(support, name) for name in NORMALIZERS}
    by_label = {str(Support._meta.get_field(name).verbose_name): name for name in NORMALIZERS}
    corrections = support.changes.filter(action=ChangeAction.CORRECTED, field__in=by_label)
    seen = set()
    for change in corrections.order_by("at", "id"):
        name = by_label[change.field]
        if name not in seen:
            seen.add(name)
            values[name] = change.old_value
    return values


def differences(support, received):
    """[(field, Spanish message)] of every way `received` differs from the stored `support`;
    empty when it is the same capture."""
    found = []
    stored = as_received(support)
    for name in NORMALIZERS:
        if received[name] != stored[name]:
            shown = f"«{stored[name]}»" if stored[name] else "vacío"
            found.append((name, f"{capitalized(name)}: no coincide con lo ya recibido ({shown})."))
    if received["captured_at"] != support.captured_at:
        shown = f"{timezone.localtime(support.captured_at):%d/%m/%Y %H:%M:%S}"
        message = f"{capitalized('captured_at')}: no coincide con lo ya recibido ({shown})."
        found.append(("captured_at", message))
    sent = {kind: file for kind, file in received["photos"].items() if file is not None}
    if sent:
        hashes = dict(support.images.values_list("kind", "sha256"))
        for kind, uploaded in sent.items():
            if sha256_of(uploaded) != hashes.get(kind):
                message = f"{capitalized(kind)}: no coincide con la imagen ya recibida (SHA-256)."
                found.append((kind, message))
    return found


def conflict_detail(fields):
    labels = ", ".join(LABELS[name] for name in fields)
    return (
        f"Esta captura ya se había recibido con otros datos ({labels}) bajo el mismo "
        "identificador (uuid): no se guardó esta versión y el apoyo recibido antes no cambia."
    )


def capitalized(name):
    label = LABELS[name]
    return label[0].upper() + label[1:]

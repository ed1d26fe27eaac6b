"""Capture, correction and withdrawal of supports. Views, commands and the API call these."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apoyo.core.cells import cell_text, read_date
from apoyo.core.identity import elector_key_warnings, normalize_text
from apoyo.supports.models import (
    OPL_CHANNELS,
    Cedula,
    ChangeAction,
    Channel,
    Inconsistency,
    Status,
    Support,
    SupportChange,
    inconsistencies_for_state,
    initial_status,
    open_proposals,
)
from apoyo.supports.rules import RowError, validate_support_row

# The fields a correction may change, with the cédula column that validates each.
CORRECTABLE_FIELDS = {
    "name": "NOMBRE",
    "paternal_surname": "APELLIDO_PATERNO",
    "maternal_surname": "APELLIDO_MATERNO",
    "elector_key": "CLAVE_ELECTOR",
    "ocr": "OCR",
    "inconsistency": "TIPO_INCONSISTENCIA",
    "comment": "COMENTARIO",
    "support_date": "FECHA_APOYO",
}


# The tipo de inconsistencia is the OPL's finding in the mesa de control, never the aspirant's.
ASPIRANT_INCONSISTENCY_MESSAGE = (
    "En la pre-captura el tipo de inconsistencia va vacío: "
    "lo registra el OPL en la mesa de control."
)


@dataclass
class CaptureResult:
    support: Support | None = None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def catalogue_codes(state_id):
    return set(inconsistencies_for_state(state_id).values_list("code", flat=True))


def collection_period(office):
    return (office.collection_start, office.collection_end)


def open_cedula(user, aspirant, reference, date):
    """Find or register the cédula with this folio for the aspirant.

    Its date must fall inside the office's collection period (DOMAIN.md: the period bounds which
    supports are accepted). Returns (cedula, errors).
    """
    reference = normalize_text(reference)
    errors = []
    if not reference:
        errors.append(
            RowError("NUMERO_REFERENCIA", "Indique el número de referencia de la cédula.")
        )
    office = aspirant.office
    if date is None:
        errors.append(RowError("FECHA_APOYO", "Indique la fecha de la cédula."))
    elif not office.in_collection_period(date):
        errors.append(RowError("FECHA_APOYO", period_message(office)))
    if errors:
        return None, errors
    cedula, _ = Cedula.objects.get_or_create(
        aspirant=aspirant, reference=reference, defaults={"date": date, "created_by": user}
    )
    return cedula, []


def period_message(office):
    return (
        "La fecha está fuera del periodo de obtención de apoyo del cargo "
        f"({office.collection_start:%d/%m/%Y} a {office.collection_end:%d/%m/%Y})."
    )


def capture_support(user, cedula, values, channel=Channel.MANUAL):
    """Capture one row of a paper cédula with the shared validator (CONTRACT.md upload_supports).

    `values` maps the cédula columns (NOMBRE, CLAVE_ELECTOR, ...) to what was typed. The same clave
    twice in one cédula is refused; the same clave in another cédula of the aspirant, or letters
    that disagree with the names, only warn. The OPL's manual capture is preliminary at once; an
    aspirant's pre-capture enters the mesa de control queue as pending review, without a tipo de
    inconsistencia.
    """
    office = cedula.aspirant.office
    raw = dict(values, NUMERO_REFERENCIA=cedula.reference)
    raw.setdefault("FECHA_APOYO", cedula.date)
    row, errors = validate_support_row(
        raw,
        inconsistency_codes=catalogue_codes(office.process.state_id),
        period=collection_period(office),
        default_date=cedula.date,
    )
    if errors:
        return CaptureResult(errors=errors)
    if channel == Channel.ASPIRANT and row.inconsistency_code:
        return CaptureResult(
            errors=[RowError("TIPO_INCONSISTENCIA", ASPIRANT_INCONSISTENCY_MESSAGE)]
        )
    active = Support.objects.exclude(status=Status.WITHDRAWN).filter(
        aspirant=cedula.aspirant, elector_key=row.elector_key
    )
    if active.filter(cedula=cedula).exists():
        message = "Esta clave de elector ya está capturada en esta cédula."
        return CaptureResult(errors=[RowError("CLAVE_ELECTOR", message)])
    warnings = elector_key_warnings(
        row.elector_key, row.name, row.paternal_surname, row.maternal_surname
    )
    warnings += repeated_key_warnings(active)
    with transaction.atomic():
        support = Support.objects.create(
            aspirant=cedula.aspirant,
            cedula=cedula,
            channel=channel,
            name=row.name,
            paternal_surname=row.paternal_surname,
            maternal_surname=row.maternal_surname,
            elector_key=row.elector_key,
            ocr=row.ocr,
            inconsistency=inconsistency_by_code(row.inconsistency_code),
            comment=row.comment,
            support_date=row.support_date,
            captured_by=user,
            status=initial_status(channel),
            warnings="\n".join(warnings),
        )
        SupportChange.objects.create(support=support, user=user, action=ChangeAction.CREATED)
    return CaptureResult(support=support, warnings=warnings)


REPEATED_KEY_WARNING = (
    "La misma clave de elector ya está capturada para este aspirante; solo uno de sus apoyos "
    "podrá contar."
)


def repeated_key_warnings(active_supports_of_key):
    """The same clave twice for one aspirant is stored (the first one counts, DOMAIN
    "Deduplication") but said at capture, naming the cédulas that hold it when there are any."""
    supports = list(active_supports_of_key.select_related("cedula"))
    if not supports:
        return []
    references = sorted({s.cedula.reference for s in supports if s.cedula_id})
    if not references:
        return [REPEATED_KEY_WARNING]
    return [
        "La misma clave de elector ya está capturada para este aspirante "
        f"(cédula {', '.join(references)}); solo uno de sus apoyos podrá contar."
    ]


def inconsistency_by_code(code):
    return Inconsistency.objects.get(code=code) if code else None


def support_values(support):
    """A support's current data as cédula columns, the input of the shared validator."""
    return {
        "NUMERO_REFERENCIA": support.reference or "-",
        "NOMBRE": support.name,
        "APELLIDO_PATERNO": support.paternal_surname,
        "APELLIDO_MATERNO": support.maternal_surname,
        "CLAVE_ELECTOR": support.elector_key,
        "OCR": support.ocr,
        "TIPO_INCONSISTENCIA": support.inconsistency.code if support.inconsistency_id else "",
        "COMENTARIO": support.comment,
        "FECHA_APOYO": support.support_date,
    }


# Why a correction may not change a tipo de inconsistencia (DOMAIN.md lifecycle 2 and 6).
DECIDED_BY_THE_MESA = (
    "El tipo de inconsistencia de este apoyo solo cambia en la mesa de control (o por la "
    "resolución de una garantía de audiencia): la mesa de control ya lo revisó o le corresponde "
    "revisarlo."
)
FOUR_EYES_TYPE = (
    "Un tipo de inconsistencia que requiere segundo revisor ({codes}) solo cambia en la mesa de "
    "control, donde otro revisor lo confirma."
)


def correct_support(user, support, changes):
    """Correct a support's data; every changed field is kept in its history (old and new value).

    `changes` maps cédula columns to new values. The corrected row passes the same validator as a
    new capture. Withdrawn supports cannot be corrected. The tipo de inconsistencia is the mesa de
    control's outcome: a correction changes it only on a row of the OPL's own paper capture that
    no revisor has decided, and never to or from a type that needs a second revisor (see
    inconsistency_change_refusal). A hearing ruling corrects through correct_by_ruling.
    """
    with transaction.atomic():
        # Locked as the mesa de control locks a support to decide it (review.locked_pending), so
        # a decision taken meanwhile is seen here.
        current = Support.objects.select_for_update().get(pk=support.pk)
        return apply_correction(user, current, changes, guard_outcome=True)


def correct_by_ruling(user, support, changes):
    """A hearing ruling's correction (LGIPE 385, garantía de audiencia): the OPL, having heard the
    aspirant, may also lift or change the mesa de control's tipo de inconsistencia."""
    return apply_correction(user, support, changes, guard_outcome=False)


def outcome_locked(support):
    """Whether the tipo de inconsistencia is the mesa de control's alone: a support of the
    pre-captura or the app (the mesa reviews it), or one a revisor has decided."""
    return support.channel not in OPL_CHANNELS or support.reviews.exists()


def inconsistency_change_refusal(support, new_code):
    """Why a correction may not change `support`'s tipo de inconsistencia to `new_code` (None when
    it may). A decided review outcome changes only through the mesa de control's rules, four eyes
    included, or a hearing ruling."""
    old_code = support.inconsistency.code if support.inconsistency_id else ""
    if new_code == old_code:
        return None
    if outcome_locked(support):
        return RowError("TIPO_INCONSISTENCIA", DECIDED_BY_THE_MESA)
    four_eyes = Inconsistency.objects.filter(
        code__in={old_code, new_code} - {""}, needs_confirmation=True
    ).values_list("code", flat=True)
    if four_eyes:
        return RowError("TIPO_INCONSISTENCIA", FOUR_EYES_TYPE.format(codes=", ".join(four_eyes)))
    return None


def apply_correction(user, support, changes, guard_outcome):
    if support.is_withdrawn:
        return CaptureResult(errors=[RowError("", "Un apoyo retirado no puede corregirse.")])
    office = support.aspirant.office
    row, errors = validate_support_row(
        correction_input(support, changes),
        inconsistency_codes=catalogue_codes(office.process.state_id),
        period=collection_period(office),
        default_date=support.support_date,
    )
    if errors:
        return CaptureResult(errors=errors)
    refusal = guard_outcome and inconsistency_change_refusal(support, row.inconsistency_code)
    if refusal:
        return CaptureResult(errors=[refusal])
    if support.cedula_id:
        twin = Support.objects.exclude(status=Status.WITHDRAWN).exclude(pk=support.pk)
        if twin.filter(cedula=support.cedula, elector_key=row.elector_key).exists():
            message = "Esta clave de elector ya está capturada en la misma cédula."
            return CaptureResult(errors=[RowError("CLAVE_ELECTOR", message)])
    new_values = {
        "name": row.name,
        "paternal_surname": row.paternal_surname,
        "maternal_surname": row.maternal_surname,
        "elector_key": row.elector_key,
        "ocr": row.ocr,
        "inconsistency": inconsistency_by_code(row.inconsistency_code),
        "comment": row.comment,
        "support_date": row.support_date,
    }
    changed_written = support.date_written != row.date_written
    support.date_written = row.date_written
    warnings = corrected_warnings(support, row)
    changed_warnings = support.warnings != "\n".join(warnings)
    support.warnings = "\n".join(warnings)
    history = []
    for name, new in new_values.items():
        old = getattr(support, name)
        if old == new:
            continue
        history.append(
            SupportChange(
                support=support,
                user=user,
                action=ChangeAction.CORRECTED,
                field=Support._meta.get_field(name).verbose_name,
                old_value=display(old),
                new_value=display(new),
            )
        )
        setattr(support, name, new)
    if history or changed_written or changed_warnings:
        with transaction.atomic():
            support.save(update_fields=[*new_values, "date_written", "warnings"])
            SupportChange.objects.bulk_create(history)
    return CaptureResult(support=support, warnings=warnings)


def corrected_warnings(support, row):
    """The capture warnings of a corrected row, the support itself not counting as a repeat."""
    others = Support.objects.exclude(status=Status.WITHDRAWN).exclude(pk=support.pk)
    return elector_key_warnings(
        row.elector_key, row.name, row.paternal_surname, row.maternal_surname
    ) + repeated_key_warnings(
        others.filter(aspirant=support.aspirant_id, elector_key=row.elector_key)
    )


def correction_input(support, changes):
    """The corrected row for the validator. An empty date, or the support's own date given back,
    keeps the date as it was: written, or the upload date of a bulk row without FECHA_APOYO,
    which the period does not bound (CONTRACT upload_supports, settled cases). Any other date is
    a written one."""
    raw = support_values(support) | changes
    day = raw["FECHA_APOYO"]
    if not cell_text(day).strip() or read_date(day) == support.support_date:
        raw["FECHA_APOYO"] = support.support_date if support.date_written else None
    return raw


def display(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Inconsistency):
        return value.code
    return str(value)


def withdraw_support(user, support, reason):
    """Withdraw a support with a reason. It is never deleted and never counts again."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        return [RowError("", "Indique el motivo del retiro.")]
    if support.is_withdrawn:
        return [RowError("", "El apoyo ya estaba retirado.")]
    previous = support.get_status_display()
    with transaction.atomic():
        support.status = Status.WITHDRAWN
        support.withdrawn_at = timezone.now()
        support.withdrawn_by = user
        support.withdrawal_reason = reason[:300]
        support.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        SupportChange.objects.create(
            support=support,
            user=user,
            action=ChangeAction.WITHDRAWN,
            field="estado",
            old_value=previous,
            new_value=f"Retirado: {reason[:300]}",
        )
    return []


def undecided_rows(supports):
    """The rows of an aspirant's own pre-captura that the mesa de control has not decided yet:
    not accepted, no inconsistency recorded, no rejection proposed."""
    return supports.filter(channel=Channel.ASPIRANT, status=Status.PENDING_REVIEW).exclude(
        pk__in=open_proposals().values("support_id")
    )


def undecided_precapture(support):
    """Whether one support is among undecided_rows."""
    return undecided_rows(Support.objects.filter(pk=support.pk)).exists()


def withdraw_own_precapture(user, support, reason):
    """An aspirant withdraws a row of their own pre-captura that the OPL has not decided yet (a
    row typed by mistake). Once a revisor has accepted it, recorded an inconsistency or proposed a
    rejection, only the OPL may withdraw it: the decision is the OPL's record."""
    if support.aspirant.user_id != user.pk or support.channel != Channel.ASPIRANT:
        return [RowError("", "Solo puede retirar filas de su propia pre-captura.")]
    with transaction.atomic():
        # Locked as the mesa de control locks it to decide (review.locked_pending): a revisor's
        # decision and this withdrawal never both take effect.
        current = Support.objects.select_for_update().get(pk=support.pk)
        if not undecided_precapture(current):
            return [
                RowError(
                    "",
                    "La mesa de control ya revisó este apoyo: pida al OPL que lo retire si procede.",
                )
            ]
        return withdraw_support(user, current, reason)


def cedula_undecided(cedula):
    """No row of the cédula, withdrawn rows aside, has been decided by the mesa de control."""
    rows = cedula.supports.exclude(status=Status.WITHDRAWN)
    return not rows.exclude(pk__in=undecided_rows(rows).values("pk")).exists()


def remove_own_scan(user, scan):
    """An aspirant removes a scan they uploaded by mistake (another cédula, an unreadable page)
    while every row of its cédula is still undecided: until then no decision of the mesa de
    control rests on it. Afterwards the scan is part of the record and only the OPL keeps it.
    Returns a list of RowError, empty when the scan and its file are gone."""
    if scan.uploaded_by_id != user.pk:
        return [RowError("", "Solo puede quitar escaneos que usted cargó.")]
    with transaction.atomic():
        # The cédula's rows locked as a revisor locks one to decide it (review.locked_pending).
        list(scan.cedula.supports.select_for_update().values_list("pk", flat=True))
        if not cedula_undecided(scan.cedula):
            return [
                RowError(
                    "",
                    "La mesa de control ya revisó filas de esta cédula: el escaneo queda como "
                    "constancia; pida al OPL que lo corrija si procede.",
                )
            ]
        file_name = scan.file.name
        storage = scan.file.storage
        scan.delete()
        transaction.on_commit(lambda: storage.delete(file_name))
    return []

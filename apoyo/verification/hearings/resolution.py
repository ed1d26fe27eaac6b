"""Resolving a hearing request, support by support (DOMAIN.md step 6: the OPL resolves each
invalidated support the aspirant argued, and the result is recomputed)."""

from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone

from apoyo.supports.services import correct_by_ruling, display, support_values
from apoyo.verification import policies
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.hearings.notifications import notify_resolved
from apoyo.verification.hearings.services import OTHER_ENTITY
from apoyo.verification.models import (
    CheckRun,
    HearingRequest,
    ItemDecision,
    RequestStatus,
    RunStatus,
)
from apoyo.verification.services import STALE_AFTER
from apoyo.verification.tasks import queue_check

MAX_REASON_CHARS = 2000
NO_CHANGE = (
    "Apoyo {key}: para declararlo procedente, levante la inconsistencia o corrija algún dato."
)


@dataclass(frozen=True)
class SupportRuling:
    """The ruling on one support of a hearing request: procedente (with the corrections that make
    it count: {column: value}, TIPO_INCONSISTENCIA "" lifts the inconsistency) or improcedente,
    each with its fundamento."""

    decision: str
    reason: str
    changes: dict = field(default_factory=dict)


def same_ruling(hearing_request, decision, reason, corrections=None):
    """One ruling for every support of the hearing request (the form's "la misma para todos"),
    each with its own corrections."""
    corrections = corrections or {}
    return {
        item.support_id: SupportRuling(decision, reason, corrections.get(item.support_id, {}))
        for item in hearing_request.items.all()
    }


def resolve_hearing_request(user, hearing_request, rulings, note=""):
    """Resolve a filed hearing request support by support (DOMAIN.md step 6: the OPL resolves
    each invalidated support the aspirant argued).

    `rulings` maps every support id of the hearing request to a SupportRuling. A procedente
    support is corrected with supports.services.correct_by_ruling (every change in its history)
    and must change; each ruling needs its fundamento. The hearing request becomes procedente,
    improcedente or parcialmente procedente by its supports' rulings; when any is procedente the
    office's results are recomputed by a compulsa queued after the commit. The aspirant is
    notified in the portal and by e-mail. Only who policies.can_resolve_hearing_request allows.
    """
    if not policies.can_resolve_hearing_request(user):
        raise HearingError(
            "Solo un administrador o un revisor del OPL puede resolver solicitudes de audiencia."
        )
    if not policies.can_resolve_hearing_request(user, hearing_request):
        raise HearingError(OTHER_ENTITY)
    note = clean_reason(note)
    with transaction.atomic():
        # Lock the row: two people resolving the same hearing request at once, only one wins.
        hearing_request = HearingRequest.objects.select_for_update().get(pk=hearing_request.pk)
        if not hearing_request.is_pending:
            raise HearingError(
                f"La solicitud ya fue resuelta como {hearing_request.get_status_display().lower()}."
            )
        items = check_rulings(hearing_request, rulings)
        apply_rulings(user, items, rulings)
        hearing_request.status = request_status(rulings.values())
        hearing_request.resolution = note
        hearing_request.resolved_by = user
        hearing_request.resolved_at = timezone.now()
        if hearing_request.status != RequestStatus.REJECTED:
            hearing_request.recheck_run = recompute(hearing_request.aspirant.office, user)
        hearing_request.save(
            update_fields=["status", "resolution", "resolved_by", "resolved_at", "recheck_run"]
        )
        transaction.on_commit(partial(notify_resolved, hearing_request), robust=True)
    return hearing_request


def clean_reason(reason):
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_CHARS:
        raise HearingError(
            f"El fundamento no puede exceder {MAX_REASON_CHARS} caracteres (tiene {len(reason)})."
        )
    return reason


def check_rulings(hearing_request, rulings):
    """The hearing request's items, once every support has a ruling with its fundamento and
    nothing else is ruled on."""
    items = {item.support_id: item for item in hearing_request.items.select_related("support")}
    try:
        ruled = {int(pk) for pk in rulings}
    except (TypeError, ValueError) as error:
        raise HearingError("Solo pueden resolverse los apoyos de la solicitud.") from error
    if ruled - set(items):
        raise HearingError("Solo pueden resolverse los apoyos de la solicitud.")
    missing = [items[pk].support.elector_key for pk in items if pk not in ruled]
    if missing:
        raise HearingError("Resuelva cada apoyo de la solicitud.", missing)
    problems = []
    for pk, ruling in rulings.items():
        key = items[int(pk)].support.elector_key
        if ruling.decision not in ItemDecision.values:
            problems.append(f"Apoyo {key}: indique si es procedente o improcedente.")
        elif not (ruling.reason or "").strip():
            problems.append(f"Apoyo {key}: indique el fundamento de su resolución.")
        elif len(ruling.reason) > MAX_REASON_CHARS:
            problems.append(f"Apoyo {key}: el fundamento excede {MAX_REASON_CHARS} caracteres.")
    if problems:
        raise HearingError("Falta resolver algún apoyo como se debe.", problems)
    return items


def apply_rulings(user, items, rulings):
    """Record each support's ruling and apply the corrections of the procedentes; all or
    nothing. Records {column: [old, new]} on each corrected item."""
    errors = []
    for pk, ruling in rulings.items():
        item = items[int(pk)]
        item.decision, item.reason, item.pending = ruling.decision, ruling.reason.strip(), False
        if ruling.decision == ItemDecision.UPHELD:
            errors.extend(correct_item(user, item, ruling.changes))
        item.save(update_fields=["decision", "reason", "pending", "changes"])
    if errors:
        raise HearingError("No se pudo aplicar la corrección.", errors)


def correct_item(user, item, changes):
    """Apply a procedente support's corrections; the Spanish errors, if any. A procedente support
    must change: its inconsistency lifted or some datum corrected."""
    support = item.support
    if not changes:
        return [NO_CHANGE.format(key=support.elector_key)]
    before = support_values(support)
    result = correct_by_ruling(user, support, changes)
    if result.errors:
        return [f"Apoyo {support.elector_key}: {error.message}" for error in result.errors]
    after = support_values(result.support)
    item.changes = {
        column: [display(before[column]), display(after[column])]
        for column in before
        if before[column] != after[column]
    }
    if not item.changes:
        return [NO_CHANGE.format(key=support.elector_key)]
    return []


def request_status(rulings):
    decisions = {ruling.decision for ruling in rulings}
    if decisions == {ItemDecision.UPHELD}:
        return RequestStatus.UPHELD
    if decisions == {ItemDecision.REJECTED}:
        return RequestStatus.REJECTED
    return RequestStatus.PARTIAL


def recompute(office, user):
    """Queue a compulsa of the office after the commit; returns its run (the page follows it).
    A run still waiting in the queue is reused: it has not read anything yet, and it is locked
    here so that its worker reads only after these corrections commit. Resolving twenty
    hearing requests in a row queues one compulsa, not twenty."""
    waiting = CheckRun.objects.select_for_update().filter(
        office=office, status=RunStatus.QUEUED, created_at__gte=timezone.now() - STALE_AFTER
    )
    run = waiting.order_by("-created_at").first()
    return run if run is not None else queue_check(office, user)

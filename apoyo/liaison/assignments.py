"""UTVOPL turns a consultation to INE areas and moves it between them (DOMAIN.md, SIVOPLE: the
assigned area, who assigned it and when; every user of the area is notified by e-mail)."""

from django.db import transaction
from django.utils import timezone

from apoyo.liaison import mail, policies
from apoyo.liaison.deadlines import due_date
from apoyo.liaison.models import Assignment, EventKind
from apoyo.liaison.timeline import record
from apoyo.liaison.workflow import (
    WorkflowError,
    closed_blocked,
    lock,
    refresh_status,
    refuse_if,
)


def assigning_blocked(consultation):
    """A concluded folio is not assigned again until a follow-up reopens it."""
    return closed_blocked(consultation)


def reassigning_blocked(consultation, assignment):
    """Only an assignment in force on an open folio is moved."""
    if reason := closed_blocked(consultation):
        return reason
    if not assignment.active:
        return "Ese turno ya no está vigente."
    return None


def assign(user, consultation, areas, instruction="", now=None):
    """Turn a consultation to one or more INE areas (UTVOPL only). Each assignment gets its due
    date, and every active user of each area gets the SIVOPLE e-mail and an in-app notice."""
    policies.require_can_assign(user)
    areas = list(areas)
    if not areas:
        raise WorkflowError("Elija al menos un área.")
    now = now or timezone.now()
    instruction = instruction.strip()
    with transaction.atomic():
        consultation = lock(consultation)
        refuse_if(assigning_blocked(consultation))
        current = set(
            consultation.assignments.filter(active=True).values_list("area_id", flat=True)
        )
        for area in areas:
            if area.pk in current:
                raise WorkflowError(f"La consulta ya está turnada a {area.code}.")
            if not area.active:
                raise WorkflowError(f"El área {area.code} no está activa.")
        due = due_date(consultation.doc_type, now)
        created = []
        for area in areas:
            assignment = Assignment.objects.create(
                consultation=consultation,
                area=area,
                instruction=instruction,
                assigned_by=user,
                assigned_at=now,
                due_date=due,
            )
            created.append(assignment)
            record(
                consultation,
                EventKind.ASSIGNED,
                user,
                now,
                area=area,
                # The instruction is for the area: it is shown to INE with the assignment,
                # not in the timeline the OPL also reads.
                detail=f"Turnada a {area.name}; fecha límite {due:%d/%m/%Y}.",
            )
        refresh_status(consultation)
    for assignment in created:
        mail.notify_assignment(assignment, now)
    return created


def reassign(user, assignment, area, reason, instruction="", now=None):
    """Move an assignment to another area with a reason (UTVOPL only); the new area gets a fresh due
    date and its users are notified. The old area no longer sees the consultation."""
    policies.require_can_reassign(user)
    reason = reason.strip()
    if not reason:
        raise WorkflowError("Indique el motivo de la reasignación.")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(assignment.consultation)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        refuse_if(reassigning_blocked(consultation, assignment))
        if area.pk == assignment.area_id:
            raise WorkflowError("Elija un área distinta de la actual.")
        if not area.active:
            raise WorkflowError(f"El área {area.code} no está activa.")
        if consultation.assignments.filter(active=True, area=area).exists():
            raise WorkflowError(f"La consulta ya está turnada a {area.code}.")
        old_area = assignment.area
        assignment.active = False
        assignment.ended_at, assignment.ended_by, assignment.end_reason = now, user, reason[:500]
        assignment.save(update_fields=["active", "ended_at", "ended_by", "end_reason"])
        new = Assignment.objects.create(
            consultation=consultation,
            area=area,
            instruction=instruction.strip(),
            assigned_by=user,
            assigned_at=now,
            due_date=due_date(consultation.doc_type, now),
        )
        record(
            consultation,
            EventKind.REASSIGNED,
            user,
            now,
            area=area,
            detail=f"De {old_area.code} a {area.name}; fecha límite {new.due_date:%d/%m/%Y}. "
            f"Motivo: {reason}",
        )
        refresh_status(consultation)
    mail.notify_assignment(new, now)
    return new

"""The life of a SIVOPLE folio, as plain functions the views, the demo and the tests share.

The path of a folio: an OPL user registers it (`register`); UTVOPL turns it to one or more INE areas
(assignments.assign, reassign), which notifies every active user of each area; a user of the area
drafts the answer (answers.save_answer), the area's head approves it (approve_answer), and UTVOPL
forwards it to the OPL (forward_answer) or returns it to the area (return_answer). The OPL may then
ask a follow-up on the same folio (`ask_follow_up`) or close it (`close`).

Every step asks policies.py whether the user may take it (a refusal raises `NotAllowed`, 403) and
its `*_blocked` function whether the folio's state allows it (a refusal raises `WorkflowError`);
both carry a Spanish message for the user. The folio page asks the same two functions to decide
which buttons it shows.
"""

from django.db import transaction
from django.utils import timezone

from apoyo.liaison import mail, policies
from apoyo.liaison.attachments import check_files, store_attachment
from apoyo.liaison.deadlines import due_date
from apoyo.liaison.folios import folio_text, next_folio
from apoyo.liaison.models import (
    Answer,
    AnswerStatus,
    Consultation,
    EventKind,
    FollowUp,
    Status,
)
from apoyo.liaison.timeline import count_text, record


class WorkflowError(Exception):
    """A step the folio's current state does not allow; the message is for the user."""


def refuse_if(reason):
    """Raise the reason a `*_blocked` function gave, if it gave one."""
    if reason:
        raise WorkflowError(reason)


# The folio's state ----------------------------------------------------------------------------------


def refresh_status(consultation):
    """Derive the folio's status from its assignments and answers, and save it: it is never set by
    hand, so the inbox and the list always agree with what the areas have done."""
    if consultation.closed_at:
        status = Status.CLOSED
    else:
        active = list(consultation.assignments.filter(active=True))
        pending = [a for a in active if a.answered_at is None]
        approved = set(
            Answer.objects.filter(assignment__in=pending, status=AnswerStatus.APPROVED).values_list(
                "assignment_id", flat=True
            )
        )
        if not active:
            status = Status.REGISTERED
        elif not pending:
            status = Status.FORWARDED
        elif all(a.pk in approved for a in pending):
            status = Status.ANSWERED
        else:
            status = Status.ASSIGNED
    if consultation.status != status:
        consultation.status = status
        consultation.save(update_fields=["status"])
    return status


def closed_blocked(consultation):
    """A concluded folio takes no more assignments nor answers until a follow-up reopens it."""
    if consultation.status == Status.CLOSED:
        return f"La consulta {consultation.folio} está concluida."
    return None


def turn_blocked(consultation, assignment):
    """Work on an assignment needs an open folio and the assignment still in force: once
    reassigned, the old area's draft is no longer the answer."""
    if reason := closed_blocked(consultation):
        return reason
    if not assignment.active:
        return f"El turno de {assignment.area.code} ya no está vigente: la consulta fue reasignada."
    return None


def follow_up_blocked(consultation):
    """A follow-up asks further about an answer, so it waits for one (a closed folio had one)."""
    if consultation.status not in {Status.FORWARDED, Status.CLOSED}:
        return "Podrá pedir un seguimiento cuando reciba la respuesta del INE a esta consulta."
    return None


def closing_blocked(user, consultation):
    """The OPL closes once it has the answer; UTVOPL at any time (policies.closes_at_any_time)."""
    if consultation.status == Status.CLOSED:
        return f"La consulta {consultation.folio} ya está concluida."
    if not policies.closes_at_any_time(user) and consultation.status != Status.FORWARDED:
        return "El OPL da por atendida una consulta cuando ya recibió la respuesta."
    return None


def lock(consultation):
    """The folio's row, locked until the transaction ends so two steps on it never interleave.

    Only this row (of=self): locking the joined entity or type rows would hold up every insert
    that refers to them elsewhere."""
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("doc_type", "state")
        .get(pk=consultation.pk)
    )


# Registering ----------------------------------------------------------------------------------------


def register(user, doc_type, opl_folio, subject, description, files=(), now=None):
    """Register an OPL's consultation or document with its attachments and give it its folio
    TYPE/ENT/YEAR/N (DOMAIN.md, SIVOPLE); UTVOPL is told there is a new item in its inbox."""
    policies.require_can_register(user)
    if not doc_type.active:
        raise WorkflowError(f"El tipo de documento {doc_type.code} no está activo.")
    opl_folio, subject, description = opl_folio.strip(), subject.strip(), description.strip()
    if not (opl_folio and subject and description):
        raise WorkflowError("Indique el folio del documento del OPL, el asunto y la descripción.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    # The folio's year is the registration's local year, not UTC's.
    year = timezone.localtime(now).year
    state = user.state
    with transaction.atomic():
        number = next_folio(doc_type, state, year)
        consultation = Consultation.objects.create(
            folio=folio_text(doc_type, state, year, number),
            doc_type=doc_type,
            state=state,
            year=year,
            number=number,
            opl_folio=opl_folio,
            subject=subject,
            description=description,
            created_by=user,
            created_at=now,
        )
        for uploaded in files:
            store_attachment(consultation, uploaded, user, now)
        record(
            consultation,
            EventKind.REGISTERED,
            user,
            now,
            detail=f"{doc_type.code} · oficio {opl_folio} · {count_text(len(files), 'anexo')}.",
        )
    mail.notify_registered(consultation)
    return consultation


# INE's read receipt ----------------------------------------------------------------------------------


def mark_read(user, consultation, now=None):
    """The first time a user of INE (UTVOPL or an area) opens a folio is the OPL's read receipt
    ("leída el …"), and so for each follow-up opened after it was asked; the timeline records who
    read it. Later openings, and the OPL's own, change nothing. Returns whether this was the first."""
    if not policies.reads_for_ine(user):
        return False
    now = now or timezone.now()
    with transaction.atomic():
        first = Consultation.objects.filter(pk=consultation.pk, ine_read_at=None).update(
            ine_read_at=now, ine_read_by=user
        )
        follow_ups = FollowUp.objects.filter(consultation=consultation, ine_read_at=None).update(
            ine_read_at=now
        )
        if first or follow_ups:
            read = "la consulta" if first else count_text(follow_ups, "seguimiento")
            record(consultation, EventKind.READ, user, now, detail=f"Abrió {read}.")
    if first:
        consultation.ine_read_at, consultation.ine_read_by = now, user
    return bool(first)


# The OPL's follow-up and closing ------------------------------------------------------------------


def ask_follow_up(user, consultation, text, files=(), now=None):
    """The OPL asks further on the same folio after an answer: the areas still assigned must answer
    again by a new due date (if none is, the folio returns to UTVOPL's inbox)."""
    policies.require_can_follow_up(user, consultation)
    text = text.strip()
    if not text:
        raise WorkflowError("Escriba su seguimiento.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(consultation)
        refuse_if(follow_up_blocked(consultation))
        follow_up = FollowUp.objects.create(
            consultation=consultation, text=text, created_by=user, created_at=now
        )
        for uploaded in files:
            store_attachment(consultation, uploaded, user, now, follow_up=follow_up)
        due = due_date(consultation.doc_type, now)
        active = consultation.assignments.filter(active=True)
        areas = [a.area for a in active.select_related("area")]
        active.update(answered_at=None, due_date=due)
        consultation.closed_at = None
        consultation.save(update_fields=["closed_at"])
        new_terms = (
            f" (fecha límite {due:%d/%m/%Y} para {', '.join(a.code for a in areas)})"
            if areas
            else ""
        )
        record(consultation, EventKind.FOLLOW_UP, user, now, detail=text[:500] + new_terms)
        refresh_status(consultation)
    mail.notify_follow_up(consultation, areas, text)
    return follow_up


def close(user, consultation, note="", now=None):
    """Close a folio: the OPL when it has its answer; UTVOPL at any time (e.g. a document sent for
    INE's knowledge that needs no answer)."""
    policies.require_can_close(user, consultation)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(consultation)
        refuse_if(closing_blocked(user, consultation))
        consultation.closed_at = now
        consultation.save(update_fields=["closed_at"])
        record(consultation, EventKind.CLOSED, user, now, detail=note.strip()[:500])
        refresh_status(consultation)
    return consultation

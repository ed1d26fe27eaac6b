"""SIVOPLE work, as plain functions the views, the demo and the tests share.

The path of a folio: an OPL user registers it (`register`); UTVOPL turns it to one or more INE areas
(`assign`, `reassign`), which notifies every active user of each area; a user of the area drafts the
answer (`save_answer`), the area's head approves it (`approve_answer`), and UTVOPL forwards it to
the OPL (`forward_answer`) or returns it to the area (`return_answer`). The OPL may then ask a
follow-up on the same folio (`ask_follow_up`) or close it (`close`).

Every step checks the user's role and the folio's state here, not in the views: a wrong role raises
`NotAllowed` (403), a wrong state `WorkflowError`; both carry a Spanish message for the user.
"""

import os
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import OPL_ROLES, Role, User
from apoyo.accounts.notifications import notify
from apoyo.core.filetypes import DOCUMENTS, check_upload, sha256_of
from apoyo.liaison.models import (
    AREA_ROLES,
    EDITABLE_ANSWER,
    Answer,
    AnswerStatus,
    AreaMember,
    Assignment,
    Attachment,
    Consultation,
    Event,
    EventKind,
    FolioCounter,
    FollowUp,
    Opl,
    Status,
)
from apoyo.processes.workdays import term_end

ASSIGNMENT_SUBJECT = "Se ha asignado una consulta o documento [Consultas y Documentos]"
MAX_FILES = 10


class WorkflowError(Exception):
    """A step the folio's current state does not allow; the message is for the user."""


class NotAllowed(PermissionDenied):
    """A step the user's role or area does not allow; the message is for the user."""


# Who may do what ----------------------------------------------------------------------------------


def is_utvopl(user):
    return user.is_authenticated and user.is_active and user.role == Role.INE_UTVOPL


def is_opl_of(user, consultation):
    return user.role in OPL_ROLES and user.state_id == consultation.state_id


def is_member(user, area):
    return (
        user.role in AREA_ROLES
        and AreaMember.objects.filter(user=user, area=area, user__is_active=True).exists()
    )


def is_head(user, area):
    return (
        user.role in AREA_ROLES
        and AreaMember.objects.filter(
            user=user, area=area, is_head=True, user__is_active=True
        ).exists()
    )


def _require_utvopl(user, action):
    if not is_utvopl(user):
        raise NotAllowed(f"Solo la UTVOPL puede {action}.")


def max_attachment_bytes():
    return settings.APOYO_SIVOPLE_MAX_BYTES


# Folios and due dates -----------------------------------------------------------------------------


def next_folio(doc_type, state, year):
    """Take the next number of a type, entity and year; call it inside the registering transaction.

    The UPDATE ... SET last = last + 1 locks the counter row until that transaction ends, so
    registrations made at the same moment queue on it and each gets its own number; a registration
    that fails rolls its number back. Folios are therefore never repeated nor skipped.
    """
    counters = FolioCounter.objects.filter(doc_type=doc_type, state=state, year=year)
    for _ in range(3):
        if counters.update(last=F("last") + 1):
            return counters.values_list("last", flat=True).get()
        try:
            # The first folio of the year: create the counter. A concurrent registration may
            # create it first; then the unique constraint fails and the UPDATE above is retried.
            with transaction.atomic():
                FolioCounter.objects.create(doc_type=doc_type, state=state, year=year, last=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError("No se pudo obtener el consecutivo del folio.")


def due_date(doc_type, assigned_at):
    """The last day to answer: the type's `due_days` working days, counted from the working day
    after the assignment, skipping weekends and national holidays (INE's calendar)."""
    start = timezone.localdate(assigned_at) + timedelta(days=1)
    return term_end(start, doc_type.due_days, state=None)


def due_soon_limit(today=None):
    """The last day of the "vence en 2 días hábiles" filter: the second working day after today."""
    today = today or timezone.localdate()
    return term_end(today + timedelta(days=1), 2, state=None)


def refresh_status(consultation):
    """Derive the folio's status from its assignments and answers, and save it."""
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


# Registering --------------------------------------------------------------------------------------


def register(user, doc_type, opl_folio, subject, description, files=(), now=None):
    """Register an OPL's consultation or document with its attachments and give it its folio
    TYPE/ENT/YEAR/N; UTVOPL is told there is a new item in its inbox."""
    if user.role not in OPL_ROLES or user.state_id is None:
        raise NotAllowed("Solo el personal de un OPL registra consultas y documentos.")
    if not doc_type.active:
        raise WorkflowError(f"El tipo de documento {doc_type.code} no está activo.")
    opl_folio, subject, description = opl_folio.strip(), subject.strip(), description.strip()
    if not (opl_folio and subject and description):
        raise WorkflowError("Indique el folio del documento del OPL, el asunto y la descripción.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    year = timezone.localtime(now).year
    state = user.state
    with transaction.atomic():
        number = next_folio(doc_type, state, year)
        consultation = Consultation.objects.create(
            folio=f"{doc_type.code}/{state.abbreviation}/{year}/{number}",
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
        _event(
            consultation,
            EventKind.REGISTERED,
            user,
            now,
            detail=f"{doc_type.code} · oficio {opl_folio} · {_count(len(files), 'anexo')}.",
        )
    _send(
        utvopl_users(),
        f"Nuevo folio {consultation.folio} por turnar",
        f"{opl_name(state)} registró {consultation.folio} (oficio {opl_folio}): {subject}.",
        consultation,
    )
    return consultation


def check_files(files):
    """Bound the number and size of attachments and check each one's type by its content."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"Adjunte como máximo {MAX_FILES} archivos a la vez.")
    for uploaded in files:
        check_upload(uploaded, DOCUMENTS, max_attachment_bytes())


def store_attachment(consultation, uploaded, user, now=None, answer=None, follow_up=None):
    """Keep one file through the storage API with its size, SHA-256 and detected kind."""
    kind = check_upload(uploaded, DOCUMENTS, max_attachment_bytes())
    name = os.path.basename(uploaded.name or "anexo")[:255]
    attachment = Attachment(
        consultation=consultation,
        answer=answer,
        follow_up=follow_up,
        original_name=name,
        kind=kind,
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        uploaded_by=user,
        uploaded_at=now or timezone.now(),
    )
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


# Assigning ----------------------------------------------------------------------------------------


def assign(user, consultation, areas, instruction="", now=None):
    """Turn a consultation to one or more INE areas (UTVOPL only). Each assignment gets its due
    date, and every active user of each area gets the SIVOPLE e-mail and an in-app notice."""
    _require_utvopl(user, "turnar consultas a las áreas")
    areas = list(areas)
    if not areas:
        raise WorkflowError("Elija al menos un área.")
    now = now or timezone.now()
    instruction = instruction.strip()
    with transaction.atomic():
        consultation = _lock(consultation)
        if consultation.status == Status.CLOSED:
            raise WorkflowError(f"La consulta {consultation.folio} está concluida.")
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
            _event(
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
        notify_assignment(assignment, now)
    return created


def reassign(user, assignment, area, reason, instruction="", now=None):
    """Move an assignment to another area with a reason (UTVOPL only); the new area gets a fresh due
    date and its users are notified. The old area no longer sees the consultation."""
    _require_utvopl(user, "reasignar consultas")
    reason = reason.strip()
    if not reason:
        raise WorkflowError("Indique el motivo de la reasignación.")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(assignment.consultation)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if consultation.status == Status.CLOSED:
            raise WorkflowError(f"La consulta {consultation.folio} está concluida.")
        if not assignment.active:
            raise WorkflowError("Ese turno ya no está vigente.")
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
        _event(
            consultation,
            EventKind.REASSIGNED,
            user,
            now,
            area=area,
            detail=f"De {old_area.code} a {area.name}; fecha límite {new.due_date:%d/%m/%Y}. "
            f"Motivo: {reason}",
        )
        refresh_status(consultation)
    notify_assignment(new, now)
    return new


def assignment_message(assignment):
    """The subject and Spanish text of the assignment e-mail, field by field as SIVOPLE sends it."""
    consultation = assignment.consultation
    registered = timezone.localtime(consultation.created_at)
    lines = [
        "Estimado usuario:",
        "",
        "A continuación se presenta la información de la asignación de un documento de un OPL.",
        "",
        f"Folio SIVOPLE: {consultation.folio}",
        f"Folio del documento del OPL: {consultation.opl_folio}",
        f"Tipo de documento: {consultation.doc_type.code}",
        f"Asunto: {consultation.subject}",
        f"Descripción del documento: {consultation.description}",
        f"Área asignada: {assignment.area.name.upper()}",
        f"Organismo Público Local que realiza la solicitud: {opl_name(consultation.state).upper()}",
        f"Usuario que realizó la asignación del documento: {assignment.assigned_by}",
        f"Fecha y hora de registro: {registered:%d/%m/%Y %H:%M}",
    ]
    if assignment.instruction:
        lines.append(f"Instrucción: {assignment.instruction}")
    lines += [
        f"Fecha límite de atención: {assignment.due_date:%d/%m/%Y}",
        "",
        "Consulte el documento en el sistema:",
    ]
    return ASSIGNMENT_SUBJECT, "\n".join(lines)


def notify_assignment(assignment, now=None):
    """E-mail and notify in the app every active user of the assigned area; the timeline records
    how many were told. Returns the number of users notified."""
    users = list(area_users(assignment.area))
    subject, body = assignment_message(assignment)
    consultation = assignment.consultation
    title = f"{consultation.folio} asignada a {assignment.area.code}"
    sent = _send(users, title, body, consultation, email_subject=subject)
    if not users:
        detail = f"El área {assignment.area.code} no tiene usuarios activos: nadie fue notificado."
    else:
        detail = (
            f"Aviso en el sistema a {_count(len(users), 'usuario')} del área "
            f"{assignment.area.code}; "
            + (
                f"{_count(sent, 'correo')} enviado{'s' if sent != 1 else ''}."
                if sent is not None
                else "el correo no pudo enviarse (ver bitácora del servidor)."
            )
        )
    _event(consultation, EventKind.NOTIFIED, None, now, area=assignment.area, detail=detail)
    return len(users)


# Answering ----------------------------------------------------------------------------------------


def save_answer(user, assignment, text, files=(), remove=(), now=None):
    """Create or edit the area's answer in progress for an assignment (any user of the area).
    An approved answer is no longer edited: UTVOPL forwards it or returns it."""
    if not is_member(user, assignment.area):
        raise NotAllowed(f"Solo los usuarios del área {assignment.area.code} responden por ella.")
    text = text.strip()
    if not text:
        raise WorkflowError("Escriba la respuesta.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(assignment.consultation)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _require_open(consultation, assignment)
        if assignment.answered_at:
            raise WorkflowError(
                "Su área ya respondió esta consulta; podrá responder de nuevo si el OPL pide un "
                "seguimiento."
            )
        answer = assignment.answers.exclude(status=AnswerStatus.FORWARDED).first()
        created = answer is None
        if created:
            answer = Answer.objects.create(
                consultation=consultation,
                assignment=assignment,
                area=assignment.area,
                text=text,
                created_by=user,
                created_at=now,
                updated_at=now,
            )
            _event(
                consultation,
                EventKind.DRAFTED,
                user,
                now,
                area=assignment.area,
                detail=f"Proyecto de respuesta de {assignment.area.code}.",
            )
        else:
            if answer.status not in EDITABLE_ANSWER:
                raise WorkflowError(
                    "La respuesta ya fue aprobada por el titular; espere a que la UTVOPL la "
                    "remita o la devuelva con observaciones."
                )
            answer.text, answer.updated_at = text, now
            answer.save(update_fields=["text", "updated_at"])
        for attachment in answer.attachments.filter(pk__in=[a.pk for a in remove]):
            # The file goes only once the removal commits: a later failure keeps both.
            transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
            attachment.delete()
        for uploaded in files:
            store_attachment(consultation, uploaded, user, now, answer=answer)
    if created:
        _send(
            area_heads(assignment.area),
            f"Respuesta de {assignment.area.code} a {consultation.folio} por aprobar",
            f"{user} redactó el proyecto de respuesta de {assignment.area.code} a "
            f"{consultation.folio} ({consultation.subject}).",
            consultation,
        )
    return answer


def approve_answer(user, answer, now=None):
    """The area's head approves its answer; it goes to UTVOPL to be forwarded to the OPL."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(answer.consultation)
        answer = _lock_answer(answer)
        if not is_head(user, answer.area):
            raise NotAllowed(f"Solo el titular del área {answer.area.code} aprueba sus respuestas.")
        _require_open(consultation, answer.assignment)
        if answer.status not in EDITABLE_ANSWER:
            raise WorkflowError(
                f"La respuesta está «{answer.get_status_display()}»: solo se aprueba un proyecto."
            )
        answer.status, answer.approved_by, answer.approved_at = AnswerStatus.APPROVED, user, now
        answer.save(update_fields=["status", "approved_by", "approved_at"])
        _event(
            consultation,
            EventKind.ANSWERED,
            user,
            now,
            area=answer.area,
            detail=f"El área {answer.area.code} respondió; la UTVOPL la remitirá al OPL.",
        )
        refresh_status(consultation)
    _send(
        utvopl_users(),
        f"Respuesta de {answer.area.code} a {consultation.folio} por remitir",
        f"El titular de {answer.area.code} aprobó la respuesta a {consultation.folio} "
        f"({consultation.subject}).",
        consultation,
    )
    return answer


def forward_answer(user, answer, now=None):
    """UTVOPL forwards an approved answer to the OPL, which is told by e-mail and in the app."""
    _require_utvopl(user, "remitir respuestas al OPL")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(answer.consultation)
        answer = _lock_answer(answer)
        _require_open(consultation, answer.assignment)
        if answer.status != AnswerStatus.APPROVED:
            raise WorkflowError("Solo se remite una respuesta aprobada por el titular del área.")
        answer.status, answer.forwarded_by, answer.forwarded_at = AnswerStatus.FORWARDED, user, now
        answer.save(update_fields=["status", "forwarded_by", "forwarded_at"])
        Assignment.objects.filter(pk=answer.assignment_id).update(answered_at=now)
        _event(
            consultation,
            EventKind.FORWARDED,
            user,
            now,
            area=answer.area,
            detail=f"Respuesta de {answer.area.code} remitida a {opl_name(consultation.state)}.",
        )
        refresh_status(consultation)
    _send(
        opl_recipients(consultation),
        f"Respuesta del INE a {consultation.folio}",
        f"La UTVOPL remitió la respuesta de {answer.area.name} a {consultation.folio} "
        f"(oficio {consultation.opl_folio}): {consultation.subject}.",
        consultation,
    )
    return answer


def return_answer(user, answer, comments, now=None):
    """UTVOPL returns an approved answer to its area with comments; the area corrects it and its
    head approves it again."""
    _require_utvopl(user, "devolver respuestas a las áreas")
    comments = comments.strip()
    if not comments:
        raise WorkflowError("Escriba las observaciones para el área.")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(answer.consultation)
        answer = _lock_answer(answer)
        _require_open(consultation, answer.assignment)
        if answer.status != AnswerStatus.APPROVED:
            raise WorkflowError("Solo se devuelve una respuesta aprobada que aún no se remite.")
        answer.status, answer.return_comments = AnswerStatus.RETURNED, comments
        answer.approved_by = answer.approved_at = None
        answer.save(update_fields=["status", "return_comments", "approved_by", "approved_at"])
        _event(
            consultation,
            EventKind.RETURNED,
            user,
            now,
            area=answer.area,
            detail=f"Devuelta a {answer.area.code}. Observaciones: {comments}",
        )
        refresh_status(consultation)
    _send(
        area_users(answer.area),
        f"Respuesta a {consultation.folio} devuelta con observaciones",
        f"La UTVOPL devolvió la respuesta de {answer.area.code} a {consultation.folio}: {comments}",
        consultation,
    )
    return answer


# The OPL's follow-up and closing ------------------------------------------------------------------


def ask_follow_up(user, consultation, text, files=(), now=None):
    """The OPL asks further on the same folio after an answer: the areas still assigned must answer
    again by a new due date (if none is, the folio returns to UTVOPL's inbox)."""
    if not is_opl_of(user, consultation):
        raise NotAllowed("Solo el OPL que registró la consulta puede pedir un seguimiento.")
    text = text.strip()
    if not text:
        raise WorkflowError("Escriba su seguimiento.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(consultation)
        if consultation.status not in {Status.FORWARDED, Status.CLOSED}:
            raise WorkflowError(
                "Podrá pedir un seguimiento cuando reciba la respuesta del INE a esta consulta."
            )
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
        _event(
            consultation,
            EventKind.FOLLOW_UP,
            user,
            now,
            detail=text[:500]
            + (
                f" (fecha límite {due:%d/%m/%Y} para {', '.join(a.code for a in areas)})"
                if areas
                else ""
            ),
        )
        refresh_status(consultation)
    recipients = User.objects.filter(
        Q(role=Role.INE_UTVOPL) | Q(area_memberships__area__in=areas), is_active=True
    ).distinct()
    _send(
        recipients,
        f"Seguimiento del OPL a {consultation.folio}",
        f"{opl_name(consultation.state)} pidió un seguimiento a {consultation.folio}: {text}",
        consultation,
    )
    return follow_up


def close(user, consultation, note="", now=None):
    """Close a folio: the OPL when it has its answer; UTVOPL at any time (e.g. a document sent for
    INE's knowledge that needs no answer)."""
    if not (is_utvopl(user) or is_opl_of(user, consultation)):
        raise NotAllowed("Solo el OPL que registró la consulta o la UTVOPL pueden concluirla.")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(consultation)
        if consultation.status == Status.CLOSED:
            raise WorkflowError(f"La consulta {consultation.folio} ya está concluida.")
        if not is_utvopl(user) and consultation.status != Status.FORWARDED:
            raise WorkflowError(
                "El OPL da por atendida una consulta cuando ya recibió la respuesta."
            )
        consultation.closed_at = now
        consultation.save(update_fields=["closed_at"])
        _event(consultation, EventKind.CLOSED, user, now, detail=note.strip()[:500])
        refresh_status(consultation)
    return consultation


# Helpers ------------------------------------------------------------------------------------------


def opl_name(state):
    opl = Opl.objects.filter(state=state).first()
    return opl.name if opl else f"Organismo Público Local de {state}"


def utvopl_users():
    return User.objects.filter(role=Role.INE_UTVOPL, is_active=True)


def area_users(area):
    return User.objects.filter(area_memberships__area=area, is_active=True).order_by("username")


def area_heads(area):
    return area_users(area).filter(area_memberships__is_head=True)


def opl_recipients(consultation):
    """Who at the OPL hears of an answer: whoever registered the folio and the OPL's administrators."""
    return User.objects.filter(
        Q(pk=consultation.created_by_id) | Q(role=Role.OPL_ADMIN),
        state=consultation.state_id,
        is_active=True,
    )


def detail_url(consultation):
    return reverse("liaison:detail", args=[consultation.pk])


def _lock(consultation):
    """The folio's row, locked until the transaction ends so two steps on it never interleave.

    Only this row (of=self): locking the joined entity or type rows would hold up every insert
    that refers to them elsewhere."""
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("doc_type", "state")
        .get(pk=consultation.pk)
    )


def _lock_answer(answer):
    return (
        Answer.objects.select_for_update(of=("self",))
        .select_related("area", "assignment")
        .get(pk=answer.pk)
    )


def _require_open(consultation, assignment):
    if consultation.status == Status.CLOSED:
        raise WorkflowError(f"La consulta {consultation.folio} está concluida.")
    if not assignment.active:
        raise WorkflowError(
            f"El turno de {assignment.area.code} ya no está vigente: la consulta fue reasignada."
        )


def _event(consultation, kind, actor, at=None, area=None, detail=""):
    return Event.objects.create(
        consultation=consultation,
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        area=area,
        detail=detail,
    )


def _send(users, title, body, consultation, email_subject=None):
    """Notify users of a folio; None when the mail server failed (accounts.notifications)."""
    return notify(
        users,
        title,
        body,
        url=detail_url(consultation),
        email_subject=email_subject or f"[SIVOPLE] {title}",
    )


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""An area's answer to its assignment: drafted by any user of the area, approved by its head, then
forwarded by UTVOPL to the OPL or returned to the area with comments (DOMAIN.md, SIVOPLE: the
answer goes back to the OPL through the liaison unit)."""

from django.db import transaction
from django.utils import timezone

from apoyo.liaison import mail, policies
from apoyo.liaison.attachments import check_files, remove_attachments, store_attachment
from apoyo.liaison.models import Answer, AnswerStatus, Assignment, EventKind
from apoyo.liaison.timeline import record
from apoyo.liaison.workflow import WorkflowError, lock, refresh_status, refuse_if, turn_blocked


def open_answer(assignment):
    """The assignment's answer in progress, or None: forwarded answers stay as history, and a
    follow-up starts a new one."""
    return assignment.answers.exclude(status=AnswerStatus.FORWARDED).first()


# What the folio's state allows ----------------------------------------------------------------------


def answering_blocked(consultation, assignment, answer):
    """An area writes while its turn is pending; once its head approves, the text is UTVOPL's to
    forward or return, and once forwarded only a follow-up asks for another answer."""
    if reason := turn_blocked(consultation, assignment):
        return reason
    if assignment.answered_at:
        return (
            "Su área ya respondió esta consulta; podrá responder de nuevo si el OPL pide un "
            "seguimiento."
        )
    if answer is not None and not answer.editable:
        return (
            "La respuesta ya fue aprobada por el titular; espere a que la UTVOPL la remita o la "
            "devuelva con observaciones."
        )
    return None


def approval_blocked(consultation, answer):
    """The head approves a draft, or a returned answer once corrected."""
    if reason := turn_blocked(consultation, answer.assignment):
        return reason
    if not answer.editable:
        return f"La respuesta está «{answer.get_status_display()}»: solo se aprueba un proyecto."
    return None


def forwarding_blocked(consultation, answer):
    """What reaches the OPL is what the area's head approved."""
    if reason := turn_blocked(consultation, answer.assignment):
        return reason
    if answer.status != AnswerStatus.APPROVED:
        return "Solo se remite una respuesta aprobada por el titular del área."
    return None


def returning_blocked(consultation, answer):
    """UTVOPL returns an approved answer it has not forwarded yet."""
    if reason := turn_blocked(consultation, answer.assignment):
        return reason
    if answer.status != AnswerStatus.APPROVED:
        return "Solo se devuelve una respuesta aprobada que aún no se remite."
    return None


# The steps ------------------------------------------------------------------------------------------


def save_answer(user, assignment, text, files=(), remove=(), now=None, ine_folio=""):
    """Create or edit the area's answer in progress for an assignment (any user of the area), with
    the number of INE's oficio if the area gives one. An approved answer is no longer edited:
    UTVOPL forwards it or returns it."""
    policies.require_can_answer(user, assignment)
    text, ine_folio = text.strip(), ine_folio.strip()
    if not text:
        raise WorkflowError("Escriba la respuesta.")
    files = list(files)
    check_files(files)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(assignment.consultation)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        answer = open_answer(assignment)
        refuse_if(answering_blocked(consultation, assignment, answer))
        created = answer is None
        if created:
            answer = _draft(user, consultation, assignment, text, now, ine_folio)
        else:
            answer.text, answer.ine_folio, answer.updated_at = text, ine_folio, now
            answer.save(update_fields=["text", "ine_folio", "updated_at"])
        remove_attachments(answer.attachments.filter(pk__in=[a.pk for a in remove]))
        for uploaded in files:
            store_attachment(consultation, uploaded, user, now, answer=answer)
    if created:
        mail.notify_drafted(user, assignment, consultation)
    return answer


def _draft(user, consultation, assignment, text, now, ine_folio):
    """The first version of the answer; the timeline records the draft once, not every edit."""
    answer = Answer.objects.create(
        consultation=consultation,
        assignment=assignment,
        area=assignment.area,
        text=text,
        ine_folio=ine_folio,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    record(
        consultation,
        EventKind.DRAFTED,
        user,
        now,
        area=assignment.area,
        detail=f"Proyecto de respuesta de {assignment.area.code}.",
    )
    return answer


def approve_answer(user, answer, now=None):
    """The area's head approves its answer; it goes to UTVOPL to be forwarded to the OPL."""
    policies.require_can_approve(user, answer)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(answer.consultation)
        answer = _lock_answer(answer)
        refuse_if(approval_blocked(consultation, answer))
        answer.status, answer.approved_by, answer.approved_at = AnswerStatus.APPROVED, user, now
        answer.save(update_fields=["status", "approved_by", "approved_at"])
        record(
            consultation,
            EventKind.ANSWERED,
            user,
            now,
            area=answer.area,
            detail=f"El área {answer.area.code} respondió; la UTVOPL la remitirá al OPL.",
        )
        refresh_status(consultation)
    mail.notify_approved(answer, consultation)
    return answer


def forward_answer(user, answer, now=None):
    """UTVOPL forwards an approved answer to the OPL, which is told by e-mail and in the app."""
    policies.require_can_forward(user)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(answer.consultation)
        answer = _lock_answer(answer)
        refuse_if(forwarding_blocked(consultation, answer))
        answer.status, answer.forwarded_by, answer.forwarded_at = AnswerStatus.FORWARDED, user, now
        answer.save(update_fields=["status", "forwarded_by", "forwarded_at"])
        Assignment.objects.filter(pk=answer.assignment_id).update(answered_at=now)
        record(
            consultation,
            EventKind.FORWARDED,
            user,
            now,
            area=answer.area,
            detail=f"Respuesta de {answer.area.code} remitida a "
            f"{mail.opl_name(consultation.state)}.",
        )
        refresh_status(consultation)
    mail.notify_forwarded(answer, consultation)
    return answer


def return_answer(user, answer, comments, now=None):
    """UTVOPL returns an approved answer to its area with comments; the area corrects it and its
    head approves it again."""
    policies.require_can_return(user)
    comments = comments.strip()
    if not comments:
        raise WorkflowError("Escriba las observaciones para el área.")
    now = now or timezone.now()
    with transaction.atomic():
        consultation = lock(answer.consultation)
        answer = _lock_answer(answer)
        refuse_if(returning_blocked(consultation, answer))
        answer.status, answer.return_comments = AnswerStatus.RETURNED, comments
        answer.approved_by = answer.approved_at = None
        answer.save(update_fields=["status", "return_comments", "approved_by", "approved_at"])
        record(
            consultation,
            EventKind.RETURNED,
            user,
            now,
            area=answer.area,
            detail=f"Devuelta a {answer.area.code}. Observaciones: {comments}",
        )
        refresh_status(consultation)
    mail.notify_returned(answer, consultation, comments)
    return answer


def _lock_answer(answer):
    return (
        Answer.objects.select_for_update(of=("self",))
        .select_related("area", "assignment")
        .get(pk=answer.pk)
    )

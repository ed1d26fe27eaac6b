"""Who hears of each SIVOPLE step, and what they read: an in-app notice and an e-mail
(accounts.notifications), with a link to the folio.

DOMAIN.md (SIVOPLE): every user of an assigned area is notified by e-mail, in the fields SIVOPLE's
own message has; the answer goes back to the OPL through the liaison unit, which hears of every
new folio and of every approved answer.
"""

from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import User
from apoyo.accounts.notifications import absolute_url, notify
from apoyo.liaison import policies
from apoyo.liaison.models import EventKind
from apoyo.liaison.timeline import count_text, record
from apoyo.processes.models import Institute

ASSIGNMENT_SUBJECT = "Se ha asignado una consulta o documento [Consultas y Documentos]"


def opl_name(state):
    """The OPL's official name as the notices and the folio page print it."""
    opl = Institute.objects.filter(state=state).first()
    return opl.name if opl else f"Organismo Público Local de {state}"


# Recipients ---------------------------------------------------------------------------------------


def utvopl_users():
    return User.objects.filter(policies.LIAISON_UNIT_STAFF, is_active=True)


def area_users(area):
    return User.objects.filter(area_memberships__area=area, is_active=True).order_by("username")


def area_heads(area):
    return area_users(area).filter(area_memberships__is_head=True)


def opl_recipients(consultation):
    """Who at the OPL hears of an answer: whoever registered the folio and the OPL's administrators."""
    return User.objects.filter(
        Q(pk=consultation.created_by_id) | policies.OPL_ADMINISTRATORS,
        state=consultation.state_id,
        is_active=True,
    )


def follow_up_recipients(areas):
    """UTVOPL, which routes the folio, and the users of the areas that must answer again."""
    return User.objects.filter(
        policies.LIAISON_UNIT_STAFF | Q(area_memberships__area__in=areas), is_active=True
    ).distinct()


# Sending ------------------------------------------------------------------------------------------


def send(users, title, body, consultation, email_subject=None):
    """Notify users of a folio; None when the mail server failed (accounts.notifications)."""
    return notify(
        users,
        title,
        body,
        url=detail_url(consultation),
        email_subject=email_subject or f"[SIVOPLE] {title}",
    )


def detail_url(consultation):
    return reverse("liaison:detail", args=[consultation.pk])


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
        *attachment_lines(consultation),
        "",
        "Consulte el documento en el sistema:",
    ]
    return ASSIGNMENT_SUBJECT, "\n".join(lines)


def attachment_lines(consultation):
    """The OPL's files of the folio (its letter and those of its follow-ups), each with its size
    and its link: the area sees what it has to read before opening the system."""
    files = consultation.attachments.filter(answer=None).order_by("uploaded_at", "pk")
    lines = [f"Anexos del OPL: {len(files) or 'ninguno'}"]
    for attachment in files:
        link = absolute_url(reverse("liaison:attachment", args=[attachment.pk]))
        lines.append(f"  - {attachment.original_name} ({filesizeformat(attachment.size)}): {link}")
    return lines


def notify_assignment(assignment, now=None):
    """E-mail and notify in the app every active user of the assigned area; the timeline records
    how many were told, so UTVOPL sees when an area has nobody to receive its work. Returns the
    number of users notified."""
    users = list(area_users(assignment.area))
    subject, body = assignment_message(assignment)
    consultation = assignment.consultation
    title = f"{consultation.folio} asignada a {assignment.area.code}"
    sent = send(users, title, body, consultation, email_subject=subject)
    record(
        consultation,
        EventKind.NOTIFIED,
        None,
        now,
        area=assignment.area,
        detail=_notified_detail(assignment.area, len(users), sent),
    )
    return len(users)


# What each other step tells ------------------------------------------------------------------------


def notify_registered(consultation):
    """A new folio waits in UTVOPL's inbox to be assigned."""
    send(
        utvopl_users(),
        f"Nuevo folio {consultation.folio} por turnar",
        f"{opl_name(consultation.state)} registró {consultation.folio} "
        f"(oficio {consultation.opl_folio}): {consultation.subject}.",
        consultation,
    )


def notify_drafted(author, assignment, consultation):
    """The area's head has a first draft to approve (later edits do not repeat the notice)."""
    area = assignment.area
    send(
        area_heads(area),
        f"Respuesta de {area.code} a {consultation.folio} por aprobar",
        f"{author} redactó el proyecto de respuesta de {area.code} a "
        f"{consultation.folio} ({consultation.subject}).",
        consultation,
    )


def notify_approved(answer, consultation):
    """UTVOPL has an approved answer to forward or return."""
    send(
        utvopl_users(),
        f"Respuesta de {answer.area.code} a {consultation.folio} por remitir",
        f"El titular de {answer.area.code} aprobó la respuesta a {consultation.folio} "
        f"({consultation.subject}).",
        consultation,
    )


def notify_forwarded(answer, consultation):
    """The OPL has INE's answer."""
    ine_folio = f", con el oficio {answer.ine_folio}," if answer.ine_folio else ""
    send(
        opl_recipients(consultation),
        f"Respuesta del INE a {consultation.folio}",
        f"La UTVOPL remitió la respuesta de {answer.area.name}{ine_folio} a {consultation.folio} "
        f"(oficio {consultation.opl_folio}): {consultation.subject}.",
        consultation,
    )


def notify_returned(answer, consultation, comments):
    """The area must correct its answer."""
    send(
        area_users(answer.area),
        f"Respuesta a {consultation.folio} devuelta con observaciones",
        f"La UTVOPL devolvió la respuesta de {answer.area.code} a {consultation.folio}: {comments}",
        consultation,
    )


def notify_follow_up(consultation, areas, text):
    """UTVOPL and the areas that must answer again hear of the OPL's follow-up."""
    send(
        follow_up_recipients(areas),
        f"Seguimiento del OPL a {consultation.folio}",
        f"{opl_name(consultation.state)} pidió un seguimiento a {consultation.folio}: {text}",
        consultation,
    )


def _notified_detail(area, users, sent):
    if not users:
        return f"El área {area.code} no tiene usuarios activos: nadie fue notificado."
    mailed = (
        f"{count_text(sent, 'correo')} enviado{'s' if sent != 1 else ''}."
        if sent is not None
        else "el correo no pudo enviarse (ver bitácora del servidor)."
    )
    return f"Aviso en el sistema a {count_text(users, 'usuario')} del área {area.code}; {mailed}"

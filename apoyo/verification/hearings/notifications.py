"""Who is told of each step of the garantía de audiencia, in the portal and by e-mail: the
aspirants when a window opens, the OPL's resolvers when a hearing request is filed, the aspirant
when it is resolved (DOMAIN.md step 6). Each runs after the commit of the step it reports."""

from django.urls import reverse

from apoyo.accounts.notifications import notify
from apoyo.processes.workdays import skipped_text
from apoyo.verification.models import RequestStatus
from apoyo.verification.policies import hearing_resolvers


def skipped_days(window):
    return skipped_text(window.start_date, window.end_date, window.office.process.state_id)


def notify_window_opened(window, aspirant, invalid):
    notify(
        [aspirant.user],
        f"Garantía de audiencia abierta: {window.office.name}",
        f"Del {window.start_date:%d/%m/%Y} al {window.end_date:%d/%m/%Y} "
        f"({window.working_days} días hábiles; {skipped_days(window)}) puede revisar sus "
        f"{invalid} apoyos no válidos de la compulsa y presentar argumentos y pruebas sobre ellos.",
        url=reverse("verification:hearing_portal"),
        email_subject="[Apoyo] Garantía de audiencia abierta",
    )


def notify_window_changed(window, aspirant, reason):
    if window.cancelled_at is not None:
        title = f"Garantía de audiencia cancelada: {window.office.name}"
        body = f"La garantía de audiencia programada se canceló. Motivo: {reason}"
    else:
        title = f"Garantía de audiencia con fechas nuevas: {window.office.name}"
        body = (
            f"Ahora va del {window.start_date:%d/%m/%Y} al {window.end_date:%d/%m/%Y} "
            f"({window.working_days} días hábiles). Motivo: {reason}"
        )
    notify(
        [aspirant.user],
        title,
        body,
        url=reverse("verification:hearing_portal"),
        email_subject="[Apoyo] Cambio en la garantía de audiencia",
    )


def notify_filed(hearing_request):
    aspirant = hearing_request.aspirant
    count = hearing_request.items.count()
    notify(
        hearing_resolvers(aspirant.office.process.state_id),
        f"Nueva solicitud de audiencia N.º {hearing_request.pk}",
        f"{aspirant.code} · {aspirant.full_name} ({aspirant.office.name}) presentó argumentos "
        f"sobre {count} apoyos.",
        url=reverse("verification:hearing_request", args=[hearing_request.pk]),
        email_subject="[Apoyo] Nueva solicitud de garantía de audiencia",
    )


def notify_resolved(hearing_request):
    aspirant = hearing_request.aspirant
    if aspirant.user is None:
        return
    outcome = hearing_request.get_status_display()
    lines = [f"Resolución: {outcome}."]
    for item in hearing_request.items.select_related("support").order_by("support_id"):
        lines.append(
            f"- {item.support.elector_key}: {item.get_decision_display()}. Fundamento: {item.reason}"
        )
    if hearing_request.resolution:
        lines.append(f"Observaciones: {hearing_request.resolution}")
    if hearing_request.status != RequestStatus.REJECTED:
        lines.append(
            "Se corrigieron los apoyos procedentes y se recalculan los resultados de su cargo; "
            "consúltelos en «Mis resultados»."
        )
    body = "\n".join(lines)
    notify(
        [aspirant.user],
        f"Su solicitud de audiencia N.º {hearing_request.pk} fue resuelta: {outcome.lower()}",
        body,
        url=reverse("verification:hearing_portal_request", args=[hearing_request.pk]),
        email_subject="[Apoyo] Resolución de su solicitud de garantía de audiencia",
    )

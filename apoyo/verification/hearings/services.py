"""The garantía de audiencia's rules (DOMAIN.md step 6: after the count the aspirant may review each
invalidated support and present arguments or evidence within a set number of days; the OPL
resolves each one and the result is recomputed).

State machine of a hearing request: filed -> upheld | rejected (both final). A window is scheduled
before its start, open from its start to its end (both included, dates in settings.TIME_ZONE),
closed after; hearing requests are filed only while it is open, and resolved at any time. Who may
act is asked of apoyo.verification.policies; everyone is bounded by their entity.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.audit import record
from apoyo.processes.workdays import skipped_text, term_end
from apoyo.supports.models import Support
from apoyo.verification import policies
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.hearings.evidence import check_evidence, store_evidence
from apoyo.verification.hearings.notifications import (
    notify_filed,
    notify_window_changed,
    notify_window_opened,
)
from apoyo.verification.models import (
    AspirantResult,
    HearingItem,
    HearingRequest,
    HearingWindow,
    RequestStatus,
    SupportResult,
    WindowState,
)
from apoyo.verification.services import current_run

DEFAULT_WORKING_DAYS = 5
MAX_WORKING_DAYS = 30
MAX_ARGUMENT_CHARS = 5000
MAX_REASON_CHARS = 2000
# The correction column that lifts the mesa de control's inconsistency (with the value "").
LIFT = "TIPO_INCONSISTENCIA"
OTHER_ENTITY = "El cargo no es de su entidad."


def today():
    """The current date where the institute is (settings.TIME_ZONE): windows are whole days, and
    this is the one clock every rule of the hearing reads."""
    return timezone.localdate()


def window_state(window):
    return window.state_on(today())


def state_label(window):
    return WindowState(window_state(window)).label


# Opening a window -----------------------------------------------------------------------------


def skipped_days(window):
    """Which days the window's term skipped besides weekends, in Spanish."""
    return skipped_text(window.start_date, window.end_date, window.office.process.state_id)


def window_end(office, start, working_days):
    """The last day of the term: `working_days` working days from `start`, skipping weekends and
    the national and the entity's holidays (processes.workdays.term_end)."""
    return term_end(start, working_days, office.process.state_id)


def unclosed_window(office):
    """A window of the office that is scheduled or open today, if any (a cancelled one is not)."""
    windows = HearingWindow.objects.filter(office=office, cancelled_at__isnull=True)
    return windows.filter(end_date__gte=today()).first()


def changed_since_run(office, run):
    """How many supports of the office were captured, decided, corrected or withdrawn after the
    compulsa read them. A window on that compulsa would not show them to the aspirants (a support
    rejected later could not be argued), so opening one asks for a new compulsa first."""
    since = run.started_at or run.created_at
    supports = Support.objects.filter(aspirant__office=office)
    changed = supports.filter(Q(captured_at__gt=since) | Q(changes__at__gt=since))
    return changed.values("pk").distinct().count()


def stale_run_message(run, changed):
    return (
        f"{changed} apoyos se capturaron, se decidieron en la mesa de control o se corrigieron "
        f"después de la compulsa vigente N.º {run.pk}: ejecute una compulsa nueva antes de abrir "
        "la garantía de audiencia, para que las personas aspirantes puedan argumentarlos."
    )


def latest_window(office):
    return HearingWindow.objects.filter(office=office).select_related("run").first()


def open_window(user, office, start_date, working_days=DEFAULT_WORKING_DAYS):
    """Open the garantía de audiencia of an office (DOMAIN.md step 6: a set number of days,
    5 working days by default, configurable).

    Only who policies.can_open_hearing_window allows; only after a compulsa (the window follows
    the office's current run); the start may not be in the past; one window at a time per office.
    Every aspirant of the office with a portal account is notified (in the portal and by e-mail).
    """
    if not policies.can_open_hearing_window(user):
        raise HearingError("Solo un administrador del OPL puede abrir la garantía de audiencia.")
    if not policies.can_open_hearing_window(user, office):
        raise HearingError(OTHER_ENTITY)
    run = current_run(office)
    if run is None:
        raise HearingError(
            "El cargo aún no tiene compulsa: ejecute la compulsa antes de abrir la audiencia."
        )
    changed = changed_since_run(office, run)
    if changed:
        raise HearingError(stale_run_message(run, changed))
    check_term(start_date, working_days)
    existing = unclosed_window(office)
    if existing is not None:
        raise HearingError(
            "Ya hay una garantía de audiencia de este cargo del "
            f"{existing.start_date:%d/%m/%Y} al {existing.end_date:%d/%m/%Y}; "
            "solo puede abrirse otra cuando termine."
        )
    with transaction.atomic():
        window = HearingWindow.objects.create(
            office=office,
            run=run,
            start_date=start_date,
            working_days=working_days,
            end_date=window_end(office, start_date, working_days),
            opened_by=user,
        )
        invalid = invalid_counts(run)
        for aspirant in office.aspirants.filter(user__isnull=False).select_related("user"):
            transaction.on_commit(
                partial(notify_window_opened, window, aspirant, invalid.get(aspirant.pk, 0)),
                robust=True,
            )
    return window


def cancel_window(user, window, reason):
    """Cancel a window opened by mistake, before it starts (logged with its reason in the window
    and in the bitácora; the aspirants are told)."""
    check_scheduled(user, window)
    reason = change_reason(reason)
    with transaction.atomic():
        window.cancelled_at = timezone.now()
        window.changes = [*window.changes, change_entry(user, "Cancelada", reason)]
        window.save(update_fields=["cancelled_at", "changes"])
        record(user, "audiencia cancelada", "garantía de audiencia", window.pk, reason)
        notify_aspirants(window, partial(notify_window_changed, window=window, reason=reason))
    return window


def reschedule_window(user, window, start_date, working_days, reason):
    """Give a window that has not started a new start and term (logged like a cancellation; the
    aspirants are told the new dates)."""
    check_scheduled(user, window)
    reason = change_reason(reason)
    check_term(start_date, working_days)
    before = f"{window.start_date:%d/%m/%Y} al {window.end_date:%d/%m/%Y}"
    with transaction.atomic():
        window.start_date = start_date
        window.working_days = working_days
        window.end_date = window_end(window.office, start_date, working_days)
        what = f"Fechas cambiadas: del {before} al del {start_date:%d/%m/%Y} al {window.end_date:%d/%m/%Y}"
        window.changes = [*window.changes, change_entry(user, what, reason)]
        window.save(update_fields=["start_date", "working_days", "end_date", "changes"])
        record(
            user, "audiencia reprogramada", "garantía de audiencia", window.pk, f"{what}. {reason}"
        )
        notify_aspirants(window, partial(notify_window_changed, window=window, reason=reason))
    return window


def check_scheduled(user, window):
    if not policies.can_open_hearing_window(user, window.office):
        raise HearingError("Solo un administrador del OPL de la entidad cambia la audiencia.")
    if window_state(window) != WindowState.SCHEDULED:
        raise HearingError(
            "Solo se cancela o se cambia de fechas una garantía de audiencia que aún no inicia."
        )


def change_reason(reason):
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise HearingError(
            "Indique el motivo del cambio: queda en la bitácora y se avisa a las personas aspirantes."
        )
    return reason[:500]


def change_entry(user, what, reason):
    return {"at": timezone.now().isoformat(), "by": str(user), "what": what, "reason": reason}


def notify_aspirants(window, notice):
    for aspirant in window.office.aspirants.filter(user__isnull=False).select_related("user"):
        transaction.on_commit(partial(notice, aspirant=aspirant), robust=True)


def check_term(start_date, working_days):
    if start_date is None:
        raise HearingError("Indique la fecha de inicio de la audiencia.")
    if start_date < today():
        raise HearingError("La fecha de inicio no puede ser anterior a hoy.")
    if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
        raise HearingError(f"El plazo debe ser de 1 a {MAX_WORKING_DAYS} días hábiles.")


def invalid_counts(run):
    """{aspirant id: supports that did not count} of a run, from its per-aspirant counts."""
    results = AspirantResult.objects.filter(run=run).values_list("aspirant_id", "captured", "valid")
    return {aspirant: captured - valid for aspirant, captured, valid in results}


# What an aspirant may argue -----------------------------------------------------------------------


def invalid_results(window, aspirant):
    """The aspirant's supports that did not count in the compulsa the window follows."""
    return SupportResult.objects.filter(run=window.run, aspirant=aspirant, valid=False)


def blocked_support_ids(window, support_ids):
    """Of these supports, those that cannot be filed again: in a pending hearing request (of any
    window) or in a hearing request of this window already upheld. A rejected one may be argued
    again while the window is open."""
    items = HearingItem.objects.filter(support_id__in=support_ids)
    pending = items.filter(pending=True)
    upheld = items.filter(request__window=window, request__status=RequestStatus.UPHELD)
    return set(pending.values_list("support_id", flat=True)) | set(
        upheld.values_list("support_id", flat=True)
    )


def hearing_state_by_support(window, support_ids):
    """{support id: (hearing request id, its status)} of the newest hearing request of this
    window that covers each support."""
    items = (
        HearingItem.objects.filter(support_id__in=support_ids, request__window=window)
        .order_by("request__filed_at", "request_id")
        .values_list("support_id", "request_id", "request__status")
    )
    return {
        support_id: (hearing_request_id, status) for support_id, hearing_request_id, status in items
    }


# Filing a hearing request -----------------------------------------------------------------------


def file_hearing_request(user, window, support_ids, argument, files=()):
    """File a hearing request about one or several supports of the user's own aspirant.

    Refused when policies.can_file_hearing_request does not allow it (only the aspirant's portal
    account, in a window of the aspirant's office), when the window is not open today (before
    its start or after its end nothing can be filed), when a support is not the aspirant's or did
    not come out invalid in the window's compulsa, when a support is already in a pending hearing
    request (or in an upheld one of this window), without an argument, or when an evidence file
    is not of an accepted type by its content. Notifies the OPL's resolvers of the entity.
    """
    if not policies.can_file_hearing_request(user):
        raise HearingError(
            "Solo la persona aspirante, desde su portal, puede presentar solicitudes de audiencia."
        )
    if not policies.can_file_hearing_request(user, window):
        raise HearingError("Esta garantía de audiencia no es de su cargo.")
    aspirant = policies.own_aspirant(user)
    check_window_open(window)
    argument = clean_argument(argument)
    motives = eligible_motives(window, aspirant, support_ids)
    evidence = check_evidence(files)
    try:
        with transaction.atomic():
            hearing_request = HearingRequest.objects.create(
                window=window, aspirant=aspirant, argument=argument, filed_by=user
            )
            HearingItem.objects.bulk_create(
                HearingItem(request=hearing_request, support_id=support_id, motive=motive)
                for support_id, motive in motives.items()
            )
            for number, item in enumerate(evidence, start=1):
                store_evidence(hearing_request, number, item)
            transaction.on_commit(partial(notify_filed, hearing_request), robust=True)
    except IntegrityError as error:
        # Two filings at once for the same support: the database keeps one pending hearing
        # request per support (HearingItem's hearing_item_one_pending).
        raise HearingError(
            "Alguno de los apoyos ya está en otra solicitud pendiente de resolver."
        ) from error
    return hearing_request


def check_window_open(window):
    state = window_state(window)
    if state == WindowState.SCHEDULED:
        raise HearingError(
            f"La garantía de audiencia inicia el {window.start_date:%d/%m/%Y}; "
            "aún no se pueden presentar solicitudes."
        )
    if state == WindowState.CLOSED:
        raise HearingError(
            f"La garantía de audiencia terminó el {window.end_date:%d/%m/%Y}; "
            "ya no se pueden presentar solicitudes."
        )


def clean_argument(argument):
    argument = (argument or "").strip()
    if not argument:
        raise HearingError("Escriba sus argumentos.")
    if len(argument) > MAX_ARGUMENT_CHARS:
        raise HearingError(
            f"Los argumentos no pueden exceder {MAX_ARGUMENT_CHARS} caracteres "
            f"(tienen {len(argument)})."
        )
    return argument


def eligible_motives(window, aspirant, support_ids):
    """{support id: motivo} for the supports asked about, or HearingError naming what is wrong."""
    try:
        ids = sorted({int(pk) for pk in support_ids or []})
    except (TypeError, ValueError) as error:
        raise HearingError("Seleccione apoyos de la lista.") from error
    if not ids:
        raise HearingError("Seleccione al menos un apoyo.")
    motives = dict(
        invalid_results(window, aspirant)
        .filter(support_id__in=ids)
        .values_list("support_id", "motive")
    )
    foreign = [pk for pk in ids if pk not in motives]
    if foreign:
        raise HearingError(
            f"{len(foreign)} de los apoyos seleccionados no son suyos o no resultaron inválidos "
            "en la compulsa de esta audiencia."
        )
    blocked = blocked_support_ids(window, ids)
    if blocked:
        raise HearingError(
            f"{len(blocked)} de los apoyos seleccionados ya están en una solicitud pendiente "
            "o ya fueron resueltos a su favor."
        )
    return motives


# Summaries ----------------------------------------------------------------------------------------


def hearing_request_counts(hearing_requests):
    """{'filed': n, 'upheld': n, 'rejected': n, 'total': n} of a queryset of hearing requests."""
    counts = dict.fromkeys(RequestStatus.values, 0)
    for status in hearing_requests.values_list("status", flat=True):
        counts[status] += 1
    counts["total"] = sum(counts.values())
    return counts

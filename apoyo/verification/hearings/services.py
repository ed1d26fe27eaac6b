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
from django.utils import timezone

from apoyo.processes.workdays import term_end
from apoyo.supports.services import correct_by_ruling, display, support_values
from apoyo.verification import policies
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.hearings.evidence import check_evidence, store_evidence
from apoyo.verification.hearings.notifications import (
    notify_filed,
    notify_resolved,
    notify_window_opened,
)
from apoyo.verification.models import (
    AspirantResult,
    CheckRun,
    HearingItem,
    HearingRequest,
    HearingWindow,
    RequestStatus,
    RunStatus,
    SupportResult,
    WindowState,
)
from apoyo.verification.services import STALE_AFTER, current_run
from apoyo.verification.tasks import queue_check

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


def window_end(office, start, working_days):
    """The last day of the term: `working_days` working days from `start`, skipping weekends and
    the national and the entity's holidays (processes.workdays.term_end)."""
    return term_end(start, working_days, office.process.state_id)


def unclosed_window(office):
    """A window of the office that is scheduled or open today, if any."""
    return HearingWindow.objects.filter(office=office, end_date__gte=today()).first()


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


# Resolving a hearing request --------------------------------------------------------------------


def resolve_hearing_request(user, hearing_request, decision, reason="", corrections=None):
    """Resolve a filed hearing request (filed -> upheld | rejected; both final).

    Upheld: the corrections are applied with supports.services.correct_by_ruling, so every change
    is in the support's history: `corrections` maps a support id of the hearing request to cédula
    columns and new values (TIPO_INCONSISTENCIA "" lifts the inconsistency); at least one support
    must change. Then the office's results are recomputed by a compulsa queued after the commit
    (verification.tasks.check_office). Rejected: the reason is required; no data changes, so
    nothing is recomputed. Either way the aspirant is notified in the portal and by e-mail. Only
    who policies.can_resolve_hearing_request allows resolves; an aspirant never does.
    """
    if not policies.can_resolve_hearing_request(user):
        raise HearingError(
            "Solo un administrador o un revisor del OPL puede resolver solicitudes de audiencia."
        )
    if not policies.can_resolve_hearing_request(user, hearing_request):
        raise HearingError(OTHER_ENTITY)
    reason = check_decision(decision, reason)
    with transaction.atomic():
        # Lock the row: two people resolving the same hearing request at once, only one wins.
        hearing_request = HearingRequest.objects.select_for_update().get(pk=hearing_request.pk)
        if not hearing_request.is_pending:
            raise HearingError(
                f"La solicitud ya fue resuelta como {hearing_request.get_status_display().lower()}."
            )
        if decision == RequestStatus.UPHELD:
            apply_corrections(user, hearing_request, corrections or {})
        hearing_request.status = decision
        hearing_request.resolution = reason
        hearing_request.resolved_by = user
        hearing_request.resolved_at = timezone.now()
        if decision == RequestStatus.UPHELD:
            hearing_request.recheck_run = recompute(hearing_request.aspirant.office, user)
        hearing_request.save(
            update_fields=["status", "resolution", "resolved_by", "resolved_at", "recheck_run"]
        )
        hearing_request.items.update(pending=False)
        transaction.on_commit(partial(notify_resolved, hearing_request), robust=True)
    return hearing_request


def check_decision(decision, reason):
    """The reason, stripped; refused when the decision is unknown, or rejected without a reason."""
    if decision not in (RequestStatus.UPHELD, RequestStatus.REJECTED):
        raise HearingError("Indique si la solicitud es procedente o improcedente.")
    reason = (reason or "").strip()
    if decision == RequestStatus.REJECTED and not reason:
        raise HearingError("Indique el motivo por el que la solicitud es improcedente.")
    if len(reason) > MAX_REASON_CHARS:
        raise HearingError(
            f"El fundamento no puede exceder {MAX_REASON_CHARS} caracteres (tiene {len(reason)})."
        )
    return reason


def apply_corrections(user, hearing_request, corrections):
    """Correct each support of an upheld hearing request; all or nothing. Records
    {column: [old, new]} on each item."""
    items = {item.support_id: item for item in hearing_request.items.select_related("support")}
    try:
        corrections = {int(pk): changes for pk, changes in corrections.items()}
    except (TypeError, ValueError) as error:
        raise HearingError("Solo pueden corregirse los apoyos de la solicitud.") from error
    if any(pk not in items for pk in corrections):
        raise HearingError("Solo pueden corregirse los apoyos de la solicitud.")
    changed, errors = 0, []
    for support_id, item in items.items():
        changes = corrections.get(support_id) or {}
        if not changes:
            continue
        support = item.support
        before = support_values(support)
        result = correct_by_ruling(user, support, changes)
        if result.errors:
            errors.extend(
                f"Apoyo {support.elector_key}: {error.message}" for error in result.errors
            )
            continue
        after = support_values(result.support)
        diff = {
            column: [display(before[column]), display(after[column])]
            for column in before
            if before[column] != after[column]
        }
        if diff:
            item.changes = diff
            item.save(update_fields=["changes"])
            changed += 1
    if errors:
        raise HearingError("No se pudo aplicar la corrección.", errors)
    if not changed:
        raise HearingError(
            "Para declarar procedente la solicitud, levante la inconsistencia o corrija algún "
            "dato de al menos uno de sus apoyos."
        )


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


# Summaries ----------------------------------------------------------------------------------------


def hearing_request_counts(hearing_requests):
    """{'filed': n, 'upheld': n, 'rejected': n, 'total': n} of a queryset of hearing requests."""
    counts = dict.fromkeys(RequestStatus.values, 0)
    for status in hearing_requests.values_list("status", flat=True):
        counts[status] += 1
    counts["total"] = sum(counts.values())
    return counts

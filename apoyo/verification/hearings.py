"""Garantía de audiencia (DOMAIN.md, lifecycle step 6).

After a compulsa the OPL administrator opens a hearing window for an office: a start date and a
term in working days (weekends and configured holidays skipped). Inside the window each aspirant
may file requests about their supports that are invalid in the compulsa the window follows: an
argument and evidence files, for one support or a group. The OPL resolves each request: upheld
(the inconsistency is lifted or the data corrected, with the support's history; the office's
results are then recomputed) or rejected (with a reason). The aspirant is notified either way.

State machine of a request: filed -> upheld | rejected (both final). A window is scheduled before
its start, open from its start to its end (both included, dates in settings.TIME_ZONE), closed
after; requests are filed only while it is open, and resolved at any time.

Who may do what: the OPL administrator opens windows; the OPL administrator and the OPL reviewer
(who also keeps the mesa de control) resolve requests; only the aspirant's own portal account
files requests, for the aspirant's own supports. Everyone is bounded by their entity.
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import Role, User
from apoyo.accounts.notifications import notify
from apoyo.core.filetypes import DOCUMENTS, KIND_NAMES, check_upload, sha256_of
from apoyo.processes.workdays import term_end
from apoyo.supports.services import correct_by_ruling, display, support_values
from apoyo.verification.models import (
    AspirantResult,
    CheckRun,
    HearingEvidence,
    HearingItem,
    HearingRequest,
    HearingWindow,
    RequestStatus,
    RunStatus,
    SupportResult,
    WindowState,
)
from apoyo.verification.services import STALE_AFTER, current_run, start_run
from apoyo.verification.tasks import check_office

DEFAULT_WORKING_DAYS = 5
MAX_WORKING_DAYS = 30
MAX_ARGUMENT_CHARS = 5000
MAX_REASON_CHARS = 2000
MAX_EVIDENCE_FILES = 10
EVIDENCE_EXTENSIONS = {
    "pdf": "pdf",
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odf": "odt",
    "ole": "doc",
}
RESOLVER_ROLES = frozenset({Role.OPL_ADMIN, Role.OPL_REVIEWER})
LIFT = "TIPO_INCONSISTENCIA"


class HearingError(Exception):
    """A hearing action was refused; the message says why, in Spanish."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.details = details or []


def today():
    """The current date where the institute is (settings.TIME_ZONE): windows are whole days."""
    return timezone.localdate()


def max_evidence_bytes():
    return settings.APOYO_EVIDENCE_MAX_BYTES


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

    Only an OPL administrator of the office's entity; only after a compulsa (the window follows
    the office's current run); the start may not be in the past; one window at a time per office.
    Every aspirant of the office with a portal account is notified (in the portal and by e-mail).
    """
    if not (user.is_superuser or user.role == Role.OPL_ADMIN):
        raise HearingError("Solo un administrador del OPL puede abrir la garantía de audiencia.")
    check_same_state(user, office)
    run = current_run(office)
    if run is None:
        raise HearingError(
            "El cargo aún no tiene compulsa: ejecute la compulsa antes de abrir la audiencia."
        )
    if start_date is None:
        raise HearingError("Indique la fecha de inicio de la audiencia.")
    if start_date < today():
        raise HearingError("La fecha de inicio no puede ser anterior a hoy.")
    if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
        raise HearingError(f"El plazo debe ser de 1 a {MAX_WORKING_DAYS} días hábiles.")
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


def invalid_counts(run):
    """{aspirant id: supports that did not count} of a run, from its per-aspirant counts."""
    results = AspirantResult.objects.filter(run=run).values_list("aspirant_id", "captured", "valid")
    return {aspirant: captured - valid for aspirant, captured, valid in results}


def notify_window_opened(window, aspirant, invalid):
    notify(
        [aspirant.user],
        f"Garantía de audiencia abierta: {window.office.name}",
        f"Del {window.start_date:%d/%m/%Y} al {window.end_date:%d/%m/%Y} "
        f"({window.working_days} días hábiles) puede revisar sus {invalid} apoyos no válidos "
        "de la compulsa y presentar argumentos y pruebas sobre ellos.",
        url=reverse("verification:hearing_portal"),
        email_subject="[Apoyo] Garantía de audiencia abierta",
    )


def check_same_state(user, office):
    if not user.is_superuser and user.state_id != office.process.state_id:
        raise HearingError("El cargo no es de su entidad.")


# What an aspirant may argue -----------------------------------------------------------------------


def invalid_results(window, aspirant):
    """The aspirant's supports that did not count in the compulsa the window follows."""
    return SupportResult.objects.filter(run=window.run, aspirant=aspirant, valid=False)


def blocked_support_ids(window, support_ids):
    """Of these supports, those that cannot be filed again: in a pending request (of any window)
    or in a request of this window already upheld. A rejected request may be argued again while
    the window is open."""
    items = HearingItem.objects.filter(support_id__in=support_ids)
    pending = items.filter(pending=True)
    upheld = items.filter(request__window=window, request__status=RequestStatus.UPHELD)
    return set(pending.values_list("support_id", flat=True)) | set(
        upheld.values_list("support_id", flat=True)
    )


def hearing_state_by_support(window, support_ids):
    """{support id: (request id, request status)} of the newest request of this window that
    covers each support."""
    items = (
        HearingItem.objects.filter(support_id__in=support_ids, request__window=window)
        .order_by("request__filed_at", "request_id")
        .values_list("support_id", "request_id", "request__status")
    )
    return {support_id: (request_id, status) for support_id, request_id, status in items}


# Filing a request ---------------------------------------------------------------------------------


@dataclass
class EvidenceFile:
    """An uploaded file that passed the content check, ready to store."""

    uploaded: object
    kind: str
    size: int


def check_evidence(files):
    """Judge every evidence file by its content (apoyo.core.filetypes: PDF, images and office
    documents; a renamed file is judged by its bytes) and size; raise HearingError listing each
    refused file."""
    files = list(files or [])
    if len(files) > MAX_EVIDENCE_FILES:
        raise HearingError(f"Adjunte como máximo {MAX_EVIDENCE_FILES} archivos por solicitud.")
    checked, errors = [], []
    for uploaded in files:
        try:
            kind = check_upload(uploaded, DOCUMENTS, max_evidence_bytes())
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        checked.append(EvidenceFile(uploaded=uploaded, kind=kind, size=uploaded.size))
    if errors:
        raise HearingError("Algunos archivos no se aceptaron.", errors)
    return checked


def file_request(user, window, support_ids, argument, files=()):
    """File a request of garantía de audiencia about one or several supports of the user's own
    aspirant.

    Refused when the user is not the aspirant's portal account, when the window is not open today
    (before its start or after its end nothing can be filed), when a support is not the
    aspirant's or did not come out invalid in the window's compulsa, when a support is already in
    a pending request (or in an upheld one of this window), without an argument, or when an
    evidence file is not of an accepted type by its content. Notifies the OPL's administrators and
    reviewers of the entity.
    """
    aspirant = aspirant_of(user)
    if aspirant.office_id != window.office_id:
        raise HearingError("Esta garantía de audiencia no es de su cargo.")
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
    argument = (argument or "").strip()
    if not argument:
        raise HearingError("Escriba sus argumentos.")
    if len(argument) > MAX_ARGUMENT_CHARS:
        raise HearingError(
            f"Los argumentos no pueden exceder {MAX_ARGUMENT_CHARS} caracteres "
            f"(tienen {len(argument)})."
        )
    motives = eligible_motives(window, aspirant, support_ids)
    evidence = check_evidence(files)
    try:
        with transaction.atomic():
            request = HearingRequest.objects.create(
                window=window, aspirant=aspirant, argument=argument, filed_by=user
            )
            HearingItem.objects.bulk_create(
                HearingItem(request=request, support_id=support_id, motive=motive)
                for support_id, motive in motives.items()
            )
            for number, item in enumerate(evidence, start=1):
                store_evidence(request, number, item)
            transaction.on_commit(partial(notify_filed, request), robust=True)
    except IntegrityError as error:
        # Two filings at once for the same support: the database keeps one pending request.
        raise HearingError(
            "Alguno de los apoyos ya está en otra solicitud pendiente de resolver."
        ) from error
    return request


def aspirant_of(user):
    aspirant = getattr(user, "aspirant", None) if user.role == Role.ASPIRANT else None
    if aspirant is None:
        raise HearingError(
            "Solo la persona aspirante, desde su portal, puede presentar solicitudes de audiencia."
        )
    return aspirant


def eligible_motives(window, aspirant, support_ids):
    """{support id: motivo} for the requested supports, or HearingError naming what is wrong."""
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


def store_evidence(request, number, item):
    """Save the file through Django's storage under a name of ours (never the uploaded one)."""
    uploaded = item.uploaded
    sha256 = sha256_of(uploaded)
    evidence = HearingEvidence(
        request=request,
        original_name=(uploaded.name or "archivo")[:255],
        kind=item.kind,
        size=item.size,
        sha256=sha256,
    )
    name = f"solicitud-{request.pk}-{number}.{EVIDENCE_EXTENSIONS[item.kind]}"
    evidence.file.save(name, File(uploaded), save=False)
    evidence.save()
    return evidence


def opl_resolvers(state_id):
    return User.objects.filter(is_active=True, state_id=state_id, role__in=RESOLVER_ROLES)


def notify_filed(request):
    aspirant = request.aspirant
    count = request.items.count()
    notify(
        opl_resolvers(aspirant.office.process.state_id),
        f"Nueva solicitud de audiencia N.º {request.pk}",
        f"{aspirant.code} · {aspirant.full_name} ({aspirant.office.name}) presentó argumentos "
        f"sobre {count} apoyos.",
        url=reverse("verification:hearing_request", args=[request.pk]),
        email_subject="[Apoyo] Nueva solicitud de garantía de audiencia",
    )


# Resolving a request ----------------------------------------------------------------------------


def can_resolve(user):
    return user.is_superuser or user.role in RESOLVER_ROLES


def resolve_request(user, request, decision, reason="", corrections=None):
    """Resolve a filed request (filed -> upheld | rejected; both final).

    Upheld: the corrections are applied with supports.services.correct_by_ruling, so every change is
    in the support's history: `corrections` maps a support id of the request to cédula columns and
    new values (TIPO_INCONSISTENCIA "" lifts the inconsistency); at least one support must change.
    Then the office's results are recomputed by a compulsa queued after the commit
    (verification.tasks.check_office). Rejected: the reason is required; no data changes, so
    nothing is recomputed. Either way the aspirant is notified in the portal and by e-mail. Only an
    OPL administrator or reviewer of the entity resolves; an aspirant never does.
    """
    if not can_resolve(user):
        raise HearingError(
            "Solo un administrador o un revisor del OPL puede resolver solicitudes de audiencia."
        )
    check_same_state(user, request.aspirant.office)
    if decision not in (RequestStatus.UPHELD, RequestStatus.REJECTED):
        raise HearingError("Indique si la solicitud es procedente o improcedente.")
    reason = (reason or "").strip()
    if decision == RequestStatus.REJECTED and not reason:
        raise HearingError("Indique el motivo por el que la solicitud es improcedente.")
    if len(reason) > MAX_REASON_CHARS:
        raise HearingError(
            f"El fundamento no puede exceder {MAX_REASON_CHARS} caracteres (tiene {len(reason)})."
        )
    with transaction.atomic():
        # Lock the row: two people resolving the same request at once, only one wins.
        request = HearingRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_pending:
            raise HearingError(
                f"La solicitud ya fue resuelta como {request.get_status_display().lower()}."
            )
        if decision == RequestStatus.UPHELD:
            apply_corrections(user, request, corrections or {})
        request.status = decision
        request.resolution = reason
        request.resolved_by = user
        request.resolved_at = timezone.now()
        if decision == RequestStatus.UPHELD:
            request.recheck_run = recompute(request.aspirant.office, user)
        request.save(
            update_fields=["status", "resolution", "resolved_by", "resolved_at", "recheck_run"]
        )
        request.items.update(pending=False)
        transaction.on_commit(partial(notify_resolved, request), robust=True)
    return request


def apply_corrections(user, request, corrections):
    """Correct each support of an upheld request; all or nothing. Records {column: [old, new]}
    on each item."""
    items = {item.support_id: item for item in request.items.select_related("support")}
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
    requests in a row queues one compulsa, not twenty."""
    waiting = CheckRun.objects.select_for_update().filter(
        office=office, status=RunStatus.QUEUED, created_at__gte=timezone.now() - STALE_AFTER
    )
    run = waiting.order_by("-created_at").first()
    if run is not None:
        return run
    run = start_run(office, user)
    transaction.on_commit(partial(check_office.enqueue, run.pk))
    return run


def notify_resolved(request):
    aspirant = request.aspirant
    if aspirant.user is None:
        return
    outcome = request.get_status_display()
    body = f"Resolución: {outcome}."
    if request.resolution:
        body += f"\nFundamento: {request.resolution}"
    if request.status == RequestStatus.UPHELD:
        body += "\nSe corrigieron sus apoyos y se recalculan los resultados de su cargo; "
        body += "consúltelos en «Mis resultados»."
    notify(
        [aspirant.user],
        f"Su solicitud de audiencia N.º {request.pk} fue resuelta: {outcome.lower()}",
        body,
        url=reverse("verification:hearing_portal_request", args=[request.pk]),
        email_subject="[Apoyo] Resolución de su solicitud de garantía de audiencia",
    )


# Summaries ----------------------------------------------------------------------------------------


def request_counts(requests):
    """{'filed': n, 'upheld': n, 'rejected': n, 'total': n} of a queryset of requests."""
    counts = dict.fromkeys(RequestStatus.values, 0)
    for status in requests.values_list("status", flat=True):
        counts[status] += 1
    counts["total"] = sum(counts.values())
    return counts


def evidence_label(evidence):
    return KIND_NAMES.get(evidence.kind, evidence.kind)

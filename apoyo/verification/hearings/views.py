"""Pages of the garantía de audiencia: the OPL opens a window for an office, follows its hearing
requests, views the evidence and resolves; the aspirant, in the portal, argues their invalidated
supports. The rules are in services.py, who may act in apoyo.verification.policies."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin, PolicyRequiredMixin
from apoyo.core.datafiles import request_too_large, too_large_message
from apoyo.core.filetypes import CONTENT_TYPES, SCANS
from apoyo.core.pagination import paginate
from apoyo.processes.forms import DateInput
from apoyo.verification import policies
from apoyo.verification.hearings import services
from apoyo.verification.hearings.errors import HearingError
from apoyo.verification.hearings.evidence import MAX_EVIDENCE_FILES, max_evidence_bytes
from apoyo.verification.hearings.resolution import resolve_hearing_request
from apoyo.verification.hearings.rows import (
    evidence_rows,
    invalid_rows,
    item_rows,
    keep_posted,
    rulings_from,
    window_rows,
)
from apoyo.verification.lookups import portal_aspirant, visible_office
from apoyo.verification.models import (
    HearingEvidence,
    HearingRequest,
    HearingWindow,
    Motive,
    RequestStatus,
    WindowState,
)
from apoyo.verification.services import current_run

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt"


# OPL: an office's hearing -----------------------------------------------------------------------


class OpenWindowForm(forms.Form):
    start_date = forms.DateField(label="Fecha de inicio", widget=DateInput())
    working_days = forms.IntegerField(
        label="Días hábiles",
        min_value=1,
        max_value=services.MAX_WORKING_DAYS,
        initial=services.DEFAULT_WORKING_DAYS,
        help_text="Se descuentan sábados, domingos y los días inhábiles nacionales y de su entidad.",
    )


def office_hearing_requests(request, office):
    """The office's hearing requests the user may see, filtered by ?estado=."""
    hearing_requests = (
        HearingRequest.objects.visible_to(request.user)
        .filter(window__office=office)
        .select_related("aspirant", "window", "resolved_by")
    )
    status = request.GET.get("estado", "")
    if status in RequestStatus.values:
        hearing_requests = hearing_requests.filter(status=status)
    return hearing_requests, status


class HearingOfficeView(PolicyRequiredMixin, View):
    """The windows of an office, the form to open one (administrators) and its hearing requests."""

    policy = policies.can_see_results

    def get(self, request, pk):
        office = visible_office(request, pk)
        form = OpenWindowForm(initial={"start_date": services.today()})
        return render_office(request, office, form)


class ChangeWindowForm(OpenWindowForm):
    reason = forms.CharField(
        label="Motivo del cambio",
        max_length=500,
        help_text="Queda en la bitácora y se avisa a las personas aspirantes.",
    )


class CancelWindowForm(forms.Form):
    reason = forms.CharField(label="Motivo de la cancelación", max_length=500)


def render_office(request, office, form, status=200, change_form=None):
    hearing_requests, status_filter = office_hearing_requests(request, office)
    run = current_run(office)
    unclosed = services.unclosed_window(office)
    scheduled = unclosed if unclosed and services.window_state(unclosed) == "scheduled" else None
    context = {
        "office": office,
        "run": run,
        "stale": services.changed_since_run(office, run) if run else 0,
        "windows": window_rows(
            HearingWindow.objects.filter(office=office).select_related("opened_by")
        ),
        "unclosed": unclosed,
        "scheduled": scheduled,
        "change_form": change_form
        or ChangeWindowForm(
            initial={
                "start_date": getattr(scheduled, "start_date", None),
                "working_days": getattr(scheduled, "working_days", None),
            }
        ),
        "cancel_form": CancelWindowForm(),
        "can_open_window": policies.can_open_hearing_window(request.user, office),
        "can_run_check": policies.can_run_check(request.user, office),
        "form": form,
        "page": paginate(request, hearing_requests),
        "status": status_filter,
        "statuses": RequestStatus.choices,
        "counts": services.hearing_request_counts(
            HearingRequest.objects.filter(window__office=office)
        ),
    }
    return render(request, "verification/hearing_office.html", context, status=status)


class HearingOpenView(PolicyRequiredMixin, View):
    """Open the garantía de audiencia of the office (services.open_window)."""

    policy = policies.can_open_hearing_window

    def post(self, request, pk):
        office = visible_office(request, pk)
        form = OpenWindowForm(request.POST)
        if not form.is_valid():
            return render_office(request, office, form, status=400)
        try:
            window = services.open_window(
                request.user,
                office,
                form.cleaned_data["start_date"],
                form.cleaned_data["working_days"],
            )
        except HearingError as error:
            form.add_error(None, str(error))
            return render_office(request, office, form, status=400)
        messages.success(
            request,
            f"Garantía de audiencia abierta del {window.start_date:%d/%m/%Y} al "
            f"{window.end_date:%d/%m/%Y} ({window.working_days} días hábiles). "
            "Se avisó a las personas aspirantes.",
        )
        return redirect("verification:hearing_office", pk=office.pk)


class WindowCancelView(PolicyRequiredMixin, View):
    """Cancel a window before it starts (services.cancel_window)."""

    policy = policies.can_open_hearing_window

    def post(self, request, pk):
        window = visible_window(request, pk)
        form = CancelWindowForm(request.POST)
        try:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.cancel_window(request.user, window, reason)
        except HearingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "Garantía de audiencia cancelada; se avisó a las personas aspirantes."
            )
        return redirect("verification:hearing_office", pk=window.office_id)


class WindowRescheduleView(PolicyRequiredMixin, View):
    """Give a window that has not started new dates (services.reschedule_window)."""

    policy = policies.can_open_hearing_window

    def post(self, request, pk):
        window = visible_window(request, pk)
        form = ChangeWindowForm(request.POST)
        if not form.is_valid():
            return render_office(request, window.office, OpenWindowForm(), 400, change_form=form)
        data = form.cleaned_data
        try:
            window = services.reschedule_window(
                request.user, window, data["start_date"], data["working_days"], data["reason"]
            )
        except HearingError as error:
            form.add_error(None, str(error))
            return render_office(request, window.office, OpenWindowForm(), 400, change_form=form)
        messages.success(
            request,
            f"Garantía de audiencia reprogramada del {window.start_date:%d/%m/%Y} al "
            f"{window.end_date:%d/%m/%Y}; se avisó a las personas aspirantes.",
        )
        return redirect("verification:hearing_office", pk=window.office_id)


def visible_window(request, pk):
    windows = HearingWindow.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(windows, pk=pk)


# OPL: one hearing request -------------------------------------------------------------------------


def visible_hearing_request(request, pk):
    hearing_requests = HearingRequest.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "window__run", "filed_by", "resolved_by", "recheck_run"
    )
    return get_object_or_404(hearing_requests, pk=pk)


class HearingRequestView(PolicyRequiredMixin, View):
    """A hearing request: the argument, the supports, the evidence viewer and the resolution
    form."""

    policy = policies.can_see_results

    def get(self, request, pk):
        hearing_request = visible_hearing_request(request, pk)
        log_access(request, "ver", "solicitud de audiencia", hearing_request.pk)
        return self.render(request, hearing_request)

    def post(self, request, pk):
        hearing_request = visible_hearing_request(request, pk)
        if not policies.can_resolve_hearing_request(request.user, hearing_request):
            raise PermissionDenied("Solo un administrador o un revisor del OPL resuelve.")
        rulings = rulings_from(request.POST, item_rows(hearing_request))
        try:
            resolve_hearing_request(
                request.user, hearing_request, rulings, request.POST.get("note", "")
            )
        except HearingError as error:
            return self.render(request, hearing_request, error=error, status=400)
        hearing_request.refresh_from_db()
        text = (
            f"Solicitud N.º {hearing_request.pk} resuelta: {hearing_request.get_status_display()}."
        )
        if hearing_request.recheck_run_id:
            text += " Los resultados del cargo se están recalculando."
        messages.success(request, text + " Se avisó a la persona aspirante.")
        return redirect("verification:hearing_request", pk=hearing_request.pk)

    def render(self, request, hearing_request, error=None, status=200):
        rows = item_rows(hearing_request)
        if error:
            keep_posted(request.POST, rows)
        may_resolve = policies.can_resolve_hearing_request(request.user, hearing_request)
        context = {
            "hearing_request": hearing_request,
            "office": hearing_request.aspirant.office,
            "rows": rows,
            "evidence": evidence_rows(hearing_request),
            "can_resolve": may_resolve and hearing_request.is_pending,
            "has_inconsistency": hearing_request.items.filter(
                support__inconsistency__isnull=False
            ).exists(),
            "error": error,
            "decision_all": request.POST.get("decision_all", "") if error else "",
            "reason_all": request.POST.get("reason_all", "") if error else "",
            "note": request.POST.get("note", "") if error else "",
            "lift_all": request.POST.get("lift_all") == "1" if error else False,
            "window_state": services.state_label(hearing_request.window),
        }
        return render(request, "verification/hearing_request.html", context, status=status)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class EvidenceView(PolicyRequiredMixin, View):
    """An evidence file, only to the OPL of its entity and to the aspirant who filed it. PDFs and
    images open in the page (their type was checked by content); other documents download."""

    policy = policies.can_see_hearing_evidence

    def get(self, request, pk):
        evidences = HearingEvidence.objects.visible_to(request.user).select_related("request")
        evidence = get_object_or_404(evidences, pk=pk)
        log_access(request, "ver", "prueba de audiencia", evidence.pk, evidence.original_name)
        inline = evidence.kind in SCANS and not request.GET.get("descargar")
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("El archivo ya no está disponible.") from error
        return FileResponse(
            handle,
            as_attachment=not inline,
            filename=evidence.original_name,
            content_type=CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
        )


# The aspirant portal ----------------------------------------------------------------------------


def portal_context(request, aspirant, selected=(), argument="", error=None):
    window = services.latest_window(aspirant.office)
    context = {
        "aspirant": aspirant,
        "office": aspirant.office,
        "window": window,
        "hearing_requests": HearingRequest.objects.visible_to(request.user)
        .filter(aspirant=aspirant)
        .select_related("window")
        .prefetch_related("items"),
        "selected": {str(pk) for pk in selected},
        "argument": argument,
        "error": error,
        "accept": EVIDENCE_ACCEPT,
        "max_files": MAX_EVIDENCE_FILES,
        "max_mb": max_evidence_bytes() // (1024 * 1024),
        "motive_options": Motive.choices,
    }
    if window is not None:
        page, rows, motive = invalid_rows(request, window, aspirant)
        state = services.window_state(window)
        context.update(
            state=state,
            skipped=services.skipped_days(window),
            state_label=WindowState(state).label,
            is_open=state == WindowState.OPEN,
            page=page,
            rows=rows,
            motive=motive,
            invalid_total=services.invalid_results(window, aspirant).count(),
        )
    return context


class HearingPortalView(AspirantRequiredMixin, View):
    """The aspirant's garantía de audiencia: their invalidated supports with motivo, the form to
    argue one or several, and their hearing requests with the OPL's resolutions."""

    def get(self, request):
        aspirant = portal_aspirant(request)
        log_access(request, "ver", "audiencia propia", aspirant.pk)
        return render(
            request, "verification/hearing_portal.html", portal_context(request, aspirant)
        )


class HearingFileView(AspirantRequiredMixin, View):
    """File a hearing request (services.file_hearing_request); on refusal the page comes back
    with the reason."""

    def post(self, request):
        aspirant = portal_aspirant(request)
        limit = MAX_EVIDENCE_FILES * max_evidence_bytes()
        if request_too_large(request, limit):
            messages.error(request, too_large_message(limit))
            return redirect("verification:hearing_portal")
        window_id = request.POST.get("window", "")
        if not window_id.isdigit():
            raise Http404
        windows = HearingWindow.objects.filter(office=aspirant.office)
        window = get_object_or_404(windows, pk=window_id)
        selected = request.POST.getlist("supports")
        argument = request.POST.get("argument", "")
        try:
            filed = services.file_hearing_request(
                request.user, window, selected, argument, request.FILES.getlist("evidence")
            )
        except HearingError as error:
            context = portal_context(request, aspirant, selected, argument, error)
            return render(request, "verification/hearing_portal.html", context, status=400)
        messages.success(
            request,
            f"Solicitud N.º {filed.pk} presentada sobre {filed.items.count()} apoyos. "
            "El OPL la resolverá y se le avisará.",
        )
        return redirect("verification:hearing_portal_request", pk=filed.pk)


class HearingPortalRequestView(AspirantRequiredMixin, View):
    """One of the aspirant's own hearing requests: supports, evidence and resolution."""

    def get(self, request, pk):
        hearing_request = visible_hearing_request(request, pk)
        log_access(request, "ver", "solicitud de audiencia propia", hearing_request.pk)
        context = {
            "hearing_request": hearing_request,
            "rows": item_rows(hearing_request),
            "evidence": evidence_rows(hearing_request),
        }
        return render(request, "verification/hearing_portal_request.html", context)

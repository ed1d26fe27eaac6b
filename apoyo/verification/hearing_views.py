"""Pages of the garantía de audiencia: the OPL opens a window for an office, follows its requests,
views the evidence and resolves; the aspirant, in the portal, argues their invalidated supports.
The rules live in hearings.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import (
    AspirantRequiredMixin,
    CaptureRequiredMixin,
    OplAdminRequiredMixin,
    PolicyRequiredMixin,
)
from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import request_too_large, too_large_message
from apoyo.core.filetypes import CONTENT_TYPES, IMAGES, SCANS
from apoyo.core.pagination import paginate
from apoyo.processes.forms import DateInput
from apoyo.supports.services import support_values
from apoyo.verification import hearings
from apoyo.verification.hearings import HearingError
from apoyo.verification.models import (
    HearingEvidence,
    HearingRequest,
    HearingWindow,
    Motive,
    RequestStatus,
    SupportResult,
    WindowState,
)
from apoyo.verification.services import current_run
from apoyo.verification.views import visible_office

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt"
CORRECTION_LABELS = {
    "NOMBRE": "Nombre",
    "APELLIDO_PATERNO": "Apellido paterno",
    "APELLIDO_MATERNO": "Apellido materno",
    "CLAVE_ELECTOR": "Clave de elector",
    "OCR": "OCR",
    "FECHA_APOYO": "Fecha del apoyo",
}


def window_rows(windows):
    return [
        {"window": w, "state": hearings.window_state(w), "label": hearings.state_label(w)}
        for w in windows
    ]


# OPL: an office's hearing -----------------------------------------------------------------------


class OpenWindowForm(forms.Form):
    start_date = forms.DateField(label="Fecha de inicio", widget=DateInput())
    working_days = forms.IntegerField(
        label="Días hábiles",
        min_value=1,
        max_value=hearings.MAX_WORKING_DAYS,
        initial=hearings.DEFAULT_WORKING_DAYS,
        help_text="Se descuentan sábados, domingos y los días inhábiles nacionales y de su entidad.",
    )


def office_requests(request, office):
    requests = (
        HearingRequest.objects.visible_to(request.user)
        .filter(window__office=office)
        .select_related("aspirant", "window", "resolved_by")
    )
    status = request.GET.get("estado", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    return requests, status


class HearingOfficeView(CaptureRequiredMixin, View):
    """The windows of an office, the form to open one (administrators) and its requests."""

    def get(self, request, pk):
        office = visible_office(request, pk)
        form = OpenWindowForm(initial={"start_date": hearings.today()})
        return render_office(request, office, form)


def render_office(request, office, form, status=200):
    requests, status_filter = office_requests(request, office)
    all_requests = HearingRequest.objects.filter(window__office=office)
    context = {
        "office": office,
        "run": current_run(office),
        "windows": window_rows(
            HearingWindow.objects.filter(office=office).select_related("opened_by")
        ),
        "unclosed": hearings.unclosed_window(office),
        "form": form,
        "page": paginate(request, requests),
        "status": status_filter,
        "statuses": RequestStatus.choices,
        "counts": hearings.request_counts(all_requests),
    }
    return render(request, "verification/hearing_office.html", context, status=status)


class HearingOpenView(OplAdminRequiredMixin, View):
    """Open the garantía de audiencia of the office (hearings.open_window)."""

    def post(self, request, pk):
        office = visible_office(request, pk)
        form = OpenWindowForm(request.POST)
        if not form.is_valid():
            return render_office(request, office, form, status=400)
        try:
            window = hearings.open_window(
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


# OPL: one request ---------------------------------------------------------------------------------


def visible_request(request, pk):
    requests = HearingRequest.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "window__run", "filed_by", "resolved_by", "recheck_run"
    )
    return get_object_or_404(requests, pk=pk)


def item_rows(request_obj):
    """Each support of the request with its data, its motivo then and its situation now."""
    items = list(
        request_obj.items.select_related("support__cedula", "support__inconsistency").order_by(
            "support_id"
        )
    )
    run = current_run(request_obj.aspirant.office)
    now = {}
    if run is not None:
        results = SupportResult.objects.filter(
            run=run, support_id__in=[i.support_id for i in items]
        )
        now = {r.support_id: r for r in results}
    rows = []
    for item in items:
        values = support_values(item.support)
        fields = []
        for column, label in CORRECTION_LABELS.items():
            value = values[column]
            if column == "FECHA_APOYO":
                value = value.isoformat()
            fields.append({"column": column, "label": label, "value": value})
        rows.append(
            {
                "item": item,
                "support": item.support,
                "now": now.get(item.support_id),
                "fields": fields,
                "changes": [
                    (CORRECTION_LABELS.get(column, "Tipo de inconsistencia"), old, new)
                    for column, (old, new) in item.changes.items()
                ],
            }
        )
    return rows


def evidence_rows(request_obj):
    return [
        {
            "evidence": e,
            "label": hearings.evidence_label(e),
            "inline": e.kind in SCANS,
            "image": e.kind in IMAGES,
        }
        for e in request_obj.evidence.all()
    ]


def corrections_from(post, rows):
    """{support id: {column: value}} from the resolve form: the lift checkboxes and every data
    field whose value differs from the support's current one."""
    lift_all = post.get("lift_all") == "1"
    corrections = {}
    for row in rows:
        support = row["support"]
        changes = {}
        if support.inconsistency_id and (lift_all or post.get(f"lift-{support.pk}") == "1"):
            changes[hearings.LIFT] = ""
        for field in row["fields"]:
            value = post.get(f"{field['column']}-{support.pk}")
            if value is not None and value.strip() != str(field["value"]):
                changes[field["column"]] = value.strip()
        if changes:
            corrections[support.pk] = changes
    return corrections


def keep_posted(post, rows):
    """After a refused resolution, show the form as it was sent."""
    for row in rows:
        pk = row["support"].pk
        row["lift"] = post.get(f"lift-{pk}") == "1"
        for field in row["fields"]:
            value = post.get(f"{field['column']}-{pk}")
            if value is not None:
                field["value"] = value


class HearingRequestView(CaptureRequiredMixin, View):
    """A request: the argument, the supports, the evidence viewer and the resolution form."""

    def get(self, request, pk):
        request_obj = visible_request(request, pk)
        log_access(request, "ver", "solicitud de audiencia", request_obj.pk)
        return self.render(request, request_obj)

    def post(self, request, pk):
        request_obj = visible_request(request, pk)
        if not hearings.can_resolve(request.user):
            raise PermissionDenied("Solo un administrador o un revisor del OPL resuelve.")
        rows = item_rows(request_obj)
        decision = request.POST.get("decision", "")
        reason = request.POST.get("reason", "")
        corrections = corrections_from(request.POST, rows) if decision == "upheld" else {}
        try:
            hearings.resolve_request(request.user, request_obj, decision, reason, corrections)
        except HearingError as error:
            return self.render(request, request_obj, error=error, status=400)
        request_obj.refresh_from_db()
        text = f"Solicitud N.º {request_obj.pk} resuelta: {request_obj.get_status_display()}."
        if request_obj.recheck_run_id:
            text += " Los resultados del cargo se están recalculando."
        messages.success(request, text + " Se avisó a la persona aspirante.")
        return redirect("verification:hearing_request", pk=request_obj.pk)

    def render(self, request, request_obj, error=None, status=200):
        rows = item_rows(request_obj)
        if error:
            keep_posted(request.POST, rows)
        context = {
            "req": request_obj,
            "office": request_obj.aspirant.office,
            "rows": rows,
            "evidence": evidence_rows(request_obj),
            "can_resolve": hearings.can_resolve(request.user) and request_obj.is_pending,
            "has_inconsistency": request_obj.items.filter(
                support__inconsistency__isnull=False
            ).exists(),
            "error": error,
            "decision": request.POST.get("decision", "") if error else "",
            "reason": request.POST.get("reason", "") if error else "",
            "lift_all": request.POST.get("lift_all") == "1" if error else False,
            "window_state": hearings.state_label(request_obj.window),
        }
        return render(request, "verification/hearing_request.html", context, status=status)


class EvidenceRequiredMixin(PolicyRequiredMixin):
    policy = policies.can_see_hearing_evidence


@method_decorator(xframe_options_sameorigin, name="dispatch")
class EvidenceView(EvidenceRequiredMixin, View):
    """An evidence file, only to the OPL of its entity and to the aspirant who filed it. PDFs and
    images open in the page (their type was checked by content); other documents download."""

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


def portal_aspirant(request):
    aspirants = Aspirant.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(aspirants)


def invalid_rows(request, window, aspirant):
    """A page of the aspirant's supports invalid in the window's compulsa, each with its motivo
    and where it stands in the hearing."""
    results = (
        hearings.invalid_results(window, aspirant)
        .select_related("support__cedula", "support__inconsistency")
        .order_by("support_id")
    )
    motive = request.GET.get("motivo", "")
    if motive in Motive.values:
        results = results.filter(motive=motive)
    page = paginate(request, results)
    ids = [r.support_id for r in page]
    states = hearings.hearing_state_by_support(window, ids)
    blocked = hearings.blocked_support_ids(window, ids)
    rows = [
        {
            "result": r,
            "support": r.support,
            "request": states.get(r.support_id),
            "can_file": r.support_id not in blocked,
        }
        for r in page
    ]
    return page, rows, motive


def portal_context(request, aspirant, selected=(), argument="", error=None):
    window = hearings.latest_window(aspirant.office)
    context = {
        "aspirant": aspirant,
        "office": aspirant.office,
        "window": window,
        "requests": HearingRequest.objects.visible_to(request.user)
        .filter(aspirant=aspirant)
        .select_related("window")
        .prefetch_related("items"),
        "selected": {str(pk) for pk in selected},
        "argument": argument,
        "error": error,
        "accept": EVIDENCE_ACCEPT,
        "max_files": hearings.MAX_EVIDENCE_FILES,
        "max_mb": hearings.max_evidence_bytes() // (1024 * 1024),
        "motive_options": Motive.choices,
    }
    if window is not None:
        page, rows, motive = invalid_rows(request, window, aspirant)
        state = hearings.window_state(window)
        context.update(
            state=state,
            state_label=WindowState(state).label,
            is_open=state == WindowState.OPEN,
            page=page,
            rows=rows,
            motive=motive,
            invalid_total=hearings.invalid_results(window, aspirant).count(),
        )
    return context


class HearingPortalView(AspirantRequiredMixin, View):
    """The aspirant's garantía de audiencia: their invalidated supports with motivo, the form to
    argue one or several, and their requests with the OPL's resolutions."""

    def get(self, request):
        aspirant = portal_aspirant(request)
        log_access(request, "ver", "audiencia propia", aspirant.pk)
        return render(
            request, "verification/hearing_portal.html", portal_context(request, aspirant)
        )


class HearingFileView(AspirantRequiredMixin, View):
    """File a request (hearings.file_request); on refusal the page comes back with the reason."""

    def post(self, request):
        aspirant = portal_aspirant(request)
        limit = hearings.MAX_EVIDENCE_FILES * hearings.max_evidence_bytes()
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
            filed = hearings.file_request(
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
    """One of the aspirant's own requests: supports, evidence and resolution."""

    def get(self, request, pk):
        request_obj = visible_request(request, pk)
        log_access(request, "ver", "solicitud de audiencia propia", request_obj.pk)
        context = {
            "req": request_obj,
            "rows": item_rows(request_obj),
            "evidence": evidence_rows(request_obj),
        }
        return render(request, "verification/hearing_portal_request.html", context)

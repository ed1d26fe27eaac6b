"""Manual capture by the OPL: pick the aspirant and open a cédula by its folio, then type its rows
one after another from the keyboard; the warnings of a row are shown while it is typed, and a saved
row is corrected from the cédula's page."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import CaptureRequiredMixin
from apoyo.processes.models import Process
from apoyo.supports import services
from apoyo.supports.cedula_rows import typed_row_warnings
from apoyo.supports.forms import CedulaOpenForm, RowCorrectionForm, SupportRowForm
from apoyo.supports.models import Cedula, Status
from apoyo.supports.states import with_state


class CaptureView(CaptureRequiredMixin, View):
    """Step 1 of manual capture: pick process, office and aspirant, and open a cédula by folio."""

    def get(self, request):
        form = CedulaOpenForm(request.user, initial=self.initial(request))
        if request.GET.get("process"):
            form = CedulaOpenForm(request.user, data=request.GET)
            form.errors.clear()
        return self.render(request, form)

    def post(self, request):
        form = CedulaOpenForm(request.user, data=request.POST)
        if not form.is_valid():
            return self.render(request, form)
        data = form.cleaned_data
        cedula, errors = services.open_cedula(
            request.user, data["aspirant"], data["reference"], data["date"]
        )
        if errors:
            for error in errors:
                field = "reference" if error.column == "NUMERO_REFERENCIA" else "date"
                form.add_error(field, error.message)
            return self.render(request, form)
        return redirect("supports:cedula", pk=cedula.pk)

    def initial(self, request):
        first = Process.objects.visible_to(request.user).first()
        return {"process": first.pk} if first else {}

    def render(self, request, form):
        # The ten newest first, then their rows counted: counting before the limit would group
        # every cédula the user ever opened (thousands) to show ten.
        mine = Cedula.objects.visible_to(request.user).filter(created_by=request.user)
        newest = list(mine.order_by("-created_at").values_list("pk", flat=True)[:10])
        recent = (
            Cedula.objects.filter(pk__in=newest)
            .select_related("aspirant")
            .annotate(rows=Count("supports", filter=~Q(supports__status=Status.WITHDRAWN)))
            .order_by("-created_at")
        )
        # Back from "Terminar cédula": cargo and aspirant stay chosen, the cursor waits on the
        # next cédula's folio.
        context = {
            "form": form,
            "recent": recent,
            "next_cedula": bool(request.GET.get("siguiente")),
        }
        return render(request, "supports/capture.html", context)


def next_cedula_url(cedula):
    """The capture page with this cédula's process, office and aspirant still chosen."""
    office = cedula.aspirant.office
    query = {"process": office.process_id, "office": office.pk, "aspirant": cedula.aspirant_id}
    return f"{reverse('supports:capture')}?{urlencode(query | {'siguiente': 1})}"


class CedulaView(CaptureRequiredMixin, View):
    """Step 2: capture the rows of one cédula, one after another, from the keyboard; a saved row
    is corrected in place (?fila=<id>, posted to cedula_row_views.CedulaRowView)."""

    def get(self, request, pk):
        cedula = visible_cedula(request, pk)
        # The page lists every row of the cédula: names, claves and OCRs.
        log_access(request, "ver", "cédula", cedula.pk, cedula.reference)
        editing = row_to_edit(cedula, request.GET.get("fila"))
        return render_cedula(request, cedula, opl_row_form(cedula, editing), editing=editing)

    def post(self, request, pk):
        cedula = visible_cedula(request, pk)
        form = SupportRowForm(cedula.aspirant.office.process.state_id, data=request.POST)
        if not form.is_valid():
            return render_cedula(request, cedula, form, status=400)
        result = services.capture_support(request.user, cedula, form.cleaned_data)
        if result.errors:
            form.add_row_errors(result.errors)
            return render_cedula(request, cedula, form, status=400)
        messages.success(
            request,
            f"Apoyo de {result.support.elector_key} guardado en la cédula {cedula.reference}.",
        )
        for warning in result.warnings:
            messages.warning(request, f"Advertencia ({result.support.elector_key}): {warning}")
        return redirect("supports:cedula", pk=cedula.pk)


def visible_cedula(request, pk):
    cedulas = Cedula.objects.visible_to(request.user).select_related("aspirant__office__process")
    return get_object_or_404(cedulas, pk=pk)


def row_to_edit(cedula, pk_text):
    """The saved, not withdrawn row of this cédula named by ?fila=<id>, or None."""
    if not (pk_text or "").isdigit():
        return None
    rows = cedula.supports.exclude(status=Status.WITHDRAWN).select_related("inconsistency")
    return rows.filter(pk=int(pk_text)).first()


def opl_row_form(cedula, editing=None, data=None):
    """The new-row form, or the correction form of `editing` (its tipo de inconsistencia locked
    when the mesa de control decides it, as on the correction page)."""
    state_id = cedula.aspirant.office.process.state_id
    if editing is None:
        return SupportRowForm(state_id, data=data)
    return RowCorrectionForm(
        state_id,
        data=data,
        initial=services.support_values(editing),
        outcome_locked=services.outcome_locked(editing),
    )


def render_cedula(request, cedula, form, status=200, editing=None):
    rows = with_state(cedula.supports.select_related("inconsistency")).order_by("id")
    warnings_url = reverse("supports:cedula_warnings", args=[cedula.pk])
    context = {
        "cedula": cedula,
        "form": form,
        "rows": rows,
        "editing": editing,
        "done_url": next_cedula_url(cedula),
        "cedula_url": reverse("supports:cedula", args=[cedula.pk]),
        "warnings_url": f"{warnings_url}?fila={editing.pk}" if editing else warnings_url,
        "form_action": reverse("supports:cedula_row", args=[cedula.pk, editing.pk])
        if editing
        else "",
    }
    return render(request, "supports/cedula.html", context, status=status)


def render_warnings(request, cedula, warnings):
    """The warnings fragment of the row form (htmx). A repeated clave names the aspirant's other
    cédulas that hold it: a read of their rows, logged."""
    if any("ya está capturada" in warning for warning in warnings):
        log_access(request, "ver", "clave repetida en cédulas", cedula.pk, cedula.reference)
    return render(request, "supports/_row_warnings.html", {"warnings": warnings})


class CedulaWarningsView(CaptureRequiredMixin, View):
    """The warnings of the row being typed, before it is saved (htmx, on change)."""

    def post(self, request, pk):
        cedula = visible_cedula(request, pk)
        editing = row_to_edit(cedula, request.GET.get("fila"))
        return render_warnings(request, cedula, typed_row_warnings(cedula, request.POST, editing))


class CedulaRowView(CaptureRequiredMixin, View):
    """Save the correction of a row from its cédula's page (services.correct_support: the shared
    validator, the mesa de control's outcome guarded, every change in the history)."""

    def post(self, request, pk, support_pk):
        cedula = visible_cedula(request, pk)
        editing = row_to_edit(cedula, str(support_pk))
        if editing is None:
            messages.error(request, "Esa fila no está en esta cédula o ya fue retirada.")
            return redirect("supports:cedula", pk=cedula.pk)
        form = opl_row_form(cedula, editing, data=request.POST)
        if not form.is_valid():
            return render_cedula(request, cedula, form, status=400, editing=editing)
        result = services.correct_support(request.user, editing, form.cleaned_data)
        if result.errors:
            form.add_row_errors(result.errors)
            return render_cedula(request, cedula, form, status=400, editing=editing)
        key = result.support.elector_key
        messages.success(request, f"Fila {key} corregida; el cambio quedó en su historial.")
        for warning in result.warnings:
            messages.warning(request, f"Advertencia ({key}): {warning}")
        return redirect("supports:cedula", pk=cedula.pk)

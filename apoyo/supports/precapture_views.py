"""The aspirant's pre-capture in the portal: register cédulas with their scans, capture their rows,
or upload a file with the OPL's template. Everything enters the mesa de control queue as pending
review (channel `aspirant`) and never counts until an OPL revisor accepts it.

An aspirant only reaches their own aspirant record, cédulas and uploads (`visible_to`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin
from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import ENVELOPE_BYTES, request_too_large, too_large_message
from apoyo.core.pagination import paginate
from apoyo.supports import services
from apoyo.supports.capture_views import render_warnings
from apoyo.supports.cedula_rows import correct_own_precapture, typed_row_warnings
from apoyo.supports.forms import (
    MAX_SCANS_PER_REQUEST,
    AspirantRowForm,
    CedulaRegisterForm,
    ScanUploadForm,
    show_collection_period,
)
from apoyo.supports.models import Cedula, CedulaScan, Channel, Status
from apoyo.supports.policies import can_correct_own_support, unreviewed_precapture
from apoyo.supports.scans import add_scan, max_scan_bytes
from apoyo.supports.states import with_state


def own_aspirant(request):
    return get_object_or_404(
        Aspirant.objects.visible_to(request.user).select_related("office__process")
    )


def scans_too_large(request):
    limit = max_scan_bytes() * MAX_SCANS_PER_REQUEST + ENVELOPE_BYTES
    return request_too_large(request, limit)


def store_scans(request, cedula, files):
    """Keep each checked scan; a file already on the cédula is reported, not stored twice."""
    stored = 0
    for uploaded in files:
        try:
            add_scan(request.user, cedula, uploaded)
            stored += 1
        except ValidationError as refused:
            messages.warning(request, " ".join(refused.messages))
    return stored


class PrecaptureCedulasView(AspirantRequiredMixin, View):
    """The aspirant's cédulas, and the form to register a new one with its scans."""

    def get(self, request):
        return self.render(request, own_aspirant(request), CedulaRegisterForm())

    def post(self, request):
        aspirant = own_aspirant(request)
        if scans_too_large(request):
            messages.error(request, too_large_message(max_scan_bytes()))
            return redirect("supports:precapture_cedulas")
        form = CedulaRegisterForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, aspirant, form, status=400)
        data = form.cleaned_data
        with transaction.atomic():
            cedula, errors = services.open_cedula(
                request.user, aspirant, data["reference"], data["date"]
            )
            if errors:
                for error in errors:
                    field = "reference" if error.column == "NUMERO_REFERENCIA" else "date"
                    form.add_error(field, error.message)
                return self.render(request, aspirant, form, status=400)
            stored = store_scans(request, cedula, data["scans"])
        messages.success(
            request,
            f"Cédula {cedula.reference} registrada con {stored} escaneo(s). "
            "Capture ahora sus filas.",
        )
        return redirect("supports:precapture_cedula", pk=cedula.pk)

    def render(self, request, aspirant, form, status=200):
        show_collection_period(form, "date", aspirant.office)
        cedulas = (
            Cedula.objects.visible_to(request.user)
            .annotate(
                rows=Count("supports", filter=~Q(supports__status=Status.WITHDRAWN), distinct=True),
                pending=Count(
                    "supports",
                    filter=Q(supports__status=Status.PENDING_REVIEW),
                    distinct=True,
                ),
                scan_count=Count("scans", distinct=True),
            )
            .order_by("-created_at", "-id")
        )
        context = {
            "aspirant": aspirant,
            "form": form,
            "page": paginate(request, cedulas),
            # Back from "Terminar cédula": the cursor waits on the next cédula's folio.
            "next_cedula": bool(request.GET.get("siguiente")),
        }
        return render(request, "supports/precapture_cedulas.html", context, status=status)


def own_cedula(request, pk):
    cedulas = Cedula.objects.visible_to(request.user).select_related("aspirant__office__process")
    return get_object_or_404(cedulas, pk=pk)


class PrecaptureCedulaView(AspirantRequiredMixin, View):
    """One cédula: its scans, its rows, and the capture of a new row from the keyboard; a row no
    revisor has reviewed yet is corrected in place (?fila=<id>, posted to PrecaptureRowView)."""

    def get(self, request, pk):
        cedula = own_cedula(request, pk)
        editing = own_row_to_edit(request, cedula, request.GET.get("fila"))
        return self.render(request, cedula, self.row_form(cedula, editing=editing), editing=editing)

    def post(self, request, pk):
        cedula = own_cedula(request, pk)
        form = self.row_form(cedula, data=request.POST)
        if not form.is_valid():
            return self.render(request, cedula, form, status=400)
        result = services.capture_support(
            request.user, cedula, form.cleaned_data, channel=Channel.ASPIRANT
        )
        if result.errors:
            form.add_row_errors(result.errors)
            return self.render(request, cedula, form, status=400)
        messages.success(
            request,
            f"Apoyo de {result.support.elector_key} guardado en la cédula {cedula.reference}; "
            "queda pendiente de revisión del OPL.",
        )
        for warning in result.warnings:
            messages.warning(request, f"Advertencia ({result.support.elector_key}): {warning}")
        return redirect("supports:precapture_cedula", pk=cedula.pk)

    @staticmethod
    def row_form(cedula, data=None, editing=None):
        initial = services.support_values(editing) if editing else None
        return AspirantRowForm(cedula.aspirant.office.process.state_id, data=data, initial=initial)

    @staticmethod
    def render(request, cedula, form, scan_form=None, status=200, editing=None):
        rows = with_state(cedula.supports.select_related("inconsistency")).order_by("id")
        log_access(request, "ver", "cédula propia", cedula.pk)
        warnings_url = reverse("supports:precapture_warnings", args=[cedula.pk])
        context = {
            "cedula": cedula,
            "form": form,
            "scan_form": scan_form or ScanUploadForm(),
            "rows": rows,
            "correctable": set(unreviewed_precapture(rows).values_list("pk", flat=True)),
            "scans": cedula.scans.order_by("uploaded_at", "id"),
            "can_remove_scans": services.cedula_undecided(cedula),
            "editing": editing,
            "done_url": reverse("supports:precapture_cedulas") + "?siguiente=1",
            "cedula_url": reverse("supports:precapture_cedula", args=[cedula.pk]),
            "warnings_url": f"{warnings_url}?fila={editing.pk}" if editing else warnings_url,
            "form_action": reverse("supports:precapture_row", args=[cedula.pk, editing.pk])
            if editing
            else "",
        }
        return render(request, "supports/precapture_cedula.html", context, status=status)


def own_row_to_edit(request, cedula, pk_text):
    """The row of this cédula named by ?fila=<id> that the aspirant may still correct
    (supports.policies.can_correct_own_support), or None."""
    if not (pk_text or "").isdigit():
        return None
    support = cedula.supports.filter(pk=int(pk_text)).select_related("aspirant").first()
    if support is None or not can_correct_own_support(request.user, support):
        return None
    return support


class PrecaptureWarningsView(AspirantRequiredMixin, View):
    """The warnings of the row being typed, before it is saved (htmx, on change)."""

    def post(self, request, pk):
        cedula = own_cedula(request, pk)
        editing = own_row_to_edit(request, cedula, request.GET.get("fila"))
        return render_warnings(request, cedula, typed_row_warnings(cedula, request.POST, editing))


class PrecaptureRowView(AspirantRequiredMixin, View):
    """The aspirant saves the correction of a row of their own pre-captura not yet reviewed
    (cedula_rows.correct_own_precapture); the OPL sees every change in the support's history."""

    def post(self, request, pk, support_pk):
        cedula = own_cedula(request, pk)
        support = get_object_or_404(cedula.supports.select_related("aspirant"), pk=support_pk)
        form = PrecaptureCedulaView.row_form(cedula, data=request.POST, editing=support)
        if not form.is_valid():
            return PrecaptureCedulaView.render(request, cedula, form, status=400, editing=support)
        result = correct_own_precapture(request.user, support, form.cleaned_data)
        if result.errors:
            form.add_row_errors(result.errors)
            return PrecaptureCedulaView.render(request, cedula, form, status=400, editing=support)
        key = result.support.elector_key
        messages.success(
            request,
            f"Fila {key} corregida; sigue pendiente de revisión del OPL, que verá el cambio.",
        )
        for warning in result.warnings:
            messages.warning(request, f"Advertencia ({key}): {warning}")
        return redirect("supports:precapture_cedula", pk=cedula.pk)


class PrecaptureScanView(AspirantRequiredMixin, View):
    """Add scans to one of the aspirant's cédulas."""

    def post(self, request, pk):
        cedula = own_cedula(request, pk)
        if scans_too_large(request):
            messages.error(request, too_large_message(max_scan_bytes()))
            return redirect("supports:precapture_cedula", pk=cedula.pk)
        scan_form = ScanUploadForm(request.POST, request.FILES)
        if not scan_form.is_valid():
            row_form = PrecaptureCedulaView.row_form(cedula)
            return PrecaptureCedulaView.render(
                request, cedula, row_form, scan_form=scan_form, status=400
            )
        stored = store_scans(request, cedula, scan_form.cleaned_data["scans"])
        if stored:
            messages.success(request, f"{stored} escaneo(s) agregado(s) a la cédula.")
        return redirect("supports:precapture_cedula", pk=cedula.pk)


class PrecaptureScanRemoveView(AspirantRequiredMixin, View):
    """Remove a scan the aspirant uploaded by mistake (services.remove_own_scan)."""

    def post(self, request, pk, scan_pk):
        cedula = own_cedula(request, pk)
        scan = get_object_or_404(
            CedulaScan.objects.visible_to(request.user), pk=scan_pk, cedula=cedula
        )
        name = scan.original_name
        errors = services.remove_own_scan(request.user, scan)
        if errors:
            messages.error(request, " ".join(error.message for error in errors))
            return redirect("supports:precapture_cedula", pk=cedula.pk)
        log_access(request, "quitar", "escaneo de cédula propia", scan_pk, detail=name)
        messages.success(request, f"Escaneo «{name}» quitado de la cédula {cedula.reference}.")
        return redirect("supports:precapture_cedula", pk=cedula.pk)

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
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin
from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import ENVELOPE_BYTES, request_too_large, too_large_message
from apoyo.core.pagination import paginate
from apoyo.supports import services
from apoyo.supports.forms import (
    MAX_SCANS_PER_REQUEST,
    AspirantRowForm,
    CedulaRegisterForm,
    ScanUploadForm,
)
from apoyo.supports.models import Cedula, CedulaScan, Channel, Status
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
        context = {"aspirant": aspirant, "form": form, "page": paginate(request, cedulas)}
        return render(request, "supports/precapture_cedulas.html", context, status=status)


def own_cedula(request, pk):
    cedulas = Cedula.objects.visible_to(request.user).select_related("aspirant__office__process")
    return get_object_or_404(cedulas, pk=pk)


class PrecaptureCedulaView(AspirantRequiredMixin, View):
    """One cédula: its scans, its rows, and the capture of a new row from the keyboard."""

    def get(self, request, pk):
        cedula = own_cedula(request, pk)
        return self.render(request, cedula, self.row_form(cedula))

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
    def row_form(cedula, data=None):
        return AspirantRowForm(cedula.aspirant.office.process.state_id, data=data)

    @staticmethod
    def render(request, cedula, form, scan_form=None, status=200):
        rows = with_state(cedula.supports.select_related("inconsistency")).order_by("id")
        log_access(request, "ver", "cédula propia", cedula.pk)
        context = {
            "cedula": cedula,
            "form": form,
            "scan_form": scan_form or ScanUploadForm(),
            "rows": rows,
            "scans": cedula.scans.order_by("uploaded_at", "id"),
            "can_remove_scans": services.cedula_undecided(cedula),
        }
        return render(request, "supports/precapture_cedula.html", context, status=status)


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

"""Pages of the roll: import (INE DERFE), the roll browser (INE DERFE) and the Lista Nominal
statistics (OPL users, for their own entity).

DESIGN.md "Security and personal data": nobody outside INE roles browses the roll, and every
view or export of roll records is written to the access log.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.core.datafiles import DataFileField, request_too_large, too_large_message
from apoyo.core.exports import csv_response, xlsx_response
from apoyo.core.identity import normalize_key
from apoyo.core.jobs import fail_dead, fail_if_dead
from apoyo.geo.models import State
from apoyo.roll import statistics
from apoyo.roll.jobs import REPORT_HEADER, issue_rows, max_upload_bytes, register_import
from apoyo.roll.models import ImportStatus, RollCut, RollEntry, RollImport
from apoyo.roll.tasks import process_roll_import

PAGE_SIZE = 50
SHOWN_ISSUES = 50
DEFAULT_STATE = 26
KEY_END = "~"  # sorts after every character of a normalized clave (A-Z, 0-9, Ñ is not in claves)


class DerfeRequiredMixin(PolicyRequiredMixin):
    """Only INE DERFE users reach the roll import and the roll records."""

    policy = policies.can_import_roll
    refusal = "Solo el personal de la DERFE del INE consulta el padrón."


class StatisticsAccessMixin(PolicyRequiredMixin):
    """OPL users see their own entity's counts; INE DERFE users any entity."""

    policy = policies.can_see_roll_statistics
    refusal = "Su rol no tiene acceso a las estadísticas de Lista Nominal."


# --- Import -----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    cut_date = forms.DateField(
        label="Fecha de corte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    file = DataFileField(
        label="Archivo del padrón (CSV, CSV.GZ o XLSX)",
        help_text="CSV en UTF-8 o Windows-1252, separado por comas o punto y coma; "
        "puede venir comprimido con gzip.",
        extensions=(".csv", ".txt", ".csv.gz", ".gz", ".xlsx"),
        max_bytes=max_upload_bytes,
        formats="CSV, CSV.GZ o XLSX",
    )


class ImportListView(DerfeRequiredMixin, View):
    """Upload a cut, the cuts loaded and the history of imports."""

    def get(self, request):
        return self.render(request, ImportForm())

    def post(self, request):
        # Refuse an oversized body before Django reads the file.
        if request_too_large(request, max_upload_bytes()):
            messages.error(request, too_large_message(max_upload_bytes()))
            return redirect("roll:imports")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        received = form.cleaned_data["file"]
        job = register_import(request.user, form.cleaned_data["cut_date"], received, received.name)
        transaction.on_commit(lambda: process_roll_import.enqueue(job.pk))
        return redirect("roll:import", pk=job.pk)

    def render(self, request, form, status=200):
        jobs = RollImport.objects.select_related("uploaded_by")
        fail_dead(jobs)  # an import whose worker died shows failed, to retry (apoyo.core.jobs)
        context = {
            "form": form,
            "cuts": RollCut.objects.select_related("imported_by"),
            "page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page")),
        }
        return render(request, "roll/imports.html", context, status=status)


class ImportDetailView(DerfeRequiredMixin, View):
    """The job page; with htmx, only the progress card (polled every second while running)."""

    def get(self, request, pk):
        job = get_object_or_404(RollImport.objects.select_related("uploaded_by"), pk=pk)
        fail_if_dead(job)
        issues = []
        if job.is_finished and job.rejected:
            issues = job.issues.order_by("row_number", "id")[:SHOWN_ISSUES]
            log_access(request, "consultar", "filas rechazadas del padrón", job.pk)
        template = "roll/_import_progress.html" if request.htmx else "roll/import.html"
        context = {"job": job, "issues": issues, "stored_issues": len(issues)}
        if job.is_finished:
            context["stored_issues"] = job.issues.count()
        return render(request, template, context)


class ImportReportView(DerfeRequiredMixin, View):
    """The rejected rows with row, column, reason and original values (CSV or XLSX)."""

    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        job = get_object_or_404(RollImport, pk=pk)
        log_access(request, "exportar", "filas rechazadas del padrón", job.pk, fmt)
        name = f"padron-{job.cut_date:%Y%m%d}-importacion-{job.pk}-rechazadas"
        if fmt == "csv":
            return csv_response(f"{name}.csv", REPORT_HEADER, issue_rows(job))
        return xlsx_response(f"{name}.xlsx", [("Rechazadas", REPORT_HEADER, issue_rows(job))])


class ImportRetryView(DerfeRequiredMixin, View):
    def post(self, request, pk):
        job = fail_if_dead(get_object_or_404(RollImport, pk=pk))
        if job.status != ImportStatus.FAILED or not job.file:
            messages.error(request, "Solo se reintenta una importación que falló.")
            return redirect("roll:import", pk=job.pk)
        RollImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, message="")
        transaction.on_commit(lambda: process_roll_import.enqueue(job.pk))
        return redirect("roll:import", pk=job.pk)


# --- Roll browser -----------------------------------------------------------------------------


class KnownCountPaginator(Paginator):
    """A paginator that takes the number of records from the cut instead of counting millions
    of rows on every page."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class CutView(DerfeRequiredMixin, View):
    """The records of a cut, in clave order, searchable by (the start of) a clave de elector."""

    def get(self, request, cut_date):
        cut = get_object_or_404(RollCut, cut_date=cut_date)
        query = normalize_key(request.GET.get("clave", ""))[:18]
        entries = RollEntry.objects.filter(cut=cut).order_by("elector_key")
        if query:
            # A range rather than LIKE: SQLite's LIKE ignores case and cannot use the index.
            entries = entries.filter(elector_key__gte=query, elector_key__lt=query + KEY_END)
            paginator = Paginator(entries, PAGE_SIZE)
        else:
            paginator = KnownCountPaginator(entries, PAGE_SIZE, cut.entries)
        page = paginator.get_page(request.GET.get("page"))
        detail = f"corte {cut.cut_date:%Y-%m-%d}, clave «{query}», página {page.number}"
        log_access(request, "consultar", "padrón", cut.pk, detail)
        return render(request, "roll/cut.html", {"cut": cut, "page": page, "query": query})


# --- Statistics -------------------------------------------------------------------------------


class StatisticsView(StatisticsAccessMixin, View):
    """Lista Nominal per section, municipality, local or federal district of an entity."""

    def get(self, request):
        state = self.state(request)
        dates = statistics.cut_dates(state.number)
        cut_date = self.cut_date(request, dates)
        level = request.GET.get("nivel")
        level = level if level in statistics.LEVELS else statistics.DEFAULT_LEVEL
        units = statistics.nominal_list_per_unit(cut_date, state.number, level) if cut_date else []
        if request.GET.get("formato") in ("csv", "xlsx"):
            return self.download(request.GET["formato"], state, cut_date, level, units)
        context = {
            "state": state,
            "states": State.objects.all() if policies.can_import_roll(request.user) else [],
            "dates": dates,
            "cut_date": cut_date,
            "levels": statistics.LEVELS,
            "level": level,
            "level_label": statistics.LEVELS[level],
            "units": units,
            "total": statistics.totals(units),
        }
        return render(request, "roll/statistics.html", context)

    def state(self, request):
        """An OPL user's own entity; any entity (?entidad=) for INE DERFE users."""
        user = request.user
        if policies.is_opl_staff(user) and not policies.can_import_roll(user):
            if not user.state_id:
                raise PermissionDenied("Su cuenta no tiene entidad asignada.")
            return user.state
        number = request.GET.get("entidad") or DEFAULT_STATE
        return get_object_or_404(State, number=number if str(number).isdigit() else 0)

    def cut_date(self, request, dates):
        chosen = request.GET.get("corte")
        for date in dates:
            if chosen == date.isoformat():
                return date
        return dates[0] if dates else None

    def download(self, fmt, state, cut_date, level, units):
        if cut_date is None:
            raise Http404
        header = [statistics.LEVELS[level].upper(), "NOMBRE", "SECCIONES", "LISTA_NOMINAL"]
        rows = [[u.number, u.name, u.sections, u.nominal_list] for u in units]
        name = f"lista-nominal-{state.number:02d}-{cut_date:%Y%m%d}-{level}"
        if fmt == "csv":
            return csv_response(f"{name}.csv", header, rows)
        return xlsx_response(f"{name}.xlsx", [("Lista Nominal", header, rows)])

"""Pages of the preliminary results: the OPL's tables, charts, exports, the compulsa as a job and
the INE exchange route; and the aspirant's own results in their portal."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import (
    AspirantRequiredMixin,
    CaptureRequiredMixin,
    OplAdminRequiredMixin,
)
from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import DataFileField, request_too_large, too_large_message
from apoyo.core.exports import csv_response, xlsx_response
from apoyo.core.pagination import paginate
from apoyo.core.tabular import FileRejected
from apoyo.processes.models import Office
from apoyo.supports.models import Support
from apoyo.uploads.services import max_upload_bytes
from apoyo.verification.exchange import EXPORT_HEADER, export_rows, import_ine_results, read_answers
from apoyo.verification.models import (
    AspirantResult,
    CheckRun,
    IneAnswer,
    Motive,
    RunStatus,
    SupportResult,
    UnitResult,
)
from apoyo.verification.results import ASPIRANT_HEADER, SUPPORT_HEADER, aspirant_rows, support_rows
from apoyo.verification.services import (
    FINISHED,
    CheckError,
    active_run,
    current_run,
    start_run,
    supports_of,
)
from apoyo.verification.tasks import check_office

# Short column titles for the per-motivo counts; the full label goes in the cell's title.
MOTIVE_SHORT = {
    Motive.INCONSISTENCIA: "Inconsistencia",
    Motive.NO_ENCONTRADO: "No encontrado",
    Motive.BAJA: "Baja",
    Motive.PADRON: "Padrón",
    Motive.FUERA_AMBITO: "Fuera de ámbito",
    Motive.FUERA_REGIMEN_EXCEPCION: "Fuera de régimen",
    Motive.DUPLICADO_MISMO: "Duplicado (mismo)",
    Motive.DUPLICADO_OTRO: "Duplicado (otro)",
}
VALID_FILTER = "validos"
EXPORTS = {("apoyos", "csv"), ("aspirantes", "csv"), ("resultados", "xlsx")}
REJECTED_SHOWN = 200


# Lookups -----------------------------------------------------------------------------------------


def visible_office(request, pk):
    offices = Office.objects.visible_to(request.user).select_related("process__state")
    return get_object_or_404(offices, pk=pk)


def visible_aspirant(request, pk):
    aspirants = Aspirant.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(aspirants, pk=pk)


def visible_run(request, pk):
    runs = CheckRun.objects.visible_to(request.user).select_related("office__process", "run_by")
    return get_object_or_404(runs, pk=pk)


def run_param(request):
    value = request.GET.get("run", "")
    if value and not value.isdigit():
        raise Http404
    return int(value) if value else None


def selected_run(request, office, runs):
    """The run asked for with ?run=<id> among `runs` (404 when it is not one), else the current one."""
    run_id = run_param(request)
    if run_id is None:
        return current_run(office)
    finished = runs.filter(office=office, status=RunStatus.DONE).select_related("run_by")
    return get_object_or_404(finished, pk=run_id)


# Building blocks of the tables ----------------------------------------------------------------------


def motive_columns():
    return [(value, MOTIVE_SHORT[value], label) for value, label in Motive.choices]


def threshold_percent(valid, required):
    """Progress towards the required supports, capped at 100."""
    if not required:
        return 100
    return min(100, valid * 100 // required)


def aspirant_row(result):
    counts = result.motive_counts
    return {
        "result": result,
        "progress": threshold_percent(result.valid, result.required),
        "motives": [(value, label, counts.get(value, 0)) for value, label in Motive.choices],
    }


def aspirant_table(run):
    if run is None:
        return []
    results = AspirantResult.objects.filter(run=run).select_related("aspirant")
    return [aspirant_row(result) for result in results.order_by("aspirant__code")]


def unit_rows(run, aspirant):
    return list(UnitResult.objects.filter(run=run, aspirant=aspirant).order_by("unit_number"))


def filter_by_motive(results, motive):
    if motive == VALID_FILTER:
        return results.filter(valid=True)
    if motive in Motive.values:
        return results.filter(motive=motive)
    return results


def motive_options():
    return [(VALID_FILTER, "Válidos"), *Motive.choices]


# The dispersion chart: an inline SVG computed here, with no JavaScript ---------------------------

CHART_WIDTH = 720
CHART_PLOT_HEIGHT = 200
CHART_TOP = 12
CHART_LEFT = 44
CHART_RIGHT = 8
CHART_LABEL_ROOM = 72
CHART_MAX_RATIO = 2  # bars are drawn up to twice the unit's requirement
CHART_MAX_LABELS = 40


def unit_ratio(unit):
    if not unit.required:
        return 1.0 if unit.met else 0.0
    return min(unit.valid / unit.required, CHART_MAX_RATIO)


def unit_label(unit):
    return unit.unit_name or f"Unidad {unit.unit_number}"


def chart_bar(index, unit, step):
    height = unit_ratio(unit) / CHART_MAX_RATIO * CHART_PLOT_HEIGHT
    width = max(step * 0.7, 1)
    x = CHART_LEFT + index * step + (step - width) / 2
    return {
        "x": round(x, 2),
        "y": round(CHART_TOP + CHART_PLOT_HEIGHT - height, 2),
        "width": round(width, 2),
        "height": round(height, 2),
        "label_x": round(x + width / 2, 2),
        "label": unit_label(unit),
        "unit": unit,
    }


def dispersion_chart(units):
    """Bars of valid supports as a share of each unit's requirement; the line marks 100 %."""
    if not units:
        return None
    step = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / len(units)
    labelled = len(units) <= CHART_MAX_LABELS
    bottom = CHART_TOP + CHART_PLOT_HEIGHT
    return {
        "width": CHART_WIDTH,
        "height": bottom + (CHART_LABEL_ROOM if labelled else 16),
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "bottom": bottom,
        "target_y": CHART_TOP + CHART_PLOT_HEIGHT / 2,
        "labelled": labelled,
        "bars": [chart_bar(i, unit, step) for i, unit in enumerate(units)],
        "met": sum(1 for unit in units if unit.met),
        "total": len(units),
    }


# OPL pages --------------------------------------------------------------------------------------


def office_summary(office):
    run = current_run(office)
    return {
        "office": office,
        "run": run,
        "active": active_run(office),
        "rows": aspirant_table(run),
    }


class ResultsIndexView(CaptureRequiredMixin, View):
    """Every office of the user's entity with its current run and its aspirants' counts."""

    def get(self, request):
        offices = (
            Office.objects.visible_to(request.user)
            .select_related("process")
            .order_by("process__code", "code")
        )
        context = {
            "offices": [office_summary(office) for office in offices],
            "motive_columns": motive_columns(),
        }
        return render(request, "verification/index.html", context)


class OfficeResultsView(CaptureRequiredMixin, View):
    """One office: the run asked for (default the current one), its exports and past runs."""

    def get(self, request, pk):
        office = visible_office(request, pk)
        runs = CheckRun.objects.visible_to(request.user)
        run = selected_run(request, office, runs)
        history = runs.filter(office=office).select_related("run_by")[:50]
        context = {
            "office": office,
            "run": run,
            "is_current": run is not None and run == current_run(office),
            "active": active_run(office),
            "rows": aspirant_table(run),
            "history": history,
            "motive_columns": motive_columns(),
        }
        return render(request, "verification/office.html", context)


class RunStartView(OplAdminRequiredMixin, View):
    """Start a compulsa of the office as a background job and follow it on the run page."""

    def post(self, request, pk):
        office = visible_office(request, pk)
        running = active_run(office)
        if running:
            messages.info(request, "Ya hay una compulsa en curso para este cargo.")
            return redirect("verification:run", pk=running.pk)
        run = start_run(office, request.user)
        transaction.on_commit(lambda: check_office.enqueue(run.pk))
        return redirect("verification:run", pk=run.pk)


def run_counts(run):
    if run.status != RunStatus.DONE:
        return None
    results = AspirantResult.objects.filter(run=run)
    return {"aspirants": results.count(), "meet": results.filter(meets=True).count()}


class RunView(CaptureRequiredMixin, View):
    """A compulsa's page; with htmx, only its progress card (polled every second until it ends)."""

    def get(self, request, pk):
        run = visible_run(request, pk)
        context = {"run": run, "finished": run.status in FINISHED, "counts": run_counts(run)}
        template = "verification/_run_progress.html" if request.htmx else "verification/run.html"
        return render(request, template, context)


class AspirantResultsView(CaptureRequiredMixin, View):
    """An aspirant's count, dispersion table and chart, and their supports by motivo."""

    def get(self, request, pk):
        aspirant = visible_aspirant(request, pk)
        office = aspirant.office
        run = selected_run(request, office, CheckRun.objects.visible_to(request.user))
        log_access(request, "ver", "resultados", aspirant.pk)
        context = {"aspirant": aspirant, "office": office, "run": run}
        if run is not None:
            context.update(aspirant_context(request, run, aspirant))
        return render(request, "verification/aspirant.html", context)


def aspirant_context(request, run, aspirant):
    """What the OPL's and the aspirant's result pages share: count, units, chart, supports."""
    result = AspirantResult.objects.filter(run=run, aspirant=aspirant).first()
    units = unit_rows(run, aspirant)
    motive = request.GET.get("motivo", "")
    results = (
        SupportResult.objects.visible_to(request.user)
        .filter(run=run, aspirant=aspirant)
        .select_related("support__cedula", "support__inconsistency")
        .order_by("support_id")
    )
    return {
        "result": result,
        "row": aspirant_row(result) if result else None,
        "units": units,
        "chart": dispersion_chart(units),
        "page": paginate(request, filter_by_motive(results, motive)),
        "motive": motive,
        "motive_options": motive_options(),
    }


class ExportView(CaptureRequiredMixin, View):
    """supports.csv / aspirants.csv of a run (CONTRACT export_results), or both in one XLSX."""

    def get(self, request, pk, kind, fmt):
        if (kind, fmt) not in EXPORTS:
            raise Http404
        office = visible_office(request, pk)
        run = selected_run(request, office, CheckRun.objects.visible_to(request.user))
        if run is None:
            raise Http404("Aún no hay compulsa de este cargo.")
        log_access(request, "exportar", "resultados", run.pk, f"{office.code} {kind}.{fmt}")
        name = f"resultados-{office.code}-compulsa-{run.pk}"
        if kind == "apoyos":
            return csv_response(f"{name}-apoyos.csv", SUPPORT_HEADER, support_rows(run))
        if kind == "aspirantes":
            return csv_response(f"{name}-aspirantes.csv", ASPIRANT_HEADER, aspirant_rows(run))
        sheets = [
            ("Aspirantes", ASPIRANT_HEADER, aspirant_rows(run)),
            ("Apoyos", SUPPORT_HEADER, support_rows(run)),
        ]
        return xlsx_response(f"{name}.xlsx", sheets)


# The INE exchange route -------------------------------------------------------------------------


class IneAnswerForm(forms.Form):
    file = DataFileField(
        label="Respuesta del INE (CSV o XLSX)",
        help_text="Columnas: ID, SITUACION_REGISTRAL, CAUSA_BAJA, ENTIDAD, SECCION.",
        extensions=(".csv", ".txt", ".xlsx", ".csv.gz"),
        max_bytes=max_upload_bytes,
        formats="CSV o XLSX",
    )


def answer_suffix(name):
    name = name.lower()
    return ".csv.gz" if name.endswith(".csv.gz") else Path(name).suffix


def save_temporary(received, folder):
    """Write the received file under `folder`, keeping the extension the reader relies on."""
    path = Path(folder) / f"respuesta-ine{answer_suffix(received.name)}"
    with open(path, "wb") as handle:
        for chunk in received.chunks():
            handle.write(chunk)
    return path


def foreign_supports(user, path):
    """How many IDs of the file are supports outside the user's entity (read_answers raises
    FileRejected for an unusable file)."""
    answers, _ = read_answers(path)
    ids = list(answers)
    existing = Support.objects.filter(pk__in=ids).count()
    visible = Support.objects.visible_to(user).filter(pk__in=ids).count()
    return existing - visible


def import_answer_file(user, path):
    """Import INE's answers; returns (outcome, error message in Spanish)."""
    try:
        foreign = foreign_supports(user, path)
        if foreign:
            return None, (
                f"El archivo incluye {foreign} apoyos que no son de su entidad; no se importó nada."
            )
        return import_ine_results(path, user), None
    except FileRejected as error:
        return None, str(error)
    except CheckError as error:
        return None, f"Las respuestas se guardaron, pero no se pudo recalcular: {error}"


def ine_counts(office):
    supports = supports_of(office)
    answered = IneAnswer.objects.filter(support__in=supports.values("pk"))
    return {"supports": supports.count(), "answered": answered.count()}


class IneExchangeView(OplAdminRequiredMixin, View):
    """Download the file for INE and upload INE's answer (imported at once, results recomputed)."""

    def get(self, request, pk):
        office = visible_office(request, pk)
        return self.render(request, office, IneAnswerForm())

    def post(self, request, pk):
        office = visible_office(request, pk)
        # Refuse an oversized body before Django reads the file.
        if request_too_large(request, max_upload_bytes()):
            messages.error(request, too_large_message(max_upload_bytes()))
            return redirect("verification:ine", pk=office.pk)
        form = IneAnswerForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, office, form, status=400)
        with tempfile.TemporaryDirectory(prefix="apoyo-ine-") as folder:
            path = save_temporary(form.cleaned_data["file"], folder)
            outcome, error = import_answer_file(request.user, path)
        log_access(request, "importar", "respuesta del INE", office.pk, error or "")
        if error:
            messages.error(request, error)
            return self.render(request, office, IneAnswerForm(), status=400)
        return self.render(request, office, IneAnswerForm(), outcome=outcome)

    def render(self, request, office, form, status=200, outcome=None):
        context = {"office": office, "form": form, "counts": ine_counts(office)}
        if outcome is not None:
            rejected = outcome["rejected"]
            context.update(
                outcome=outcome,
                rejected=rejected[:REJECTED_SHOWN],
                rejected_hidden=max(0, len(rejected) - REJECTED_SHOWN),
            )
        return render(request, "verification/ine.html", context, status=status)


class IneExportView(OplAdminRequiredMixin, View):
    """The supports of the office for INE (CONTRACT export_for_ine)."""

    def get(self, request, pk):
        office = visible_office(request, pk)
        log_access(request, "exportar", "apoyos para el INE", office.pk, office.code)
        return csv_response(f"para-ine-{office.code}.csv", EXPORT_HEADER, export_rows(office))


# The aspirant portal ----------------------------------------------------------------------------


def portal_run(request, aspirant):
    """?run=<id> must be a finished run of the aspirant's own office; else the current run."""
    run_id = run_param(request)
    if run_id is None:
        return current_run(aspirant.office)
    runs = CheckRun.objects.filter(office=aspirant.office, status=RunStatus.DONE)
    return get_object_or_404(runs, pk=run_id)


class PortalResultsView(AspirantRequiredMixin, View):
    """The aspirant's own preliminary result and the motivo of each of their supports."""

    def get(self, request):
        aspirant = get_object_or_404(
            Aspirant.objects.visible_to(request.user).select_related("office__process")
        )
        run = portal_run(request, aspirant)
        log_access(request, "ver", "resultados propios", aspirant.pk)
        runs = CheckRun.objects.filter(office=aspirant.office, status=RunStatus.DONE)
        context = {
            "aspirant": aspirant,
            "office": aspirant.office,
            "run": run,
            "runs": runs.order_by("-finished_at", "-id")[:20],
        }
        if run is not None:
            context.update(aspirant_context(request, run, aspirant))
        return render(request, "verification/portal.html", context)

"""Pages of the preliminary results: the OPL's tables, charts, exports, the compulsa as a job and
the INE exchange route; and the aspirant's own results in their portal."""

import tempfile
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin, PolicyRequiredMixin
from apoyo.core.datafiles import DataFileField, request_too_large, too_large_message
from apoyo.core.exports import csv_response, list_response, xlsx_response
from apoyo.core.jobs import fail_if_dead
from apoyo.core.pagination import paginate
from apoyo.processes.models import Office
from apoyo.uploads.services import max_upload_bytes
from apoyo.verification import policies
from apoyo.verification import results as result_files
from apoyo.verification.chart import dispersion_chart
from apoyo.verification.counting import run_counts
from apoyo.verification.exchange import (
    EXPORT_HEADER,
    answer_counts,
    export_rows,
    import_answer_file,
)
from apoyo.verification.lookups import (
    portal_aspirant,
    run_param,
    selected_run,
    visible_aspirant,
    visible_office,
    visible_run,
)
from apoyo.verification.models import (
    AspirantResult,
    CheckRun,
    Motive,
    RunStatus,
    SupportResult,
    UnitResult,
)
from apoyo.verification.results import (
    ASPIRANT_HEADER,
    DISPERSION_HEADER,
    SUPPORT_HEADER,
    aspirant_rows,
    dispersion_rows,
    support_rows,
)
from apoyo.verification.services import FINISHED, active_run, current_run
from apoyo.verification.tasks import queue_check

VALID_FILTER = "validos"
EXPORTS = {("apoyos", "csv"), ("aspirantes", "csv"), ("resultados", "xlsx")}
REJECTED_SHOWN = 200


# Building blocks of the tables ----------------------------------------------------------------------


def threshold_percent(valid, required):
    """Progress towards the required supports as a percentage with two decimals, capped at 100.

    Rounded down, so that 4 of 1,440 reads 0.27% (not a bare 0%) and 100.00% only shows once the
    threshold is really met."""
    if not required:
        return Decimal(100)
    share = (Decimal(valid) * 100 / Decimal(required)).quantize(Decimal("0.01"), ROUND_DOWN)
    return min(Decimal(100), share)


def aspirant_row(result):
    counts = result.motive_counts
    motives = [(value, label, counts.get(value, 0)) for value, label in Motive.choices]
    return {
        "result": result,
        "progress": threshold_percent(result.valid, result.required),
        "motives": motives,
        "not_counted": sum(n for _, _, n in motives),
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


# OPL pages --------------------------------------------------------------------------------------


def office_actions(user, office):
    """The buttons of an office's results, each shown through the policy its view enforces."""
    return {
        "can_run_check": policies.can_run_check(user, office),
        "can_use_ine_route": policies.can_use_ine_route(user, office),
    }


def office_summary(user, office):
    run = current_run(office)
    return {
        "office": office,
        "run": run,
        "active": active_run(office),
        "rows": aspirant_table(run),
        **office_actions(user, office),
    }


class ResultsIndexView(PolicyRequiredMixin, View):
    """Every office of the user's entity with its current run and its aspirants' counts."""

    policy = policies.can_see_results

    def get(self, request):
        offices = (
            Office.objects.visible_to(request.user)
            .select_related("process")
            .order_by("process__code", "code")
        )
        context = {
            "offices": [office_summary(request.user, office) for office in offices],
        }
        return render(request, "verification/index.html", context)


class OfficeResultsView(PolicyRequiredMixin, View):
    """One office: the run asked for (default the current one), its exports and past runs."""

    policy = policies.can_see_results

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
            **office_actions(request.user, office),
        }
        return render(request, "verification/office.html", context)


class RunStartView(PolicyRequiredMixin, View):
    """Start a compulsa of the office as a background job and follow it on the run page."""

    policy = policies.can_run_check

    def post(self, request, pk):
        office = visible_office(request, pk)
        running = active_run(office)
        if running:
            messages.info(request, "Ya hay una compulsa en curso para este cargo.")
            return redirect("verification:run", pk=running.pk)
        run = queue_check(office, request.user)
        return redirect("verification:run", pk=run.pk)


class RunView(PolicyRequiredMixin, View):
    """A compulsa's page; with htmx, only its progress card (polled every second until it ends)."""

    policy = policies.can_see_results

    def get(self, request, pk):
        run = fail_if_dead(visible_run(request, pk))
        context = {"run": run, "finished": run.status in FINISHED, "counts": run_counts(run)}
        template = "verification/_run_progress.html" if request.htmx else "verification/run.html"
        return render(request, template, context)


class AspirantResultsView(PolicyRequiredMixin, View):
    """An aspirant's count, dispersion table and chart, and their supports by motivo."""

    policy = policies.can_see_results

    def get(self, request, pk):
        aspirant = visible_aspirant(request, pk)
        office = aspirant.office
        run = selected_run(request, office, CheckRun.objects.visible_to(request.user))
        log_access(request, "ver", "resultados", aspirant.pk)
        context = {"aspirant": aspirant, "office": office, "run": run}
        if run is not None:
            context.update(aspirant_context(request, run, aspirant))
        return render(request, "verification/aspirant.html", context)


def aspirant_results(request, run, aspirant):
    """The aspirant's supports in the run, scoped to the user, in capture order (the id breaks no
    tie: a support has one result per run; it lets a far page be read from the end)."""
    return (
        SupportResult.objects.visible_to(request.user)
        .filter(run=run, aspirant=aspirant)
        .select_related("support__cedula", "support__inconsistency")
        .order_by("support_id", "id")
    )


def aspirant_context(request, run, aspirant):
    """What the OPL's and the aspirant's result pages share: count, units, chart, supports."""
    result = AspirantResult.objects.filter(run=run, aspirant=aspirant).first()
    units = unit_rows(run, aspirant)
    motive = request.GET.get("motivo", "")
    results = aspirant_results(request, run, aspirant)
    return {
        "result": result,
        "row": aspirant_row(result) if result else None,
        "units": units,
        "chart": dispersion_chart(units),
        "page": paginate(request, filter_by_motive(results, motive), by_ids=True),
        "motive": motive,
        "motive_label": dict(motive_options()).get(motive, ""),
        "motive_options": motive_options(),
    }


class ExportView(PolicyRequiredMixin, View):
    """supports.csv / aspirants.csv of a run (CONTRACT export_results), or both in one XLSX."""

    policy = policies.can_see_results

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
            ("Dispersión", DISPERSION_HEADER, dispersion_rows(run)),
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


class IneExchangeView(PolicyRequiredMixin, View):
    """Download the file for INE and upload INE's answer (imported at once, results recomputed)."""

    policy = policies.can_use_ine_route

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
        context = {"office": office, "form": form, "counts": answer_counts(office)}
        if outcome is not None:
            rejected = outcome["rejected"]
            context.update(
                outcome=outcome,
                rejected=rejected[:REJECTED_SHOWN],
                rejected_hidden=max(0, len(rejected) - REJECTED_SHOWN),
            )
        return render(request, "verification/ine.html", context, status=status)


class IneExportView(PolicyRequiredMixin, View):
    """The supports of the office for INE (CONTRACT export_for_ine)."""

    policy = policies.can_use_ine_route

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
        aspirant = portal_aspirant(request)
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


class PortalResultsExportView(AspirantRequiredMixin, View):
    """The aspirant's own supports in the run shown (?run=, default the current one) with their
    motivo, as CSV or XLSX, with the page's motivo filter."""

    def get(self, request, fmt):
        aspirant = portal_aspirant(request)
        run = portal_run(request, aspirant)
        if run is None:
            raise Http404("Aún no hay compulsa de su cargo.")
        results = aspirant_results(request, run, aspirant)
        results = filter_by_motive(results, request.GET.get("motivo", ""))
        detail = f"compulsa {run.pk} {fmt} {request.GET.urlencode()}"
        log_access(request, "exportar", "resultados propios", aspirant.pk, detail)
        rows = result_files.portal_rows(results)
        name = f"mis-resultados-{aspirant.code}-compulsa-{run.pk}"
        return list_response(fmt, name, "Mis apoyos", result_files.PORTAL_HEADER, rows)

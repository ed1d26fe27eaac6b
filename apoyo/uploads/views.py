"""Pages of the carga masiva: upload, live progress, reports, original file, revert."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import CaptureRequiredMixin, PolicyRequiredMixin
from apoyo.core.datafiles import request_too_large, too_large_message
from apoyo.core.exports import csv_response, list_response, xlsx_response
from apoyo.core.jobs import fail_dead, fail_if_dead
from apoyo.core.pagination import paginate
from apoyo.supports.models import IssueKind, Upload, UploadStatus, inconsistencies_for_state
from apoyo.uploads.exports import UPLOAD_LIST_HEADER, upload_list_rows
from apoyo.uploads.forms import RevertForm, UploadForm
from apoyo.uploads.revert import revert_upload
from apoyo.uploads.services import (
    ISSUE_COLUMNS,
    issue_rows,
    max_upload_bytes,
    register_upload,
)
from apoyo.uploads.tasks import process_upload
from apoyo.uploads.template_file import template_csv, template_xlsx


class UploadListView(CaptureRequiredMixin, View):
    def get(self, request):
        return self.render(request, UploadForm(request.user))

    def post(self, request):
        # Refuse an oversized body before Django reads the file.
        if request_too_large(request, max_upload_bytes()):
            messages.error(request, too_large_message(max_upload_bytes()))
            return redirect("uploads:list")
        form = UploadForm(request.user, request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        data = form.cleaned_data
        received = data["file"]
        upload = register_upload(
            request.user, data["aspirant"], received, received.name, data["dry_run"]
        )
        transaction.on_commit(lambda: process_upload.enqueue(upload.pk))
        return redirect("uploads:detail", pk=upload.pk)

    def render(self, request, form, status=200):
        uploads = Upload.objects.visible_to(request.user).select_related("aspirant", "uploaded_by")
        fail_dead(uploads, retryable=True)  # a job whose worker died shows failed, to retry
        uploads = filter_uploads(request, uploads)
        context = {"form": form, "page": paginate(request, uploads)}
        return render(request, "uploads/list.html", context, status=status)


def filter_uploads(request, uploads):
    """The list's filters: ?mine=1 (the user's own uploads) and ?aspirant=<id>."""
    if request.GET.get("mine"):
        uploads = uploads.filter(uploaded_by=request.user)
    aspirant = request.GET.get("aspirant")
    if aspirant and aspirant.isdigit():
        uploads = uploads.filter(aspirant=aspirant)
    return uploads


class UploadListExportView(CaptureRequiredMixin, View):
    """The uploads list as CSV or XLSX, with the page's filters."""

    def get(self, request, fmt):
        uploads = Upload.objects.visible_to(request.user).select_related("aspirant", "uploaded_by")
        uploads = filter_uploads(request, uploads)
        log_access(request, "exportar", "cargas", detail=f"{fmt} {request.GET.urlencode()}")
        rows = upload_list_rows(uploads)
        return list_response(fmt, "cargas", "Cargas", UPLOAD_LIST_HEADER, rows)


def visible_upload(request, pk):
    uploads = Upload.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "uploaded_by", "reverted_by"
    )
    # A job whose worker died shows failed, to retry (apoyo.core.jobs).
    return fail_if_dead(get_object_or_404(uploads, pk=pk), retryable=True)


def shown_issues(request, upload):
    """The first rejected and skipped rows, once the upload is finished: their original values
    are personal data, so showing them (the page or its htmx refresh) is logged."""
    if not upload.is_finished:
        return []
    issues = list(upload.issues.order_by("row_number", "id")[:50])
    if issues:
        log_access(request, "ver", "filas de una carga", upload.pk, f"{len(issues)} filas")
    return issues


def shown_warnings(request, upload):
    """The first stored rows the row rules warned about (letters or birth date of the clave
    against the names, a clave repeated for the aspirant): saved, but worth a look against the
    cédula. Logged like the issues: they show claves and names."""
    if upload.status != UploadStatus.DONE or upload.dry_run:
        return []
    warned = upload.supports.exclude(warnings="").select_related("cedula").order_by("id")[:50]
    warned = list(warned)
    if warned:
        log_access(request, "ver", "advertencias de una carga", upload.pk, f"{len(warned)} filas")
    return warned


class UploadDetailView(CaptureRequiredMixin, View):
    def get(self, request, pk):
        upload = visible_upload(request, pk)
        template = "uploads/_progress.html" if request.htmx else "uploads/detail.html"
        context = {
            "upload": upload,
            "issues": shown_issues(request, upload),
            "warned": shown_warnings(request, upload),
        }
        return render(request, template, context)


class UploadReportView(CaptureRequiredMixin, View):
    """The rejected rows (CSV) or rejected and skipped rows (XLSX), with their original values."""

    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        return report_response(request, visible_upload(request, pk), fmt)


def report_response(request, upload, fmt):
    """An upload's error report as CSV (rejected rows) or XLSX (rejected and skipped rows)."""
    log_access(request, "exportar", "reporte de carga", upload.pk, fmt)
    name = f"carga-{upload.pk}-reporte"
    if fmt == "csv":
        return csv_response(f"{name}.csv", ISSUE_COLUMNS, issue_rows(upload))
    sheets = [
        ("Rechazadas", ISSUE_COLUMNS, issue_rows(upload, [IssueKind.REJECTED])),
        ("Omitidas", ISSUE_COLUMNS, issue_rows(upload, [IssueKind.SKIPPED])),
    ]
    return xlsx_response(f"{name}.xlsx", sheets)


class UploadOriginalView(CaptureRequiredMixin, View):
    """The file as received, only through this permission-checked view."""

    def get(self, request, pk):
        upload = visible_upload(request, pk)
        log_access(request, "descargar", "archivo de carga", upload.pk)
        return FileResponse(
            upload.file.open("rb"), as_attachment=True, filename=upload.original_name
        )


class UploadRevertView(PolicyRequiredMixin, View):
    """An administrator reverts a whole upload, giving the reason (revert.revert_upload)."""

    policy = policies.can_administer
    refusal = "Solo un administrador del OPL puede revertir una carga."

    def get(self, request, pk):
        upload = visible_upload(request, pk)
        if not upload.can_revert:
            return redirect("uploads:detail", pk=upload.pk)
        return self.render(request, upload, RevertForm())

    def post(self, request, pk):
        upload = visible_upload(request, pk)
        form = RevertForm(data=request.POST)
        if not form.is_valid():
            return self.render(request, upload, form, status=400)
        count, error = revert_upload(request.user, upload, form.cleaned_data["reason"])
        if error:
            form.add_error("reason" if upload.can_revert else None, error)
            return self.render(request, upload, form, status=400)
        messages.success(
            request,
            f"Carga {upload.pk} revertida: {count:,} apoyos retirados con el motivo "
            f"«{upload.revert_reason}». Se conservan con su historial y ya no cuentan.",
        )
        return redirect("uploads:detail", pk=upload.pk)

    def render(self, request, upload, form, status=200):
        context = {"upload": upload, "form": form}
        return render(request, "uploads/revert.html", context, status=status)


class UploadRetryView(CaptureRequiredMixin, View):
    def post(self, request, pk):
        upload = visible_upload(request, pk)
        if not upload.can_retry:
            messages.error(
                request,
                "Esta carga no se reintenta: solo una carga interrumpida por un error del "
                "sistema puede correr de nuevo. Si el archivo fue rechazado, corríjalo y súbalo "
                "otra vez.",
            )
            return redirect("uploads:detail", pk=upload.pk)
        Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.QUEUED, message="")
        transaction.on_commit(lambda: process_upload.enqueue(upload.pk))
        return redirect("uploads:detail", pk=upload.pk)


class TemplateView(PolicyRequiredMixin, View):
    """The carga masiva template, the same for the OPL and for the aspirant's pre-capture."""

    policy = policies.can_download_template

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        if fmt == "csv":
            response = FileResponse(iter([template_csv()]), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="plantilla-carga-masiva.csv"'
            return response
        catalogue = list(
            inconsistencies_for_state(request.user.state_id).values_list("code", "name")
        )
        response = FileResponse(
            iter([template_xlsx(catalogue)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="plantilla-carga-masiva.xlsx"'
        return response

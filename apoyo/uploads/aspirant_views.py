"""The aspirant's carga masiva in the portal, with the OPL's template: every row enters the mesa de
control queue as pending review (channel `aspirant`) and never counts until a revisor accepts it.
An aspirant only reaches their own aspirant record and uploads (`visible_to`)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin
from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import request_too_large, too_large_message
from apoyo.core.jobs import fail_dead, fail_if_dead
from apoyo.core.pagination import paginate
from apoyo.supports.models import Channel, Upload
from apoyo.uploads.forms import SupportFileForm
from apoyo.uploads.services import max_upload_bytes, register_upload
from apoyo.uploads.tasks import process_upload
from apoyo.uploads.views import report_response, shown_issues, shown_warnings


def own_aspirant(request):
    return get_object_or_404(
        Aspirant.objects.visible_to(request.user).select_related("office__process")
    )


class AspirantUploadsView(AspirantRequiredMixin, View):
    """The aspirant's carga masiva with the OPL's template, and their upload history."""

    def get(self, request):
        log_access(request, "listar", "cargas propias")
        return self.render(request, SupportFileForm())

    def post(self, request):
        aspirant = own_aspirant(request)
        if request_too_large(request, max_upload_bytes()):
            messages.error(request, too_large_message(max_upload_bytes()))
            return redirect("uploads:aspirant_list")
        form = SupportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        received = form.cleaned_data["file"]
        upload = register_upload(
            request.user,
            aspirant,
            received,
            received.name,
            form.cleaned_data["dry_run"],
            channel=Channel.ASPIRANT,
        )
        transaction.on_commit(lambda: process_upload.enqueue(upload.pk))
        return redirect("uploads:aspirant_detail", pk=upload.pk)

    def render(self, request, form, status=200):
        aspirant = own_aspirant(request)
        uploads = Upload.objects.visible_to(request.user).select_related("uploaded_by")
        fail_dead(uploads, retryable=True)  # a job whose worker died shows failed
        context = {"aspirant": aspirant, "form": form, "page": paginate(request, uploads)}
        return render(request, "uploads/aspirant_list.html", context, status=status)


def own_upload(request, pk):
    uploads = Upload.objects.visible_to(request.user).select_related("aspirant__office__process")
    return fail_if_dead(get_object_or_404(uploads, pk=pk), retryable=True)


class AspirantUploadView(AspirantRequiredMixin, View):
    """Live progress and summary of one of the aspirant's uploads."""

    def get(self, request, pk):
        upload = own_upload(request, pk)
        template = "uploads/_progress.html" if request.htmx else "uploads/aspirant_detail.html"
        context = {
            "upload": upload,
            "issues": shown_issues(request, upload),
            "warned": shown_warnings(request, upload),
            "portal": True,
        }
        return render(request, template, context)


class AspirantUploadReportView(AspirantRequiredMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        return report_response(request, own_upload(request, pk), fmt)

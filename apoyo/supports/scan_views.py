"""Cédula scans, served only through a permission check, never as static files."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.core.filetypes import CONTENT_TYPES
from apoyo.supports.models import CedulaScan


@method_decorator([xframe_options_sameorigin, never_cache], name="dispatch")
class ScanView(PolicyRequiredMixin, View):
    """A cédula scan, only for the OPL users of its entity and its own aspirant; shown inline so
    the review page can embed it (same origin only)."""

    policy = policies.can_see_scans

    def get(self, request, pk):
        scan = get_object_or_404(CedulaScan.objects.visible_to(request.user), pk=pk)
        log_access(request, "ver", "escaneo de cédula", scan.pk)
        return FileResponse(
            scan.file.open("rb"),
            content_type=CONTENT_TYPES[scan.kind],
            filename=scan.original_name,
        )

"""Cédula scans and the images of their pages, served only through a permission check, never as
static files."""

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
from apoyo.supports.models import CedulaScan, CedulaScanPage


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


@method_decorator(never_cache, name="dispatch")
class ScanPageView(PolicyRequiredMixin, View):
    """One page of a PDF scan drawn as a JPEG, under the same rules as the scan itself."""

    policy = policies.can_see_scans

    def get(self, request, pk, number):
        pages = CedulaScanPage.objects.visible_to(request.user).select_related("scan")
        page = get_object_or_404(pages, scan_id=pk, number=number)
        log_access(request, "ver", "escaneo de cédula", page.scan_id, detail=f"página {number}")
        stem = page.scan.original_name.rsplit(".", 1)[0] or "escaneo"
        return FileResponse(
            page.file.open("rb"),
            content_type=CONTENT_TYPES["jpeg"],
            filename=f"{stem}-pagina-{number}.jpg",
        )

"""The objects a verification page is about, found among those the user may see (scoping: another
entity's office, run or aspirant is a 404, not a 403), and the run a page shows."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from apoyo.aspirants.models import Aspirant
from apoyo.processes.models import Office
from apoyo.verification.models import CheckRun, RunStatus
from apoyo.verification.services import current_run


def visible_office(request, pk):
    offices = Office.objects.visible_to(request.user).select_related("process__state")
    return get_object_or_404(offices, pk=pk)


def visible_aspirant(request, pk):
    aspirants = Aspirant.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(aspirants, pk=pk)


def portal_aspirant(request):
    """The aspirant whose portal this is (scoping leaves an aspirant account only its own)."""
    aspirants = Aspirant.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(aspirants)


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

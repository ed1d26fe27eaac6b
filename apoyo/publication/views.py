"""The public progress pages (no account), their open data, and the OPL administrator's
"Publicar cifras" / "Retirar publicación" on a compulsa. The work is in services.py, figures.py
and opendata.py.

The public pages are never cached: a withdrawn publication must disappear at once."""

from itertools import groupby

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.decorators.cache import never_cache

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.core.exports import csv_response
from apoyo.processes.models import Office
from apoyo.publication import opendata, policies, services
from apoyo.publication.chart import NARROW, path_chart
from apoyo.publication.figures import aspirant_names, office_history, run_figures
from apoyo.verification.lookups import visible_run
from apoyo.verification.models import RunStatus

DATA_FORMATS = ("csv", "json")


@method_decorator(never_cache, name="dispatch")
class IndexView(View):
    """Every process and office with published figures, with the day of its newest compulsa."""

    def get(self, request):
        offices = list(services.offices_with_figures())
        for office in offices:
            office.current_run = services.current_published_run(office)
        processes = [
            (process, list(items)) for process, items in groupby(offices, lambda o: o.process)
        ]
        return render(request, "publication/index.html", {"processes": processes})


def published_office(pk):
    """The office and its published history; 404 when nothing of it is public."""
    office = get_object_or_404(Office.objects.select_related("process__state"), pk=pk)
    history = office_history(office)
    if not history:
        raise Http404("Este cargo no tiene cifras publicadas.")
    return office, history


@method_decorator(never_cache, name="dispatch")
class OfficeView(View):
    """An office's public progress: the newest published compulsa's figures, the path over every
    published compulsa, the open-data downloads and their columns."""

    def get(self, request, pk):
        office, history = published_office(pk)
        context = {
            "office": office,
            "history": history,
            "current": history[-1],
            "chart": path_chart(history),
            "narrow_chart": path_chart(history, NARROW),
            "columns": opendata.COLUMNS,
        }
        return render(request, "publication/office.html", context)


@method_decorator(never_cache, name="dispatch")
class OfficeDataView(View):
    """The open data of an office: CSV or JSON, the same rows and columns (opendata.py)."""

    def get(self, request, pk, fmt):
        if fmt not in DATA_FORMATS:
            raise Http404
        office, history = published_office(pk)
        name = f"avance-{office.code}"
        if fmt == "csv":
            return csv_response(f"{name}.csv", opendata.HEADER, opendata.csv_rows(office, history))
        response = JsonResponse(
            opendata.json_document(office, history),
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.json")
        return response


# The administrator's acts ---------------------------------------------------------------------------


def publishable_run(request, pk):
    """A run of the user's entity they may publish (another entity's is a 404 through scoping)."""
    run = visible_run(request, pk)
    if not policies.can_publish(request.user, run):
        raise Http404
    return run


def confirmation_context(run):
    return {
        "run": run,
        "publication": services.publication_of(run),
        "finished": run.status == RunStatus.DONE,
        "figures": run_figures(run, aspirant_names(run.office))
        if run.status == RunStatus.DONE
        else [],
    }


class PublishView(PolicyRequiredMixin, View):
    """ "Publicar cifras": a confirmation page with what will be public, then the act."""

    policy = policies.can_publish

    def get(self, request, pk):
        run = publishable_run(request, pk)
        return render(request, "publication/publish.html", confirmation_context(run))

    def post(self, request, pk):
        run = publishable_run(request, pk)
        try:
            publication, created = services.publish_figures(request.user, run)
        except services.PublicationRefused as refused:
            messages.error(request, str(refused))
            return redirect("verification:run", pk=run.pk)
        if created:
            log_access(request, "publicar cifras", "compulsa", run.pk, run.office.code)
            messages.success(request, "Las cifras de la compulsa ya son públicas.")
        else:
            messages.info(request, "Las cifras de esta compulsa ya estaban publicadas.")
        return redirect("verification:run", pk=run.pk)


class WithdrawView(PolicyRequiredMixin, View):
    """ "Retirar publicación": a confirmation page, then the figures leave the public pages."""

    policy = policies.can_publish

    def get(self, request, pk):
        run = publishable_run(request, pk)
        return render(request, "publication/withdraw.html", confirmation_context(run))

    def post(self, request, pk):
        run = publishable_run(request, pk)
        withdrawn = services.withdraw_publication(request.user, run)
        if withdrawn is not None:
            log_access(request, "retirar publicación", "compulsa", run.pk, run.office.code)
            messages.success(request, "Se retiró la publicación: las cifras ya no son públicas.")
        else:
            messages.info(request, "Las cifras de esta compulsa no estaban publicadas.")
        return redirect("verification:run", pk=run.pk)

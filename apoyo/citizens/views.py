"""Pages of the consulta ciudadana: the public lookup, "Yo no di este apoyo", the aviso de
privacidad, and the OPL administrators' list of desconocimientos ciudadanos.

The public pages carry no account and are never cached (their answers name a citizen's aspirants);
the work is in services.py.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apoyo.accounts.audit import client_address, log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.citizens import policies, services
from apoyo.citizens.forms import DisownForm, LookupForm
from apoyo.citizens.models import CitizenReport
from apoyo.core.pagination import paginate
from apoyo.supports.models import Support
from apoyo.supports.states import state_of, with_state


@method_decorator(never_cache, name="dispatch")
class LookupView(View):
    """ "¿Aparezco como apoyo?": the form, and its answer. An unknown clave and a known clave with
    a wrong OCR or CIC get the same page, status and work (services.look_up)."""

    def get(self, request):
        return render(request, "citizens/lookup.html", {"form": LookupForm()})

    def post(self, request):
        form = LookupForm(data=request.POST)
        if not form.is_valid():
            return render(request, "citizens/lookup.html", {"form": form}, status=400)
        data = form.cleaned_data
        answer = services.look_up(data["elector_key"], data["number"], client_address(request))
        if answer.limited:
            return render(request, "citizens/limited.html", limit_context(), status=429)
        context = {
            "supports": answer.supports,
            "token": answer.token,
            "disown_minutes": settings.APOYO_CITIZEN_DISOWN_MINUTES,
        }
        return render(request, "citizens/answer.html", context)


def limit_context():
    return {
        "per_address": settings.APOYO_CITIZEN_LOOKUPS_PER_ADDRESS,
        "per_key": settings.APOYO_CITIZEN_LOOKUPS_PER_KEY,
        "minutes": settings.APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES,
    }


@method_decorator(never_cache, name="dispatch")
class DisownView(View):
    """ "Yo no di este apoyo": the contact and statement of a citizen whose lookup listed the
    support (the answer's signed pass says so)."""

    def post(self, request):
        form = DisownForm(data=request.POST)
        try:
            support = services.passed_support(
                request.POST.get("token", ""), int_or_none(request.POST.get("support"))
            )
        except services.DisownRefused as refused:
            return render(request, "citizens/disown_refused.html", {"reason": refused}, status=400)
        if not form.is_valid():
            context = {"support": support, "form": form}
            return render(request, "citizens/disown.html", context, status=400)
        data = form.cleaned_data
        try:
            report, created = services.disown_support(
                support,
                data["contact_kind"],
                data["contact"],
                data["statement"],
                client_address(request),
            )
        except services.DisownRefused as refused:
            return render(request, "citizens/disown_refused.html", {"reason": refused}, status=400)
        context = {"report": report, "created": created, "support": support}
        return render(request, "citizens/disowned.html", context)


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def privacy_notice(request):
    """The full aviso de privacidad (integral) of the consulta ciudadana."""
    context = {"retention_years": settings.APOYO_AUDIT_RETENTION_DAYS // 365}
    return render(request, "citizens/privacy.html", context)


class ReportListView(PolicyRequiredMixin, View):
    """ "Desconocimientos ciudadanos": the reports on supports of the administrator's entity,
    newest first, with where each support stands. No contact here: it is read one report at a
    time, logged."""

    policy = policies.can_read_reports

    def get(self, request):
        reports = CitizenReport.objects.visible_to(request.user).select_related(
            "support__aspirant__office__process"
        )
        page = paginate(request, reports)
        states = support_states([report.support_id for report in page])
        for report in page:
            report.support_state = states.get(report.support_id)
        log_access(request, "listar", "desconocimientos ciudadanos", detail=request.GET.urlencode())
        return render(request, "citizens/reports.html", {"page": page})


def support_states(ids):
    """{support id: its derived state}, in one query."""
    supports = with_state(Support.objects.filter(pk__in=ids).select_related("inconsistency"))
    return {support.pk: state_of(support) for support in supports}


class ReportDetailView(PolicyRequiredMixin, View):
    """One report: the citizen's contact and statement, and the support it is about."""

    policy = policies.can_read_reports

    def get(self, request, pk):
        reports = CitizenReport.objects.visible_to(request.user).select_related(
            "support__aspirant__office__process"
        )
        report = get_object_or_404(reports, pk=pk)
        log_access(request, "ver", "desconocimiento ciudadano", report.pk)
        state = support_states([report.support_id]).get(report.support_id)
        return render(request, "citizens/report.html", {"report": report, "state": state})

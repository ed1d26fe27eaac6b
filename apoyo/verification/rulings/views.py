"""Pages of the dictamen: the list of an office's dictámenes with the button to generate one, the
printable page of a stored dictamen and its PDF. The rules are in services.py, who may act in
apoyo.verification.policies."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.verification import policies
from apoyo.verification.lookups import visible_office
from apoyo.verification.models import Ruling
from apoyo.verification.rulings.figures import (
    hearing_summary,
    hearing_text,
    outcome_text,
    units_text,
)
from apoyo.verification.rulings.services import (
    RulingError,
    blockers,
    current_ruling,
    generate_ruling,
    held_hearing,
    invalid_supports,
)
from apoyo.verification.services import current_run


def render_list(request, office, error=None, status=200):
    run = current_run(office)
    # A missing hearing is lifted by a recorded reason (the form asks for it), the rest are not.
    hard = blockers(office, run, no_hearing_reason="-") if run else blockers(office, run)
    context = {
        "office": office,
        "run": run,
        "blockers": hard,
        "needs_no_hearing_reason": bool(run)
        and not held_hearing(office)
        and invalid_supports(run) > 0,
        "in_force": current_ruling(office),
        "posted": request.POST if error else {},
        "can_issue_ruling": policies.can_issue_ruling(request.user, office),
        "rulings": Ruling.objects.visible_to(request.user)
        .filter(office=office)
        .select_related("generated_by", "run"),
        "error": error,
    }
    return render(request, "verification/ruling_list.html", context, status=status)


class RulingListView(PolicyRequiredMixin, View):
    """The office's dictámenes (newest first) and, for administrators, the button to generate."""

    policy = policies.can_see_results

    def get(self, request, pk):
        return render_list(request, visible_office(request, pk))


class RulingGenerateView(PolicyRequiredMixin, View):
    policy = policies.can_issue_ruling

    def post(self, request, pk):
        office = visible_office(request, pk)
        if request.POST.get("confirm") != "1":
            error = (
                "Confirme que revisó las cifras: el dictamen no se puede editar una vez generado."
            )
            return render_list(request, office, error=error, status=400)
        try:
            ruling = generate_ruling(
                request.user,
                office,
                no_hearing_reason=request.POST.get("no_hearing_reason", ""),
                supersede_reason=request.POST.get("supersede_reason", ""),
            )
        except RulingError as error:
            return render_list(request, office, error=str(error), status=400)
        messages.success(
            request, f"Dictamen N.º {ruling.pk} generado con la compulsa N.º {ruling.run_id}."
        )
        return redirect("verification:ruling", pk=ruling.pk)


def visible_ruling(request, pk):
    rulings = Ruling.objects.visible_to(request.user).select_related("office", "generated_by")
    return get_object_or_404(rulings, pk=pk)


class RulingView(PolicyRequiredMixin, View):
    """A stored dictamen as a printable page, drawn from the figures kept with it."""

    policy = policies.can_see_results

    def get(self, request, pk):
        ruling = visible_ruling(request, pk)
        log_access(request, "ver", "dictamen", ruling.pk)
        figures = ruling.figures
        aspirants = [
            dict(
                a,
                outcome=outcome_text(a),
                units_label=units_text(a),
                hearing_text=hearing_text(a["hearing"]),
            )
            for a in figures["aspirants"]
        ]
        context = {
            "ruling": ruling,
            "office": ruling.office,
            "f": figures,
            "aspirants": aspirants,
            "hearing_summary": hearing_summary(figures),
        }
        return render(request, "verification/ruling_detail.html", context)


class RulingPdfView(PolicyRequiredMixin, View):
    policy = policies.can_see_results

    def get(self, request, pk):
        ruling = visible_ruling(request, pk)
        log_access(request, "descargar", "dictamen", ruling.pk)
        try:
            handle = ruling.pdf.open("rb")
        except FileNotFoundError as error:
            raise Http404("El PDF del dictamen ya no está disponible.") from error
        stamp = ruling.pdf.name.rsplit("/", 1)[-1]
        return FileResponse(
            handle, as_attachment=True, filename=stamp, content_type="application/pdf"
        )

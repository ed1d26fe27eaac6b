"""The sampling projection of an aspirant (linked from the aspirant's results) and the draw."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import client_address, log_access
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.aspirants.models import Aspirant
from apoyo.sampling import policies
from apoyo.sampling.forms import DrawForm
from apoyo.sampling.models import Sample
from apoyo.sampling.projection import project_aspirant
from apoyo.sampling.services import SamplingRefused, current_sample, draw_sample
from apoyo.supports.models import Status, Support


def visible_aspirant(request, pk):
    """The aspirant among those the user may see (another entity's is a 404, not a 403)."""
    aspirants = Aspirant.objects.visible_to(request.user).select_related("office__process")
    return get_object_or_404(aspirants, pk=pk)


def page(request, aspirant, form=None):
    sample = current_sample(aspirant)
    pending = Support.objects.filter(aspirant=aspirant, status=Status.PENDING_REVIEW).count()
    context = {
        "aspirant": aspirant,
        "office": aspirant.office,
        "sample": sample,
        "projection": project_aspirant(sample) if sample else None,
        "history": Sample.objects.filter(aspirant=aspirant).select_related("drawn_by")[:20],
        "pending": pending,
        "can_draw": policies.can_draw_sample(request.user, aspirant),
        "form": form or DrawForm(),
    }
    return render(request, "sampling/aspirant.html", context, status=400 if form else 200)


class ProjectionView(PolicyRequiredMixin, View):
    """The current sample of an aspirant, its projection and band, and the draw form."""

    policy = policies.can_see_projection

    def get(self, request, pk):
        aspirant = visible_aspirant(request, pk)
        log_access(request, "ver", "proyeccion", aspirant.pk)
        return page(request, aspirant)


class DrawView(PolicyRequiredMixin, View):
    """Draw a new sample (the OPL administrator of the aspirant's entity)."""

    policy = policies.can_draw_sample

    def post(self, request, pk):
        aspirant = visible_aspirant(request, pk)
        if not policies.can_draw_sample(request.user, aspirant):
            raise PermissionDenied(
                "Solo un administrador del OPL de la entidad sortea una muestra."
            )
        form = DrawForm(request.POST)
        if not form.is_valid():
            return page(request, aspirant, form)
        try:
            sample = draw_sample(
                request.user, aspirant, address=client_address(request), **form.draw_arguments()
            )
        except SamplingRefused as refusal:
            form.add_error(None, str(refusal))
            return page(request, aspirant, form)
        messages.success(
            request,
            f"Muestra sorteada: {sample.size:,} apoyos con la semilla {sample.seed}. "
            "La mesa de control los revisará primero.",
        )
        return redirect("sampling:aspirant", pk=aspirant.pk)

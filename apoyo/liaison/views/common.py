"""What every SIVOPLE page shares: who may open it, how a refusal reads, the navigation's flags and
how a step's outcome reaches the user."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from apoyo.accounts import policies as roles
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.liaison import policies
from apoyo.liaison.models import Answer, Consultation
from apoyo.liaison.workflow import WorkflowError


class SivopleMixin(PolicyRequiredMixin):
    """OPL staff, UTVOPL and area users; a refusal is shown as a page with its Spanish reason."""

    policy = roles.can_use_sivople

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            reason = str(exc) or "No tiene permiso para esta acción."
            return render(request, "liaison/denied.html", {"reason": reason}, status=403)


class UtvoplMixin(SivopleMixin):
    policy = roles.is_liaison_unit


def page(request, template, context, status=200):
    """Render a SIVOPLE page; the navigation offers registering with the policy that allows it."""
    context = {**context, "may_register": policies.can_register(request.user)}
    return render(request, template, context, status=status)


def visible_consultation(request, pk):
    consultations = Consultation.objects.visible_to(request.user).select_related(
        "doc_type", "state", "created_by"
    )
    return get_object_or_404(consultations, pk=pk)


def visible_answer(request, pk):
    """An answer of a folio the user sees, and that folio; an answer the user may not read yet (a
    draft, for the OPL) is as absent as one of another folio."""
    answer = get_object_or_404(Answer.objects.select_related("area"), pk=pk)
    consultation = visible_consultation(request, answer.consultation_id)
    if not Answer.objects.visible_to(request.user).filter(pk=answer.pk).exists():
        raise Http404
    return answer, consultation


def step_done(request, consultation, step, success):
    """Run a service step; a state that does not allow it becomes an error message."""
    try:
        step()
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("liaison:detail", pk=consultation.pk)

"""Pages of the mesa de control: the queue, the review of one support beside its images, the
four-eyes confirmations, the administrator's panel, and the permission-checked scan files.

The decisions live in review.py; these views only read the request, call it and pick the next page.
"""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import OplAdminRequiredMixin, ReviewerRequiredMixin
from apoyo.core.pagination import paginate
from apoyo.review import services as review
from apoyo.review.forms import ConfirmationForm, InconsistencyDecisionForm, ReviewFilterForm
from apoyo.review.panel import pending_by_aspirant, reviewer_throughput
from apoyo.review.queue import (
    confirmation_queue,
    next_confirmation,
    next_in_queue,
    open_proposal,
    review_queue,
    visible_proposals,
)
from apoyo.supports.models import ReviewOutcome, Support
from apoyo.supports.scans import support_images

FILTER_FIELDS = ("aspirant", "channel", "reference", "date_from", "date_to")


def queue_query(params):
    """The queue's filters as a query string, carried from page to page of the review."""
    query = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        if params.get(name):
            query[name] = params[name]
    return query.urlencode()


def queue_filters(user, params):
    form = ReviewFilterForm(user, data=params)
    return form.cleaned_data if form.is_valid() else {}


def with_query(url, query):
    return f"{url}?{query}" if query else url


class ReviewQueueView(ReviewerRequiredMixin, View):
    """Pending supports of the entity, oldest first, with filters."""

    def get(self, request):
        filtering = any(request.GET.get(name) for name in FILTER_FIELDS)
        form = ReviewFilterForm(request.user, data=request.GET if filtering else None)
        filters = form.cleaned_data if filtering and form.is_valid() else {}
        queue = review_queue(request.user, filters)
        page = paginate(request, queue)
        log_access(request, "listar", "mesa de control", detail=request.GET.urlencode())
        context = {
            "form": form,
            "page": page,
            "query": queue_query(request.GET),
            "first": queue.first(),
            "awaiting": visible_proposals(request.user).count(),
        }
        return render(request, "review/queue.html", context)


def get_reviewed_support(request, pk):
    supports = Support.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "cedula", "inconsistency", "captured_by"
    )
    return get_object_or_404(supports, pk=pk)


def render_review(request, support, decision_form=None, confirmation_form=None, status=200):
    """The review page: the support's data and decisions beside its images."""
    query = queue_query(request.GET)
    proposal = open_proposal(support) if support.is_pending_review else None
    if proposal:
        following = next_confirmation(request.user, proposal)
        next_url = following and reverse("review:support", args=[following.support_id])
    else:
        queue = review_queue(request.user, queue_filters(request.user, request.GET))
        following = next_in_queue(queue, support)
        next_url = following and with_query(reverse("review:support", args=[following.pk]), query)
    state_id = support.aspirant.office.process.state_id
    context = {
        "support": support,
        "proposal": proposal,
        "images": support_images(support),
        "decision_form": decision_form or InconsistencyDecisionForm(state_id),
        "confirmation_form": confirmation_form or ConfirmationForm(),
        "query": query,
        "next_url": next_url,
        "queue_url": with_query(reverse("review:queue"), query),
        "changes": support.changes.select_related("user"),
        "may_decide": support.captured_by_id != request.user.pk,
    }
    return render(request, "review/support.html", context, status=status)


def next_page(request, support):
    """After a decision, the next support of the same filtered queue, or the queue itself."""
    query = queue_query(request.GET)
    queue = review_queue(request.user, queue_filters(request.user, request.GET))
    following = next_in_queue(queue, support)
    if following is None:
        messages.info(request, "No quedan apoyos pendientes de revisión con estos filtros.")
        return redirect(with_query(reverse("review:queue"), query))
    return redirect(with_query(reverse("review:support", args=[following.pk]), query))


class ReviewSupportView(ReviewerRequiredMixin, View):
    def get(self, request, pk):
        support = get_reviewed_support(request, pk)
        log_access(request, "revisar", "apoyo", support.pk)
        return render_review(request, support)


class ReviewAcceptView(ReviewerRequiredMixin, View):
    def post(self, request, pk):
        support = get_reviewed_support(request, pk)
        try:
            review.accept_support(request.user, support)
        except review.ReviewRefused as refused:
            messages.error(request, str(refused))
            url = reverse("review:support", args=[support.pk])
            return redirect(with_query(url, queue_query(request.GET)))
        messages.success(request, f"Apoyo {support.elector_key} aceptado.")
        return next_page(request, support)


class ReviewInconsistencyView(ReviewerRequiredMixin, View):
    def post(self, request, pk):
        support = get_reviewed_support(request, pk)
        state_id = support.aspirant.office.process.state_id
        form = InconsistencyDecisionForm(state_id, data=request.POST)
        if not form.is_valid():
            return render_review(request, support, decision_form=form, status=400)
        data = form.cleaned_data
        try:
            decision = review.record_inconsistency(
                request.user, support, data["inconsistency"], data["comment"]
            )
        except review.ReviewRefused as refused:
            form.add_error(None, str(refused))
            return render_review(request, support, decision_form=form, status=400)
        code = data["inconsistency"].code
        if decision.outcome == ReviewOutcome.PROPOSED:
            messages.warning(
                request,
                f"Rechazo {code} propuesto para {support.elector_key}: "
                "cuenta solo cuando otro revisor lo confirme.",
            )
        else:
            messages.success(request, f"Inconsistencia {code} registrada en {support.elector_key}.")
        return next_page(request, support)


class ReviewConfirmView(ReviewerRequiredMixin, View):
    """The second revisor's decision on an open four-eyes rejection."""

    def post(self, request, pk):
        support = get_reviewed_support(request, pk)
        form = ConfirmationForm(data=request.POST)
        decision = request.POST.get("decision")
        if not form.is_valid() or decision not in {"confirm", "overturn"}:
            return render_review(request, support, confirmation_form=form, status=400)
        proposal = open_proposal(support)
        comment = form.cleaned_data["comment"]
        try:
            if decision == "confirm":
                review.confirm_rejection(request.user, support, comment)
                messages.success(request, f"Rechazo de {support.elector_key} confirmado.")
            else:
                review.overturn_rejection(request.user, support, comment)
                messages.success(
                    request,
                    f"Rechazo de {support.elector_key} no confirmado: el apoyo vuelve a la cola.",
                )
        except review.ReviewRefused as refused:
            form.add_error(None, str(refused))
            return render_review(request, support, confirmation_form=form, status=400)
        following = next_confirmation(request.user, proposal)
        if following is None:
            messages.info(request, "No quedan rechazos por confirmar.")
            return redirect("review:confirmations")
        return redirect("review:support", pk=following.support_id)


class ConfirmationListView(ReviewerRequiredMixin, View):
    """Four-eyes rejections waiting for a second revisor."""

    def get(self, request):
        proposals = confirmation_queue(request.user)
        page = paginate(request, proposals)
        log_access(request, "listar", "rechazos por confirmar")
        first = next_confirmation(request.user)
        context = {"page": page, "first": first}
        return render(request, "review/confirmations.html", context)


class ReviewPanelView(OplAdminRequiredMixin, View):
    """The OPL administrator's view of the mesa de control: throughput and pending work."""

    def get(self, request):
        dates, rows = reviewer_throughput(request.user)
        aspirants = pending_by_aspirant(request.user)
        totals = {
            "in_queue": sum(a.in_queue for a in aspirants),
            "awaiting": sum(a.awaiting for a in aspirants),
            "per_day": [sum(row["counts"][i] for row in rows) for i in range(len(dates))],
            "decisions": sum(row["total"] for row in rows),
        }
        context = {"dates": dates, "rows": rows, "aspirants": aspirants, "totals": totals}
        return render(request, "review/panel.html", context)

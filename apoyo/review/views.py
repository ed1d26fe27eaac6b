"""Pages of the mesa de control: the queue, the review of one support beside its images, the
four-eyes confirmations and the administrator's panel.

The decisions live in services.py and the claims in claims.py; these views only read the request,
call them and pick the next page.
"""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import OplAdminRequiredMixin, ReviewerRequiredMixin
from apoyo.core.exports import list_response
from apoyo.core.pagination import paginate
from apoyo.review import claims
from apoyo.review import services as review
from apoyo.review.exports import QUEUE_HEADER, queue_rows
from apoyo.review.forms import ConfirmationForm, InconsistencyDecisionForm, ReviewFilterForm
from apoyo.review.panel import pending_by_aspirant, reviewer_throughput
from apoyo.review.queue import (
    claim_next,
    claim_next_confirmation,
    confirmation_queue,
    next_confirmation,
    open_proposal,
    queue_size,
    review_queue,
    searched_queue,
    visible_proposals,
    waiting_supports,
)
from apoyo.supports.models import ReviewOutcome, Support
from apoyo.supports.scans import support_images
from apoyo.supports.search import capped_count

FILTER_FIELDS = ("q", "aspirant", "channel", "reference", "date_from", "date_to")
NO_FREE_SUPPORT = (
    "No quedan apoyos libres en esta cola: los pendientes los están revisando otros revisores "
    "(cada uno se libera al decidirlo, al saltarlo o a los {minutes} minutos)."
)


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


def with_claims(page):
    """Each support (or proposal) of the page with `claim`: the live claim on it, or None."""
    rows = list(page)
    support_of = {row.pk: getattr(row, "support_id", row.pk) for row in rows}
    held = claims.claims_of(support_of.values())
    for row in rows:
        row.claim = held.get(support_of[row.pk])
    return page


def filtered_queue(request):
    """The queue's filter form, its filters, the queue they select (every pending support without
    filters) and whether its search is broad (supports.search)."""
    filtering = any(request.GET.get(name) for name in FILTER_FIELDS)
    form = ReviewFilterForm(request.user, data=request.GET if filtering else None)
    filters = form.cleaned_data if filtering and form.is_valid() else {}
    return form, filters, *searched_queue(request.user, filters)


class ReviewQueueView(ReviewerRequiredMixin, View):
    """Pending supports of the entity, oldest first, with filters and who has each one open."""

    def get(self, request):
        # Back at the queue the revisor has left the review: what they had open is free again.
        claims.release(request.user)
        form, filters, queue, broad = filtered_queue(request)
        awaiting = visible_proposals(request.user).count()
        size = None if any(filters.values()) else queue_size(request.user, awaiting)
        size, capped = capped_count(queue) if broad else (size, False)
        # The page's rows are read by id without the filters, which chose them already.
        page = with_claims(
            paginate(request, queue, count=size, rows=waiting_supports(request.user), capped=capped)
        )
        log_access(request, "listar", "mesa de control", detail=request.GET.urlencode())
        context = {
            "form": form,
            "page": page,
            "query": queue_query(request.GET),
            "in_review": claims.held_by_others(queue, request.user),
            "awaiting": awaiting,
            "claim_minutes": claims.claim_minutes(),
            "capped": size if capped else None,
            "q": filters.get("q", "").strip(),
        }
        return render(request, "review/queue.html", context)


class ReviewQueueExportView(ReviewerRequiredMixin, View):
    """The queue as CSV or XLSX, with the page's filters and search (every match of a broad
    search, which the page counts only up to a cap)."""

    def get(self, request, fmt):
        _, _, queue, _ = filtered_queue(request)
        log_access(
            request, "exportar", "mesa de control", detail=f"{fmt} {request.GET.urlencode()}"
        )
        return list_response(
            fmt, "mesa-de-control", "Mesa de control", QUEUE_HEADER, queue_rows(queue)
        )


class ReviewStartView(ReviewerRequiredMixin, View):
    """ "Comenzar revisión" (or confirmaciones): the first support nobody else has open, claimed.

    A link, like the page of each support, which claims it as well: a claim only keeps other
    revisors off for a few minutes, so following a link to it does no harm.
    """

    def get(self, request):
        query = queue_query(request.GET)
        if request.GET.get("queue") == "confirmations":
            proposal = claim_next_confirmation(request.user)
            if proposal is None:
                messages.info(request, "No quedan rechazos libres que usted pueda confirmar.")
                return redirect("review:confirmations")
            return redirect("review:support", pk=proposal.support_id)
        queue = review_queue(request.user, queue_filters(request.user, request.GET))
        support = claim_next(request.user, queue)
        if support is None:
            messages.info(request, NO_FREE_SUPPORT.format(minutes=claims.claim_minutes()))
            return redirect(with_query(reverse("review:queue"), query))
        return redirect(with_query(reverse("review:support", args=[support.pk]), query))


def get_reviewed_support(request, pk):
    supports = Support.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "cedula", "inconsistency", "captured_by"
    )
    return get_object_or_404(supports, pk=pk)


def open_for(user, support, proposal):
    """Claim the support when this revisor may act on it. Returns (claimed, holder): whether the
    user now has it open, and the other revisor's live claim that keeps them off it, or None."""
    if not support.is_pending_review or support.captured_by_id == user.pk:
        return False, None
    if proposal is not None and proposal.reviewer_id == user.pk:
        return False, None
    if claims.claim(user, support):
        return True, None
    return False, claims.holder_elsewhere(user, support)


def render_review(request, support, decision_form=None, confirmation_form=None, status=200):
    """The review page: the support's data and decisions beside its images."""
    query = queue_query(request.GET)
    proposal = open_proposal(support) if support.is_pending_review else None
    claimed, holder = open_for(request.user, support, proposal)
    state_id = support.aspirant.office.process.state_id
    context = {
        "support": support,
        "proposal": proposal,
        "holder": holder,
        "claimed": claimed,
        "claim_minutes": claims.claim_minutes(),
        "images": support_images(support),
        "decision_form": decision_form or InconsistencyDecisionForm(state_id),
        "confirmation_form": confirmation_form or ConfirmationForm(),
        "query": query,
        "changes": support.changes.select_related("user"),
        "may_decide": support.captured_by_id != request.user.pk and holder is None,
    }
    return render(request, "review/support.html", context, status=status)


def next_page(request, support):
    """After a decision or a skip, the next support of the same filtered queue that nobody else
    has open (claimed for this revisor), or the queue itself."""
    query = queue_query(request.GET)
    queue = review_queue(request.user, queue_filters(request.user, request.GET))
    following = claim_next(request.user, queue, support)
    if following is None:
        if queue.exists():
            messages.info(request, NO_FREE_SUPPORT.format(minutes=claims.claim_minutes()))
        else:
            messages.info(request, "No quedan apoyos pendientes de revisión con estos filtros.")
        return redirect(with_query(reverse("review:queue"), query))
    return redirect(with_query(reverse("review:support", args=[following.pk]), query))


def next_confirmation_page(request, proposal):
    following = claim_next_confirmation(request.user, proposal)
    if following is None:
        messages.info(request, "No quedan rechazos por confirmar.")
        return redirect("review:confirmations")
    return redirect("review:support", pk=following.support_id)


class ReviewSupportView(ReviewerRequiredMixin, View):
    def get(self, request, pk):
        support = get_reviewed_support(request, pk)
        log_access(request, "revisar", "apoyo", support.pk)
        return render_review(request, support)


class ReviewSkipView(ReviewerRequiredMixin, View):
    """ "Saltar": leave this support undecided, free for another revisor, and open the next one."""

    def post(self, request, pk):
        support = get_reviewed_support(request, pk)
        claims.release(request.user, support)
        proposal = open_proposal(support) if support.is_pending_review else None
        if proposal is not None:
            return next_confirmation_page(request, proposal)
        return next_page(request, support)


class ReviewLeaveView(ReviewerRequiredMixin, View):
    """ "Salir de la revisión": the support is free again and the revisor is back at the queue."""

    def post(self, request, pk):
        support = get_reviewed_support(request, pk)
        claims.release(request.user, support)
        return redirect(with_query(reverse("review:queue"), queue_query(request.GET)))


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
            form.add_error(refused.field, str(refused))
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
        if not form.is_valid():
            return render_review(request, support, confirmation_form=form, status=400)
        proposal = open_proposal(support)
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "confirm":
                review.confirm_rejection(request.user, support, comment)
                messages.success(request, f"Rechazo de {support.elector_key} confirmado.")
            else:
                review.overturn_rejection(request.user, support, comment)
                messages.success(
                    request,
                    f"Rechazo de {support.elector_key} no confirmado: el apoyo vuelve a la cola.",
                )
        except review.ReviewRefused as refused:
            form.add_error(refused.field, str(refused))
            return render_review(request, support, confirmation_form=form, status=400)
        return next_confirmation_page(request, proposal)


class ConfirmationListView(ReviewerRequiredMixin, View):
    """Four-eyes rejections waiting for a second revisor, and who has each one open."""

    def get(self, request):
        claims.release(request.user)
        proposals = confirmation_queue(request.user)
        page = with_claims(paginate(request, proposals))
        log_access(request, "listar", "rechazos por confirmar")
        context = {"page": page, "first": next_confirmation(request.user)}
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

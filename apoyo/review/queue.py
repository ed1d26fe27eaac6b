"""The mesa de control's queues: pending supports oldest first, and four-eyes rejections awaiting a
second revisor; and the next one of each that a revisor may take (claims.py keeps two revisors off
the same support)."""

import datetime

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Sum
from django.utils import timezone

from apoyo.core.identity import normalize_text
from apoyo.review import claims
from apoyo.supports.models import (
    Review,
    Status,
    Support,
    SupportTally,
    open_proposals,
)
from apoyo.supports.search import search_supports


def review_queue(user, filters=None):
    """The supports of the user's entity waiting for a first decision, oldest capture first.

    `filters` may hold q (folio, clave or name, supports.search), aspirant, channel, reference (the
    cédula's folio), date_from and date_to (capture dates, both included). Supports with an open four-eyes proposal are not here: they
    wait in `confirmation_queue`.
    """
    return searched_queue(user, filters)[0]


def searched_queue(user, filters=None):
    """review_queue, and whether its search is broad (supports.search): the queue's page then
    counts it only up to a cap."""
    supports, broad = filter_queue(waiting_supports(user), filters or {})
    return sampled_first(supports), broad


def waiting_supports(user):
    """The queue's supports without filters or order: what its page reads its rows from by id."""
    return (
        Support.objects.visible_to(user)
        .filter(status=Status.PENDING_REVIEW)
        .filter(~Exists(open_proposals().filter(support=OuterRef("pk"))))
        .select_related("aspirant__office", "cedula")
    )


def queue_size(user, awaiting):
    """How many supports the unfiltered review_queue holds: the entity's pending supports, as
    SupportTally keeps them, less the `awaiting` ones with an open proposal (one per support at
    most), instead of counting 200,000 pending supports at a million (0.3 s, issue 15)."""
    pending = SupportTally.objects.visible_to(user).filter(status=Status.PENDING_REVIEW)
    return (pending.aggregate(n=Sum("n"))["n"] or 0) - awaiting


def sampled_first(supports):
    """The supports of an aspirant's current sample (apoyo.sampling) first, in the draw's order,
    then the rest oldest first: the sampled ones are reviewed early so the projection rests on
    reviewed supports. The sample is reached through its reverse relation (`sample_entries`,
    `active`, `rank`), not imported: sampling is a higher layer that builds on this one."""
    current = FilteredRelation("sample_entries", condition=Q(sample_entries__active=True))
    supports = supports.alias(current_sample=current)
    if not any_current_sample():
        # No sample anywhere: every rank would be empty. Ordering by capture alone gives the same
        # order and lets the queue's partial index serve a page, where the rank made the database
        # sort every pending support of the entity (1.5 s at 200,000 of them, issue 15).
        return supports.order_by("captured_at", "id")
    return supports.order_by(F("current_sample__rank").asc(nulls_last=True), "captured_at", "id")


def any_current_sample():
    """Whether any aspirant has a current sample (one probe of its partial unique index)."""
    entries = Support._meta.get_field("sample_entries").related_model
    return entries.objects.filter(active=True).exists()


def filter_queue(supports, filters):
    """`supports` filtered as `filters` say (see review_queue), and whether the search is broad."""
    supports, broad = search_supports(supports, filters.get("q", ""))
    if filters.get("aspirant"):
        supports = supports.filter(aspirant=filters["aspirant"])
    if filters.get("channel"):
        supports = supports.filter(channel=filters["channel"])
    reference = normalize_text(filters.get("reference"))
    if reference:
        supports = supports.filter(cedula__reference=reference)
    if filters.get("date_from"):
        supports = supports.filter(captured_at__gte=start_of(filters["date_from"]))
    if filters.get("date_to"):
        next_day = filters["date_to"] + datetime.timedelta(days=1)
        supports = supports.filter(captured_at__lt=start_of(next_day))
    return supports, broad


def start_of(day):
    """Midnight of a local date, as an aware datetime (keeps the queue index usable)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def after(support):
    """Supports later than `support` in the queue's order (sampled_first)."""
    later = Q(captured_at__gt=support.captured_at) | Q(
        captured_at=support.captured_at, pk__gt=support.pk
    )
    rank = support.sample_entries.filter(active=True).values_list("rank", flat=True).first()
    if rank is None:
        return Q(current_sample__isnull=True) & later
    return Q(current_sample__rank__gt=rank) | Q(current_sample__isnull=True)


def next_in_queue(queue, current):
    """The support after `current` in the (ordered) queue, wrapping to the start; None when
    nothing else waits. `current` itself may already have left the queue."""
    queue = queue.exclude(pk=current.pk)
    return queue.filter(after(current)).first() or queue.first()


def claim_next(user, queue, current=None):
    """Claim for `user` the first support of `queue` that nobody else has open and that the user
    did not capture (nobody reviews their own): after `current` when given, wrapping to the
    start. None when every one is taken."""
    queue = queue.exclude(captured_by=user)
    if current is None:
        return claims.claim_first(user, queue)
    queue = queue.exclude(pk=current.pk)
    return claims.claim_first(user, queue.filter(after(current))) or claims.claim_first(user, queue)


def visible_proposals(user):
    """Open four-eyes proposals on the pending supports of the user's entity.

    Picked by id from the partial index of open proposals (`open_proposals`, a handful): as a
    plain join SQLite walked every review, or every pending support of the entity, to find them
    (20–120 ms per mesa view at 105,000 supports, and growing with the reviews)."""
    return Review.objects.visible_to(user).filter(
        pk__in=open_proposals().values("pk"), support__status=Status.PENDING_REVIEW
    )


def confirmation_queue(user):
    """Open four-eyes proposals of the user's entity, oldest first (including the user's own, which
    only another revisor may resolve)."""
    return (
        visible_proposals(user)
        .select_related("support__aspirant", "support__cedula", "inconsistency", "reviewer")
        .order_by("at", "id")
    )


def next_confirmation(user, current=None):
    """The next open proposal this user may resolve (one somebody else proposed), after `current`
    (a Review), wrapping to the start."""
    proposals = confirmation_queue(user).exclude(reviewer=user)
    if current is None:
        return proposals.first()
    later = Q(at__gt=current.at) | Q(at=current.at, pk__gt=current.pk)
    proposals = proposals.exclude(pk=current.pk)
    return proposals.filter(later).first() or proposals.first()


def claim_next_confirmation(user, current=None):
    """Claim the support of the next open proposal this user may resolve that nobody else has
    open, after `current` (a Review), wrapping to the start; returns the proposal, or None."""
    proposals = confirmation_queue(user).exclude(reviewer=user)
    proposals = claims.unclaimed(proposals, user, support_field="support")
    limit = claims.MAX_ATTEMPTS
    if current is None:
        candidates = list(proposals[:limit])
    else:
        proposals = proposals.exclude(pk=current.pk)
        later = Q(at__gt=current.at) | Q(at=current.at, pk__gt=current.pk)
        candidates = [*proposals.filter(later)[:limit], *proposals[:limit]]
    for proposal in candidates[:limit]:
        if claims.claim(user, proposal.support):
            return proposal
    return None


def open_proposal(support):
    return (
        open_proposals().select_related("inconsistency", "reviewer").filter(support=support).first()
    )

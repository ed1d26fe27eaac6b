"""Claims: each revisor of the mesa de control works on a support nobody else has open.

"Comenzar revisión", "Saltar" and the page after a decision hand the revisor the next support of
the queue that no other revisor holds, and claim it for APOYO_REVIEW_CLAIM_MINUTES (10 by
default); opening a support's page claims it (or renews the claim) too. A revisor holds one claim
at a time: taking one releases the others, and so do skipping, leaving the review and deciding.
A claim nobody renews expires, so a closed tab frees its support by itself.

Taking a claim is one write of a ReviewClaim row, whose support is unique in the database: of two
revisors racing for one support exactly one gets in and the other moves on to the next one, on
SQLite (transactions are IMMEDIATE: one writer at a time) and PostgreSQL (the unique index makes
the second insert wait for the first and then fail) alike.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apoyo.review.models import ReviewClaim

# How many supports one request tries before it gives up: more than that many lost races at once
# would mean the queue is being emptied faster than it can be read.
MAX_ATTEMPTS = 20


def claim_minutes():
    return settings.APOYO_REVIEW_CLAIM_MINUTES


def live_claims():
    return ReviewClaim.objects.filter(expires_at__gt=timezone.now())


def unclaimed(rows, user, support_field="pk"):
    """`rows` (supports, or rows naming a support in `support_field`) without those whose support
    another revisor holds a live claim on."""
    others = live_claims().filter(support=OuterRef(support_field)).exclude(reviewer=user)
    return rows.filter(~Exists(others))


def held_by_others(supports, user):
    """How many of `supports` other revisors have open: the few live claims first, then only
    their supports looked up in the queue (as `support__in=<queue>` the database would build the
    whole queue to test a handful of rows)."""
    claimed = list(live_claims().exclude(reviewer=user).values_list("support_id", flat=True))
    return supports.filter(pk__in=claimed).count() if claimed else 0


def holder_elsewhere(user, support):
    """The live claim another revisor holds on `support`, or None."""
    claims = live_claims().select_related("reviewer").filter(support=support)
    return claims.exclude(reviewer=user).first()


def claim(user, support):
    """Claim `support` for `user` (or renew the user's claim) and release the user's others.

    Returns False, changing nothing, when another revisor holds a live claim on it.
    """
    now = timezone.now()
    expires = now + datetime.timedelta(minutes=claim_minutes())
    claims = ReviewClaim.objects.filter(support=support)
    try:
        with transaction.atomic():
            ReviewClaim.objects.filter(reviewer=user).exclude(support=support).delete()
            if claims.filter(reviewer=user).update(expires_at=expires):
                return True
            # An expired claim is taken over in place; otherwise a new row. Either write is the
            # one that two revisors cannot both make.
            if claims.filter(expires_at__lte=now).update(
                reviewer=user, claimed_at=now, expires_at=expires
            ):
                return True
            ReviewClaim.objects.create(
                support=support, reviewer=user, claimed_at=now, expires_at=expires
            )
    except IntegrityError:
        return False
    return True


def claim_first(user, candidates):
    """Claim the first support of the ordered queryset `candidates` nobody else holds; None when
    every one is taken."""
    for support in unclaimed(candidates, user)[:MAX_ATTEMPTS]:
        if claim(user, support):
            return support
    return None


def release(user, support=None):
    """Free the user's claims (only the one on `support`, when given)."""
    claims = ReviewClaim.objects.filter(reviewer=user)
    if support is not None:
        claims = claims.filter(support=support)
    claims.delete()


def close(support):
    """A decision was taken: nobody needs the support open any more."""
    ReviewClaim.objects.filter(support=support).delete()


def claims_of(supports):
    """The live claims on `supports` (a list), by support id, with their revisor."""
    claims = live_claims().select_related("reviewer").filter(support__in=supports)
    return {claim.support_id: claim for claim in claims}

"""The OPL administrator's panel of the mesa de control: decisions per revisor and day, and pending
supports per aspirant."""

import datetime

from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from apoyo.accounts.models import User
from apoyo.aspirants.models import Aspirant
from apoyo.review.queue import start_of, visible_proposals
from apoyo.supports.models import Review, ReviewOutcome, Status, Support

THROUGHPUT_DAYS = 7


def throughput_days(days=THROUGHPUT_DAYS):
    today = timezone.localdate()
    return [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]


def reviewer_throughput(user, days=THROUGHPUT_DAYS):
    """Decisions per revisor per day over the last `days` days (today included) in the user's
    entity: first decisions (accepted, inconsistency, proposed rejection) on the day they were
    taken and second-revisor decisions (confirmed or not) on the day of the confirmation.

    Returns (dates, rows); each row has the revisor, the count per date, the total and its
    breakdown.
    """
    dates = throughput_days(days)
    since = start_of(dates[0])
    reviews = Review.objects.visible_to(user)
    first = (
        reviews.filter(at__gte=since)
        .annotate(day=TruncDate("at"))
        .values("reviewer", "day", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    second = (
        reviews.filter(confirmed_at__gte=since)
        .annotate(day=TruncDate("confirmed_at"))
        .values("confirmed_by", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    table = {}

    def row_of(reviewer_id):
        return table.setdefault(
            reviewer_id,
            {"per_day": dict.fromkeys(dates, 0), "accepted": 0, "inconsistencies": 0, "second": 0},
        )

    for item in first:
        row = row_of(item["reviewer"])
        row["per_day"][item["day"]] = row["per_day"].get(item["day"], 0) + item["n"]
        key = "accepted" if item["outcome"] == ReviewOutcome.ACCEPTED else "inconsistencies"
        row[key] += item["n"]
    for item in second:
        row = row_of(item["confirmed_by"])
        row["per_day"][item["day"]] = row["per_day"].get(item["day"], 0) + item["n"]
        row["second"] += item["n"]
    users = User.objects.in_bulk([pk for pk in table if pk is not None])
    rows = []
    for reviewer_id, row in table.items():
        counts = [row["per_day"].get(day, 0) for day in dates]
        rows.append(
            {
                "reviewer": users.get(reviewer_id),
                "counts": counts,
                "total": sum(counts),
                "accepted": row["accepted"],
                "inconsistencies": row["inconsistencies"],
                "second": row["second"],
            }
        )
    rows.sort(key=lambda r: (-r["total"], str(r["reviewer"] or "")))
    return dates, rows


def pending_by_aspirant(user):
    """Each aspirant of the user's entity with its supports waiting in the queue, those waiting for
    a second revisor, and the capture time of the oldest pending one."""
    pending = (
        Support.objects.visible_to(user)
        .filter(status=Status.PENDING_REVIEW)
        .values("aspirant")
        .annotate(n=Count("id"), oldest=Min("captured_at"))
        .order_by()
    )
    awaiting = (
        visible_proposals(user).values("support__aspirant").annotate(n=Count("id")).order_by()
    )
    pending = {item["aspirant"]: item for item in pending}
    awaiting = {item["support__aspirant"]: item["n"] for item in awaiting}
    aspirants = list(
        Aspirant.objects.visible_to(user)
        .select_related("office__process")
        .order_by("office__process", "office__code", "code")
    )
    for aspirant in aspirants:
        item = pending.get(aspirant.pk, {})
        aspirant.pending = item.get("n", 0)
        aspirant.awaiting = awaiting.get(aspirant.pk, 0)
        aspirant.in_queue = aspirant.pending - aspirant.awaiting
        aspirant.oldest_pending = item.get("oldest")
    return aspirants

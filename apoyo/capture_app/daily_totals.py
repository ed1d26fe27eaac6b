"""Per-day totals of the supports an aspirant's auxiliaries captured with the app, for the aspirant's
page of auxiliaries: how much each one captured on each day (an app capture's support date is the
day it was taken)."""

from dataclasses import dataclass, field

from django.db.models import Count

from apoyo.supports.models import Channel, Support

# The table shows the most recent days with captures; older days are in the supports list.
SHOWN_DAYS = 14


@dataclass
class DayTotal:
    day: object
    total: int = 0
    # (auxiliary's name, supports), most first.
    parts: list = field(default_factory=list)


def daily_totals(aspirant, names, days=SHOWN_DAYS):
    """The last `days` days on which the aspirant's auxiliaries captured, newest first, each with
    its total and each auxiliary's part. `names` maps a capturing user id to the name shown.
    Two grouped queries whatever the number of supports; withdrawn captures count too, as in the
    per-auxiliary totals of the same page (they were captured that day)."""
    captures = Support.objects.filter(aspirant=aspirant, channel=Channel.APP)
    recent = list(
        captures.order_by("-support_date").values_list("support_date", flat=True).distinct()[:days]
    )
    grouped = (
        captures.filter(support_date__in=recent)
        .values("support_date", "captured_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = {day: DayTotal(day) for day in recent}
    for row in grouped:
        total = totals[row["support_date"]]
        total.total += row["n"]
        total.parts.append((names.get(row["captured_by"], "Cuenta sin auxiliar"), row["n"]))
    for total in totals.values():
        total.parts.sort(key=lambda part: (-part[1], part[0]))
    return [totals[day] for day in recent]


# The app's home screen shows the auxiliary's last week with captures.
OWN_SHOWN_DAYS = 7


def own_daily_totals(user, days=OWN_SHOWN_DAYS):
    """The last `days` days on which `user` captured with the app, newest first, as (day, supports)
    pairs: what the auxiliary's home screen shows (one grouped query). Counted like the aspirant's
    table above: every capture the server stored that day, withdrawn ones included."""
    rows = (
        Support.objects.filter(captured_by=user, channel=Channel.APP)
        .values("support_date")
        .annotate(n=Count("id"))
        .order_by("-support_date")[:days]
    )
    return [(row["support_date"], row["n"]) for row in rows]

"""Deadlines in working days (días hábiles): weekends and configured holidays are skipped.

Used by the garantía de audiencia (hearing windows) and by SIVOPLE due dates.
"""

from datetime import date, timedelta

from django.db.models import Q

from apoyo.processes.models import Holiday


def holidays_for(state=None, start=None, end=None):
    """The set of holiday dates that apply to an entity: national ones plus its own."""
    holidays = Holiday.objects.filter(Q(state__isnull=True) | Q(state=state))
    if start:
        holidays = holidays.filter(date__gte=start)
    if end:
        holidays = holidays.filter(date__lte=end)
    return set(holidays.values_list("date", flat=True))


def is_working_day(day: date, holidays: set) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: set) -> date:
    """The last day of a term of `days` working days that begins on `start`.

    The start day counts when it is a working day (a 5-day window opened on a Monday
    ends on Friday); a start on a weekend or holiday moves to the next working day.
    """
    if days < 1:
        raise ValueError("El plazo debe ser de al menos un día hábil.")
    day = start
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    counted = 1
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def term_end(start: date, days: int, state=None) -> date:
    """`add_working_days` with the entity's holidays read from the database."""
    # A term of n working days never spans more than n weeks plus the holidays in it;
    # reading a generous range keeps it to one query.
    window_end = start + timedelta(days=days * 3 + 60)
    return add_working_days(start, days, holidays_for(state, start, window_end))

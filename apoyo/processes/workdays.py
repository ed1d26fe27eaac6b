"""Deadlines in working days (días hábiles): weekends, the national days of rest and the days an
administrator declared non-working are skipped.

The national days of rest are those of the Ley Federal del Trabajo, art. 74 (1 January, the first
Monday of February, the third Monday of March, 1 May, 16 September, the third Monday of November,
1 October of the years the federal executive changes, 25 December), for every year, from the
maintained `holidays` package. Administrators add their own on top (the Holiday table: election
days, an institute's own calendar). Used by the garantía de audiencia and by SIVOPLE due dates.
"""

import functools
from datetime import date, timedelta

import holidays as public_holidays
from django.db.models import Q

from apoyo.processes.models import Holiday


@functools.lru_cache(maxsize=64)
def national_days_of_rest(year):
    """{date: name} of LFT art. 74's days of rest in `year`, in Spanish."""
    return dict(public_holidays.Mexico(years=year, language="es"))


def holidays_for(state=None, start=None, end=None):
    """{date: name} of the non-working days that apply to an entity between `start` and `end`:
    the national days of rest, the national days declared in Apoyo and the entity's own."""
    declared = Holiday.objects.filter(Q(state__isnull=True) | Q(state=state))
    if start:
        declared = declared.filter(date__gte=start)
    if end:
        declared = declared.filter(date__lte=end)
    days = {}
    for year in range((start or date.today()).year, (end or date.today()).year + 1):
        days.update(national_days_of_rest(year))
    days.update(dict(declared.values_list("date", "name")))
    return {day: name for day, name in days.items() if within(day, start, end)}


def within(day, start, end):
    return (start is None or day >= start) and (end is None or day <= end)


def is_working_day(day: date, holidays) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays) -> date:
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
    """`add_working_days` with the entity's non-working days."""
    return add_working_days(start, days, term_holidays(start, days, state))


def term_holidays(start, days, state):
    # A term of n working days never spans more than n weeks plus the holidays in it;
    # reading a generous range keeps it to one query.
    return holidays_for(state, start, start + timedelta(days=days * 3 + 60))


def skipped_holidays(start: date, end: date, state=None):
    """[(date, name)] of the weekdays between `start` and `end` that did not count because they
    were not working days: what a deadline shows beside its date."""
    days = holidays_for(state, start, end)
    return sorted((day, name) for day, name in days.items() if day.weekday() < 5)


def skipped_text(start: date, end: date, state=None):
    """A deadline's explanation in Spanish: which days it skipped besides weekends."""
    skipped = skipped_holidays(start, end, state)
    if not skipped:
        return "no cuentan sábados ni domingos"
    named = ", ".join(f"{day:%d/%m/%Y} ({name})" for day, name in skipped)
    return f"no cuentan sábados, domingos ni {named}"

"""The areas' deadlines, counted in working days on INE's calendar (DOMAIN.md, Working days)."""

from datetime import date, timedelta
from typing import NamedTuple

from django.utils import timezone

from apoyo.liaison.models import Status
from apoyo.processes.workdays import holidays_for, is_working_day, skipped_text, term_end


def due_date(doc_type, assigned_at):
    """The last day to answer: the type's `due_days` working days, counted from the working day
    after the assignment, skipping weekends and national holidays (INE's calendar)."""
    start = timezone.localdate(assigned_at) + timedelta(days=1)
    return term_end(start, doc_type.due_days, state=None)


def skipped_days(assignment):
    """Which days an assignment's term skipped besides weekends, in Spanish (INE's calendar)."""
    start = timezone.localdate(assignment.assigned_at) + timedelta(days=1)
    return skipped_text(start, assignment.due_date, state=None)


def due_soon_limit(today=None):
    """The last day of the "vence en 2 días hábiles" filter: the second working day after today."""
    today = today or timezone.localdate()
    return term_end(today + timedelta(days=1), DUE_SOON_DAYS, state=None)


# How a deadline reads on the pages and in the exports --------------------------------------------

# A term is "por vencer" in its last working days: the list's filter and the badges agree.
DUE_SOON_DAYS = 2
# The badge classes of apoyo.css that colour each state; the label always says it in words too.
ON_TIME, DUE_SOON, OVERDUE = "valid", "pending_review", "fails"
# Pending due dates lie a few weeks ahead: one year of non-working days covers any of them.
CALENDAR_HORIZON_DAYS = 366


class Deadline(NamedTuple):
    """A due date with its state in words (`label`, `detail`) and its badge colour; a folio
    concluded without an answer keeps its date with neither."""

    due: date
    label: str = ""
    detail: str = ""
    badge: str = ""

    @property
    def text(self):
        """The state as one phrase, for the exports: "Por vencer: quedan 2 días hábiles"."""
        return f"{self.label}: {self.detail}" if self.detail else self.label


def non_working_days(today):
    """INE's non-working days from today over the horizon, read once for a whole page or file."""
    return holidays_for(None, today, today + timedelta(days=CALENDAR_HORIZON_DAYS))


def working_days_left(today, due, holidays):
    """Working days after today up to the due date, both weekends and holidays skipped."""
    days, day = 0, today
    while day < due:
        day += timedelta(days=1)
        days += is_working_day(day, holidays)
    return days


def pending_deadline(due, today, holidays):
    """An unanswered term: on time, due soon (today or within the 2 working days of the list's
    "por vencer" filter) or overdue, with the days left or how late it is."""
    if due < today:
        late = (today - due).days
        return Deadline(due, "Vencida", f"hace {late} día{'s' if late != 1 else ''}", OVERDUE)
    left = working_days_left(today, due, holidays)
    if left == 0:
        return Deadline(due, "Por vencer", "vence hoy", DUE_SOON)
    detail = "queda 1 día hábil" if left == 1 else f"quedan {left} días hábiles"
    if left <= DUE_SOON_DAYS:
        return Deadline(due, "Por vencer", detail, DUE_SOON)
    return Deadline(due, "En plazo", detail, ON_TIME)


def answered_deadline(due, answered_at):
    """An answered term keeps its due date and says whether the answer reached the OPL in time
    (on or before the due date, local time)."""
    if timezone.localdate(answered_at) <= due:
        return Deadline(due, "Respondida en plazo", "", ON_TIME)
    return Deadline(due, "Respondida fuera de plazo", "", OVERDUE)


def assignment_deadline(assignment, today, holidays, closed=False):
    """One area's term: answered, pending, or (reassigned, or concluded unanswered) its date only."""
    if assignment.answered_at:
        return answered_deadline(assignment.due_date, assignment.answered_at)
    if closed or not assignment.active:
        return Deadline(assignment.due_date)
    return pending_deadline(assignment.due_date, today, holidays)


def folio_deadline(consultation, today, holidays):
    """A folio's term from its areas in force (`current_assignments`, prefetched by
    inbox.consultations_for): the nearest pending one; once all answered, the last due date and
    whether every area answered in time; None before it is assigned."""
    current = consultation.current_assignments
    if not current:
        return None
    pending = [a for a in current if a.answered_at is None]
    if pending:
        nearest = min(pending, key=lambda a: a.due_date)
        return assignment_deadline(nearest, today, holidays, consultation.status == Status.CLOSED)
    states = [answered_deadline(a.due_date, a.answered_at) for a in current]
    late = [state for state in states if state.badge == OVERDUE]
    return (late or states)[0]._replace(due=max(a.due_date for a in current))

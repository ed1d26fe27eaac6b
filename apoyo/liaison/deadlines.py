"""The areas' deadlines, counted in working days on INE's calendar (DOMAIN.md, Working days)."""

from datetime import timedelta

from django.utils import timezone

from apoyo.processes.workdays import skipped_text, term_end


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
    return term_end(today + timedelta(days=1), 2, state=None)

"""What the folio page shows a user and which steps it offers them now.

Each flag asks the same policy (policies.py) and the same `*_blocked` function as the service that
takes the step, so the page offers a button exactly when the step would be accepted.
"""

from django.db.models import Prefetch
from django.utils import timezone

from apoyo.liaison import mail, policies
from apoyo.liaison.answers import (
    answering_blocked,
    approval_blocked,
    forwarding_blocked,
    returning_blocked,
)
from apoyo.liaison.assignments import assigning_blocked, reassigning_blocked
from apoyo.liaison.deadlines import assignment_deadline, non_working_days, skipped_days
from apoyo.liaison.models import INTERNAL_EVENTS, Answer, AnswerStatus, Status
from apoyo.liaison.workflow import closing_blocked, follow_up_blocked


def folio_page(user, consultation, today=None):
    """The folio's data, areas, answers, follow-ups and timeline as `user` may see them, with the
    steps they may take: `may_assign`, `may_follow_up`, `may_close` (and whether at any time), and
    per row `can_answer`, `can_reassign`, `can_approve`, `can_forward`, `can_return`."""
    sees_internal = policies.sees_internal_work(user)
    events = consultation.events.select_related("actor", "area")
    if not sees_internal:
        events = events.exclude(kind__in=INTERNAL_EVENTS)
    may_close = policies.can_close(user, consultation) and not closing_blocked(user, consultation)
    answers = answers_of(user, consultation)
    follow_ups = list(
        consultation.follow_ups.select_related("created_by").prefetch_related("attachments")
    )
    return {
        "consultation": consultation,
        "opl_name": mail.opl_name(consultation.state),
        "attachments": consultation.attachments.filter(answer=None, follow_up=None),
        "assignments": assignments_of(user, consultation, today or timezone.localdate()),
        "answers": answers,
        "follow_ups": follow_ups,
        "thread": thread(answers, follow_ups),
        "events": events,
        "is_ine": sees_internal,
        "may_assign": policies.can_assign(user) and not assigning_blocked(consultation),
        "may_follow_up": (
            policies.can_follow_up(user, consultation) and not follow_up_blocked(consultation)
        ),
        "may_close": may_close,
        "closes_at_any_time": policies.closes_at_any_time(user),
    }


def assignments_of(user, consultation, today):
    """Every assignment, the ended ones too (the page shows them to INE only)."""
    closed = consultation.status == Status.CLOSED
    may_reassign = policies.can_assign(user)
    assignments = list(
        consultation.assignments.select_related("area", "assigned_by").prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.exclude(status=AnswerStatus.FORWARDED),
                to_attr="open_answers",
            )
        )
    )
    holidays = non_working_days(today)
    for assignment in assignments:
        assignment.deadline = assignment_deadline(assignment, today, holidays, closed)
        assignment.skipped = skipped_days(assignment)
        assignment.open_answer = (assignment.open_answers or [None])[0]
        assignment.can_answer = policies.can_answer(user, assignment) and not answering_blocked(
            consultation, assignment, assignment.open_answer
        )
        assignment.can_reassign = may_reassign and not reassigning_blocked(consultation, assignment)
    return assignments


def answers_of(user, consultation):
    """The answers the user may read (Answer.visible_to), each with the steps it allows them."""
    may_forward = policies.can_forward(user)
    answers = list(
        Answer.objects.visible_to(user)
        .filter(consultation=consultation)
        .select_related("area", "created_by", "approved_by", "forwarded_by", "assignment__area")
        .prefetch_related("attachments")
    )
    for answer in answers:
        answer.can_approve = policies.can_approve(user, answer) and not approval_blocked(
            consultation, answer
        )
        answer.can_forward = may_forward and not forwarding_blocked(consultation, answer)
        answer.can_return = may_forward and not returning_blocked(consultation, answer)
    return answers


def thread(answers, follow_ups):
    """The answers and the OPL's follow-ups in the order they happened, after the consultation
    itself: an answer counts from when it reached the OPL (forwarded), a draft INE still works on
    from when it was written. Each entry has its `kind` ("answer" or "follow_up"), `at` and `item`."""
    entries = [
        {"kind": "answer", "at": answer.forwarded_at or answer.created_at, "item": answer}
        for answer in answers
    ]
    entries += [
        {"kind": "follow_up", "at": follow_up.created_at, "item": follow_up}
        for follow_up in follow_ups
    ]
    return sorted(entries, key=lambda entry: entry["at"])

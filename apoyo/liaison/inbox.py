"""The queries behind the inbox, the list and the exports. What a user sees comes from
`visible_to`; what waits for them from their desk (policies.desk)."""

from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from apoyo.core.search import matches_words, search_words
from apoyo.liaison import policies
from apoyo.liaison.deadlines import (
    assignment_deadline,
    due_soon_limit,
    folio_deadline,
    non_working_days,
)
from apoyo.liaison.models import (
    EDITABLE_ANSWER,
    Answer,
    AnswerStatus,
    Area,
    Assignment,
    Consultation,
    Status,
)

INBOX_ROWS = 50


def consultations_for(user):
    """The user's visible folios with their next pending due date and current areas."""
    pending = Q(assignments__active=True, assignments__answered_at__isnull=True)
    return (
        Consultation.objects.visible_to(user)
        .select_related("doc_type", "state")
        .annotate(next_due=Min("assignments__due_date", filter=pending))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(active=True).select_related("area"),
                to_attr="current_assignments",
            )
        )
        .order_by("-created_at", "-pk")
    )


def filter_consultations(consultations, data, today=None):
    """Narrow `consultations_for` by the list's filters (FilterForm's cleaned data)."""
    today = today or timezone.localdate()
    consultations = search_consultations(consultations, data.get("q"))
    if data.get("state"):
        consultations = consultations.filter(state=data["state"])
    if data.get("area"):
        assigned = Assignment.objects.filter(active=True, area=data["area"])
        consultations = consultations.filter(pk__in=assigned.values("consultation"))
    if data.get("doc_type"):
        consultations = consultations.filter(doc_type=data["doc_type"])
    if data.get("status"):
        consultations = consultations.filter(status=data["status"])
    # A concluded folio is never late, whatever its last due date was.
    if data.get("due") == "overdue":
        consultations = consultations.filter(next_due__lt=today).exclude(status=Status.CLOSED)
    elif data.get("due") == "soon":
        consultations = consultations.filter(
            next_due__gte=today, next_due__lte=due_soon_limit(today)
        ).exclude(status=Status.CLOSED)
    return consultations


def with_deadlines(consultations, today, holidays=None):
    """The folios as a list, each with its `deadline` (deadlines.folio_deadline): the due date,
    its state in words and its colour, as the list, the inbox and the exports show it."""
    holidays = non_working_days(today) if holidays is None else holidays
    rows = list(consultations)
    for consultation in rows:
        consultation.deadline = folio_deadline(consultation, today, holidays)
    return rows


def search_consultations(consultations, text):
    """The folios whose folio, OPL folio, subject or description hold every word of `text`,
    ignoring case and accents ("cedulas" finds "cédulas"; core.search).

    Matched in Python over the user's visible folios rather than in SQL: SQLite has no
    accent-insensitive LIKE, the table holds a few thousand folios a year at most, and a search
    column would have to be kept on every edit of a subject or description."""
    words = search_words(text)
    if not words:
        return consultations
    fields = ("folio", "opl_folio", "subject", "description")
    rows = consultations.order_by().values_list("pk", *fields)
    found = [pk for pk, *texts in rows.iterator(chunk_size=500) if matches_words(words, *texts)]
    return consultations.filter(pk__in=found)


# The inbox, by desk -------------------------------------------------------------------------------


def inbox(user, today):
    """What waits for the user: UTVOPL the folios to assign, the answers to forward and what is
    late; an area user what their areas must answer and, as head, approve; the OPL its answers
    and what is in progress."""
    consultations = consultations_for(user)
    desk = policies.desk(user)
    holidays = non_working_days(today)

    def rows(queryset):
        return with_deadlines(queryset[:INBOX_ROWS], today, holidays)

    if desk == policies.LIAISON_UNIT:
        return {
            "to_assign": rows(consultations.filter(status=Status.REGISTERED)),
            "to_forward": _to_forward()[:INBOX_ROWS],
            "overdue": rows(filter_consultations(consultations, {"due": "overdue"}, today)),
        }
    if desk == policies.AREA:
        return {
            "to_answer": _to_answer(user, today, holidays),
            "to_approve": _to_approve(user)[:INBOX_ROWS],
            "areas": Area.objects.filter(members__user=user),
        }
    return {
        "answered": rows(consultations.filter(status=Status.FORWARDED)),
        "in_progress": rows(
            consultations.filter(status__in=[Status.REGISTERED, Status.ASSIGNED, Status.ANSWERED])
        ),
    }


def _to_forward():
    return (
        Answer.objects.filter(status=AnswerStatus.APPROVED, assignment__active=True)
        .exclude(consultation__status=Status.CLOSED)
        .select_related("consultation__state", "area", "approved_by")
        .order_by("approved_at")
    )


def _to_answer(user, today, holidays):
    """The user's areas' pending terms, nearest due date first, each with its `deadline`."""
    assignments = (
        Assignment.objects.filter(active=True, answered_at__isnull=True, area__members__user=user)
        .exclude(consultation__status=Status.CLOSED)
        .select_related("consultation__doc_type", "consultation__state", "area")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.exclude(status=AnswerStatus.FORWARDED),
                to_attr="open_answers",
            )
        )
        .order_by("due_date", "pk")[:INBOX_ROWS]
    )
    for assignment in assignments:
        assignment.open_answer = (assignment.open_answers or [None])[0]
        assignment.deadline = assignment_deadline(assignment, today, holidays)
    return assignments


def _to_approve(user):
    # The rows policies.can_approve admits, in one query: answers of the areas the user heads.
    return (
        Answer.objects.filter(
            status__in=EDITABLE_ANSWER,
            assignment__active=True,
            area__members__user=user,
            area__members__is_head=True,
        )
        .exclude(consultation__status=Status.CLOSED)
        .select_related("consultation", "area", "created_by")
        .order_by("updated_at")
    )

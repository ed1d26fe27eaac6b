"""The queries behind the inbox, the list and the exports. What a user sees comes from
`visible_to`; what waits for them from their desk (policies.desk)."""

from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from apoyo.liaison import policies
from apoyo.liaison.deadlines import due_soon_limit
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
    text = (data.get("q") or "").strip()
    if text:
        consultations = consultations.filter(
            Q(folio__icontains=text)
            | Q(opl_folio__icontains=text)
            | Q(subject__icontains=text)
            | Q(description__icontains=text)
        )
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


def is_overdue(consultation, today):
    """A folio of `consultations_for` whose next pending due date has passed."""
    return (
        consultation.next_due is not None
        and consultation.next_due < today
        and consultation.status != Status.CLOSED
    )


# The inbox, by desk -------------------------------------------------------------------------------


def inbox(user, today):
    """What waits for the user: UTVOPL the folios to assign, the answers to forward and what is
    late; an area user what their areas must answer and, as head, approve; the OPL its answers
    and what is in progress."""
    consultations = consultations_for(user)
    desk = policies.desk(user)
    if desk == policies.LIAISON_UNIT:
        return {
            "to_assign": consultations.filter(status=Status.REGISTERED)[:INBOX_ROWS],
            "to_forward": _to_forward()[:INBOX_ROWS],
            "overdue": filter_consultations(consultations, {"due": "overdue"}, today)[:INBOX_ROWS],
        }
    if desk == policies.AREA:
        return {
            "to_answer": _to_answer(user),
            "to_approve": _to_approve(user)[:INBOX_ROWS],
            "areas": Area.objects.filter(members__user=user),
        }
    return {
        "answered": consultations.filter(status=Status.FORWARDED)[:INBOX_ROWS],
        "in_progress": consultations.filter(
            status__in=[Status.REGISTERED, Status.ASSIGNED, Status.ANSWERED]
        )[:INBOX_ROWS],
    }


def _to_forward():
    return (
        Answer.objects.filter(status=AnswerStatus.APPROVED, assignment__active=True)
        .exclude(consultation__status=Status.CLOSED)
        .select_related("consultation__state", "area", "approved_by")
        .order_by("approved_at")
    )


def _to_answer(user):
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

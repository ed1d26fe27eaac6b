"""Mesa de control: the OPL's review of every support that did not come from the OPL itself.

A support of the aspirant's pre-capture (or of the capture app) enters as pending review and never
counts until a revisor accepts it: the compulsa only reads preliminary supports.

State machine (Support.status, plus at most one open four-eyes proposal, a Review row):

    pending_review --accept--------------------------------> preliminary, no inconsistency
    pending_review --record inconsistency (plain type)------> preliminary, with the inconsistency
    pending_review --record inconsistency (four-eyes type)--> pending_review + open proposal
    open proposal  --confirm (a different revisor)----------> preliminary, with the inconsistency
    open proposal  --overturn (a different revisor)---------> pending_review, back in the queue

A four-eyes type is an Inconsistency with `needs_confirmation` (SIMULACION in the national
catalogue). An overturned rejection goes back to the queue rather than being accepted: nothing
counts without an explicit acceptance, and the revisor who overturned it may review it at once.
Every decision is a Review row (the throughput figures) and one or more SupportChange lines (the
support's history). Only revisors and administrators of the OPL of the support's entity decide,
and never on a support they captured themselves.

Also here: the cédula scans the review looks at, and the figures of the administrator's panel.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant
from apoyo.core.filetypes import SCANS, check_upload, sha256_of
from apoyo.core.identity import normalize_text
from apoyo.supports.models import (
    CedulaScan,
    ChangeAction,
    Channel,
    Confirmation,
    ImageKind,
    Review,
    ReviewOutcome,
    Status,
    Support,
    SupportChange,
    inconsistencies_for_state,
    open_proposals,
)

REVIEW_ROLES = frozenset({Role.OPL_REVIEWER, Role.OPL_ADMIN})
# The code whose meaning is in the comment (DOMAIN.md catalogue: "OTRA ... ver comentario").
COMMENT_REQUIRED_CODES = frozenset({"OTRA"})
MAX_COMMENT = 500
THROUGHPUT_DAYS = 7


class ReviewRefused(Exception):
    """The decision cannot be taken as asked; the message says why, in Spanish."""


# Who may decide ------------------------------------------------------------------------------------


def can_review(user):
    """Revisors and administrators of an OPL work the mesa de control; nobody else."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in REVIEW_ROLES
        and user.state_id is not None
    )


def check_reviewer(user, support):
    """Raise PermissionDenied unless `user` may decide on `support`."""
    if not can_review(user):
        raise PermissionDenied(
            "Solo un revisor o administrador del OPL decide en la mesa de control."
        )
    if support.aspirant.office.process.state_id != user.state_id:
        raise PermissionDenied("El apoyo no pertenece a su entidad.")
    if support.captured_by_id == user.pk:
        raise PermissionDenied("No puede revisar un apoyo que usted capturó.")


# Decisions -----------------------------------------------------------------------------------------


def accept_support(user, support):
    """Accept a pending support: it becomes preliminary (and so enters the next compulsa)."""
    check_reviewer(user, support)
    with transaction.atomic():
        current = locked_pending(support)
        changes = [
            history(
                current,
                user,
                ChangeAction.REVIEW_ACCEPTED,
                "estado",
                Status.PENDING_REVIEW.label,
                Status.PRELIMINARY.label,
            )
        ]
        if current.inconsistency_id:
            code = current.inconsistency.code
            changes.append(
                history(
                    current, user, ChangeAction.REVIEW_ACCEPTED, "tipo de inconsistencia", code, ""
                )
            )
        current.status = Status.PRELIMINARY
        current.inconsistency = None
        current.save(update_fields=["status", "inconsistency"])
        review = Review.objects.create(
            support=current, reviewer=user, outcome=ReviewOutcome.ACCEPTED
        )
        SupportChange.objects.bulk_create(changes)
    support.refresh_from_db()
    return review


def record_inconsistency(user, support, inconsistency, comment=""):
    """Record a tipo de inconsistencia with a comment on a pending support.

    A plain type takes effect at once (the support becomes preliminary and the compulsa reports it
    with motivo INCONSISTENCIA). A type that needs confirmation only opens a proposal: the support
    stays pending until a different revisor confirms or overturns it.
    """
    check_reviewer(user, support)
    comment = clean_comment(comment)
    state_id = support.aspirant.office.process.state_id
    if (
        inconsistency is None
        or not inconsistencies_for_state(state_id).filter(pk=inconsistency.pk).exists()
    ):
        raise ReviewRefused("Elija un tipo de inconsistencia vigente del catálogo de su entidad.")
    if inconsistency.code in COMMENT_REQUIRED_CODES and not comment:
        raise ReviewRefused("Describa la inconsistencia en el comentario.")
    with transaction.atomic():
        current = locked_pending(support)
        if inconsistency.needs_confirmation:
            review = Review.objects.create(
                support=current,
                reviewer=user,
                outcome=ReviewOutcome.PROPOSED,
                inconsistency=inconsistency,
                comment=comment,
            )
            SupportChange.objects.create(
                support=current,
                user=user,
                action=ChangeAction.REJECTION_PROPOSED,
                field="tipo de inconsistencia",
                new_value=described(inconsistency, comment),
            )
        else:
            review = Review.objects.create(
                support=current,
                reviewer=user,
                outcome=ReviewOutcome.INCONSISTENCY,
                inconsistency=inconsistency,
                comment=comment,
            )
            apply_inconsistency(
                current, user, inconsistency, comment, ChangeAction.INCONSISTENCY_RECORDED
            )
    support.refresh_from_db()
    return review


def confirm_rejection(user, support, comment=""):
    """A second revisor confirms an open four-eyes rejection: the inconsistency takes effect."""
    check_reviewer(user, support)
    comment = clean_comment(comment)
    with transaction.atomic():
        current, proposal = locked_proposal(user, support)
        close_proposal(proposal, user, Confirmation.CONFIRMED, comment)
        apply_inconsistency(
            current,
            user,
            proposal.inconsistency,
            proposal.comment,
            ChangeAction.REJECTION_CONFIRMED,
            note=f"propuesto por {proposal.reviewer or '—'}",
        )
    support.refresh_from_db()
    return proposal


def overturn_rejection(user, support, comment):
    """A second revisor does not confirm an open four-eyes rejection; the support goes back to
    the queue, still pending, with the reason in its history."""
    check_reviewer(user, support)
    comment = clean_comment(comment)
    if not comment:
        raise ReviewRefused("Explique en el comentario por qué no confirma el rechazo.")
    with transaction.atomic():
        current, proposal = locked_proposal(user, support)
        close_proposal(proposal, user, Confirmation.OVERTURNED, comment)
        SupportChange.objects.create(
            support=current,
            user=user,
            action=ChangeAction.REJECTION_OVERTURNED,
            field="tipo de inconsistencia",
            old_value=f"{described(proposal.inconsistency, proposal.comment)} (propuesto por "
            f"{proposal.reviewer or '—'})"[:MAX_COMMENT],
            new_value=f"No confirmado: {comment}"[:MAX_COMMENT],
        )
    support.refresh_from_db()
    return proposal


def locked_pending(support):
    """Re-read the support locked inside the caller's transaction, so that two revisors never
    decide it twice; refuse unless it is still pending and has no open proposal."""
    current = Support.objects.select_related("inconsistency").select_for_update(of=("self",))
    current = current.get(pk=support.pk)
    if current.status != Status.PENDING_REVIEW:
        raise ReviewRefused(
            f"El apoyo ya no está pendiente de revisión (estado: {current.get_status_display()})."
        )
    if open_proposals().filter(support=current).exists():
        raise ReviewRefused(
            "El apoyo tiene un rechazo por confirmar: lo resuelve un segundo revisor."
        )
    return current


def locked_proposal(user, support):
    """The pending support and its open proposal, locked; the proposer may not resolve it."""
    current = Support.objects.select_for_update().get(pk=support.pk)
    if current.status != Status.PENDING_REVIEW:
        raise ReviewRefused(
            f"El apoyo ya no está pendiente de revisión (estado: {current.get_status_display()})."
        )
    proposal = (
        open_proposals()
        .select_related("inconsistency", "reviewer")
        .select_for_update(of=("self",))
        .filter(support=current)
        .first()
    )
    if proposal is None:
        raise ReviewRefused("El apoyo no tiene un rechazo por confirmar.")
    if proposal.reviewer_id == user.pk:
        raise PermissionDenied(
            "Usted propuso este rechazo: debe confirmarlo o descartarlo otro revisor."
        )
    return current, proposal


def close_proposal(proposal, user, confirmation, comment):
    proposal.confirmation = confirmation
    proposal.confirmed_by = user
    proposal.confirmed_at = timezone.now()
    proposal.confirmation_comment = comment
    proposal.save(
        update_fields=["confirmation", "confirmed_by", "confirmed_at", "confirmation_comment"]
    )


def apply_inconsistency(support, user, inconsistency, comment, action, note=""):
    """Set the inconsistency (and the comment, when one was written) and make the support
    preliminary, so the compulsa reports it with motivo INCONSISTENCIA; one history line per
    changed field."""
    new_value = described(inconsistency, comment)
    if note:
        new_value = f"{new_value} ({note})"
    changes = [
        history(
            support, user, action, "estado", Status.PENDING_REVIEW.label, Status.PRELIMINARY.label
        ),
        history(
            support,
            user,
            action,
            "tipo de inconsistencia",
            support.inconsistency.code if support.inconsistency_id else "",
            new_value,
        ),
    ]
    fields = ["status", "inconsistency"]
    if comment and comment != support.comment:
        changes.append(history(support, user, action, "comentario", support.comment, comment))
        support.comment = comment
        fields.append("comment")
    support.status = Status.PRELIMINARY
    support.inconsistency = inconsistency
    support.save(update_fields=fields)
    SupportChange.objects.bulk_create(changes)


def history(support, user, action, field, old, new):
    return SupportChange(
        support=support,
        user=user,
        action=action,
        field=field,
        old_value=str(old)[:MAX_COMMENT],
        new_value=str(new)[:MAX_COMMENT],
    )


def described(inconsistency, comment):
    return f"{inconsistency.code}: {comment}" if comment else inconsistency.code


def clean_comment(comment):
    return " ".join(str(comment or "").split())[:MAX_COMMENT]


# Queues --------------------------------------------------------------------------------------------


def review_queue(user, filters=None):
    """The supports of the user's entity waiting for a first decision, oldest capture first.

    `filters` may hold aspirant, channel, reference (the cédula's folio), date_from and date_to
    (capture dates, both included). Supports with an open four-eyes proposal are not here: they
    wait in `confirmation_queue`.
    """
    supports = (
        Support.objects.visible_to(user)
        .filter(status=Status.PENDING_REVIEW)
        .filter(~Exists(open_proposals().filter(support=OuterRef("pk"))))
    )
    supports = filter_queue(supports, filters or {})
    return supports.select_related("aspirant__office", "cedula").order_by("captured_at", "id")


def filter_queue(supports, filters):
    if filters.get("aspirant"):
        supports = supports.filter(aspirant=filters["aspirant"])
    if filters.get("channel"):
        supports = supports.filter(channel=filters["channel"])
    reference = normalize_text(filters.get("reference"))
    if reference:
        supports = supports.filter(cedula__reference=reference)
    if filters.get("date_from"):
        supports = supports.filter(captured_at__gte=start_of(filters["date_from"]))
    if filters.get("date_to"):
        next_day = filters["date_to"] + datetime.timedelta(days=1)
        supports = supports.filter(captured_at__lt=start_of(next_day))
    return supports


def start_of(day):
    """Midnight of a local date, as an aware datetime (keeps the queue index usable)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_in_queue(queue, current):
    """The support after `current` in the (ordered) queue, wrapping to the start; None when
    nothing else waits. `current` itself may already have left the queue."""
    later = Q(captured_at__gt=current.captured_at) | Q(
        captured_at=current.captured_at, pk__gt=current.pk
    )
    queue = queue.exclude(pk=current.pk)
    return queue.filter(later).first() or queue.first()


def visible_proposals(user):
    """Open four-eyes proposals on the pending supports of the user's entity."""
    return Review.objects.visible_to(user).filter(
        outcome=ReviewOutcome.PROPOSED, confirmation="", support__status=Status.PENDING_REVIEW
    )


def confirmation_queue(user):
    """Open four-eyes proposals of the user's entity, oldest first (including the user's own, which
    only another revisor may resolve)."""
    return (
        visible_proposals(user)
        .select_related("support__aspirant", "support__cedula", "inconsistency", "reviewer")
        .order_by("at", "id")
    )


def next_confirmation(user, current=None):
    """The next open proposal this user may resolve (one somebody else proposed), after `current`
    (a Review), wrapping to the start."""
    proposals = confirmation_queue(user).exclude(reviewer=user)
    if current is None:
        return proposals.first()
    later = Q(at__gt=current.at) | Q(at=current.at, pk__gt=current.pk)
    proposals = proposals.exclude(pk=current.pk)
    return proposals.filter(later).first() or proposals.first()


def open_proposal(support):
    return (
        open_proposals().select_related("inconsistency", "reviewer").filter(support=support).first()
    )


# Scans of paper cédulas ----------------------------------------------------------------------------


def max_scan_bytes():
    return settings.APOYO_SCAN_MAX_BYTES


def add_scan(user, cedula, uploaded):
    """Check an uploaded scan by its content (PDF, JPEG, PNG or WebP, at most APOYO_SCAN_MAX_BYTES)
    and keep it privately with its size and SHA-256. A renamed file is judged by its bytes.

    Raises ValidationError with a Spanish message when the file is refused, or when the same file
    is already a scan of the cédula.
    """
    kind = check_upload(uploaded, SCANS, max_scan_bytes())
    sha256 = sha256_of(uploaded)
    if CedulaScan.objects.filter(cedula=cedula, sha256=sha256).exists():
        raise ValidationError(
            f"El archivo «{uploaded.name}» ya está cargado en la cédula {cedula.reference}."
        )
    scan = CedulaScan(
        cedula=cedula,
        original_name=uploaded.name[:255],
        kind=kind,
        size=uploaded.size,
        sha256=sha256,
        uploaded_by=user,
    )
    scan.file.save(uploaded.name, uploaded, save=False)
    try:
        scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    return scan


@dataclass(frozen=True)
class ReviewImage:
    """One picture or document the revisor looks at beside a support."""

    label: str
    url: str
    is_pdf: bool


def support_images(support):
    """Everything to look at for a support: the capture app's four photos (credencial front and
    back, live photo, signature, in that order), or the scans of its paper cédula."""
    if support.channel == Channel.APP:
        order = {kind: index for index, kind in enumerate(ImageKind.values)}
        images = sorted(support.images.all(), key=lambda image: order[image.kind])
        return [
            ReviewImage(
                label=image.get_kind_display(),
                url=reverse("supports:app_image", args=[image.pk]),
                is_pdf=False,
            )
            for image in images
        ]
    if not support.cedula_id:
        return []
    return [
        ReviewImage(
            label=f"Cédula {support.cedula.reference} · {scan.original_name}",
            url=reverse("supports:scan", args=[scan.pk]),
            is_pdf=scan.is_pdf,
        )
        for scan in support.cedula.scans.order_by("uploaded_at", "id")
    ]


# The administrator's panel -------------------------------------------------------------------------


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

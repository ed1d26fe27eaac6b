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
never on a support they captured themselves, and not while another revisor has it open (a live
claim, claims.py); a decision closes the claim.

The queues are in queue.py, the administrator's panel in panel.py, the scans in supports.scans.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apoyo.accounts import policies
from apoyo.review import claims
from apoyo.supports import rules
from apoyo.supports.models import (
    ChangeAction,
    Confirmation,
    Review,
    ReviewOutcome,
    Status,
    Support,
    SupportChange,
    inconsistencies_for_state,
    open_proposals,
)

# The codes whose meaning is in the comment: the rule of every capture channel (supports.rules).
COMMENT_REQUIRED_CODES = rules.COMMENT_REQUIRED_CODES
MAX_COMMENT = 500


class ReviewRefused(Exception):
    """The decision cannot be taken as asked; the message says why, in Spanish, and `field`
    names the form field at fault, if one is (the page puts the cursor back there)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# Who may decide ------------------------------------------------------------------------------------


def check_reviewer(user, support):
    """Raise PermissionDenied unless `user` may decide on `support`."""
    if not policies.can_review(user):
        raise PermissionDenied(
            "Solo un revisor o administrador del OPL decide en la mesa de control."
        )
    if not policies.in_state(user, support.aspirant.office.process.state_id):
        raise PermissionDenied("El apoyo no pertenece a su entidad.")
    if support.captured_by_id == user.pk:
        raise PermissionDenied("No puede revisar un apoyo que usted capturó.")


# Decisions -----------------------------------------------------------------------------------------


def accept_support(user, support):
    """Accept a pending support: it becomes preliminary (and so enters the next compulsa)."""
    check_reviewer(user, support)
    with transaction.atomic():
        current = locked_pending(user, support)
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
        raise ReviewRefused("Describa la inconsistencia en el comentario.", field="comment")
    with transaction.atomic():
        current = locked_pending(user, support)
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
        raise ReviewRefused(
            "Explique en el comentario por qué no confirma el rechazo.", field="comment"
        )
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


def locked_pending(user, support):
    """Re-read the support locked inside the caller's transaction, so that two revisors never
    decide it twice; refuse unless it is still pending, has no open proposal and no other revisor
    has it open."""
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
    refuse_if_claimed(user, current)
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
    refuse_if_claimed(user, current)
    return current, proposal


def refuse_if_claimed(user, support):
    """A decision belongs to the revisor who has the support open (claims.py), or to anyone when
    nobody does; the decision closes the claim."""
    holder = claims.holder_elsewhere(user, support)
    if holder is not None:
        until = timezone.localtime(holder.expires_at)
        raise ReviewRefused(
            f"{holder.reviewer} está revisando este apoyo (hasta las {until:%H:%M}): "
            "su decisión no se registró."
        )
    claims.close(support)


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

"""The aspirants' daily notice of the supports the mesa de control rejected (DOMAIN.md step 2:
the OPL records an inconsistency type with a comment). One notice a day per aspirant with
something new, in the portal and by e-mail, instead of one per decision: a revisor decides
hundreds a day. Run by `manage.py send_rejection_notices` (daily, see README)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.notifications import notify
from apoyo.aspirants.models import Aspirant
from apoyo.supports.models import Confirmation, Review, ReviewOutcome

# The notice lists this many supports; the portal has the rest.
LISTED = 50


def rejections_since(aspirant, since):
    """The rejections that took effect for the aspirant's supports after `since`: an inconsistency
    recorded, or a four-eyes rejection confirmed by its second revisor."""
    took_effect = Q(outcome=ReviewOutcome.INCONSISTENCY) | Q(
        outcome=ReviewOutcome.PROPOSED, confirmation=Confirmation.CONFIRMED
    )
    reviews = Review.objects.filter(took_effect, support__aspirant=aspirant)
    if since is not None:
        reviews = reviews.filter(Q(at__gt=since, confirmation="") | Q(confirmed_at__gt=since))
    return reviews.select_related("support", "inconsistency").order_by("at", "id")


def send_rejection_notices(now=None):
    """Notify every aspirant with a portal account of the rejections since their last notice;
    returns how many aspirants were told."""
    now = now or timezone.now()
    told = 0
    for aspirant in Aspirant.objects.filter(user__isnull=False).select_related("user"):
        rejected = list(rejections_since(aspirant, aspirant.rejections_notified_until))
        if rejected:
            notify_rejections(aspirant, rejected)
            told += 1
        Aspirant.objects.filter(pk=aspirant.pk).update(rejections_notified_until=now)
    return told


def notify_rejections(aspirant, rejected):
    lines = [
        f"- {review.support.elector_key}: {review.inconsistency.code} – {review.inconsistency.name}"
        + (f". {review.comment}" if review.comment else "")
        for review in rejected[:LISTED]
    ]
    if len(rejected) > LISTED:
        lines.append(f"… y {len(rejected) - LISTED} más: véalos en su portal.")
    notify(
        [aspirant.user],
        f"El OPL rechazó {len(rejected)} de sus apoyos en la mesa de control",
        "Estos apoyos no cuentan por la inconsistencia que registró el OPL; podrá argumentarlos "
        "en la garantía de audiencia cuando el OPL la abra.\n" + "\n".join(lines),
        url=reverse("supports:portal") + "?state=rejected",
        email_subject="[Apoyo] Apoyos rechazados en la mesa de control",
    )

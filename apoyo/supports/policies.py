"""Who may change which support: the object rules of the supports app, on top of the role rules of
apoyo.accounts.policies (what a user may *see* is still scoping's visible_to).

An aspirant's own pre-captura is theirs to fix until the mesa de control looks at it (DOMAIN.md
step 2: only the OPL's review decides a support). Once a revisor has accepted it, recorded an
inconsistency or proposed a rejection, the row is the OPL's record and only the OPL changes it.
"""

from apoyo.accounts import policies as roles
from apoyo.supports.models import Channel, Review, Status, Support


def unreviewed_precapture(supports):
    """The rows of `supports` an aspirant captured themselves (pre-captura, by hand or by file)
    that are still pending review and on which no revisor has recorded anything. Set-based: one
    query whatever the number of rows."""
    return supports.filter(channel=Channel.ASPIRANT, status=Status.PENDING_REVIEW).exclude(
        pk__in=Review.objects.values("support_id")
    )


def can_correct_own_support(user, support):
    """An aspirant may correct a row of their own pre-captura while it is unreviewed
    (unreviewed_precapture); the correction keeps the old and new values in its history, which
    the OPL sees."""
    if not roles.is_aspirant(user) or support.aspirant.user_id != user.pk:
        return False
    return unreviewed_precapture(Support.objects.filter(pk=support.pk)).exists()

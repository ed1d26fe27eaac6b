"""The tally's judged buckets (supports/judged.py): after a compulsa the lists read how many
accepted supports are verified from SupportTally, and it stays equal to a recount from the
results through every change that follows."""

import importlib

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from apoyo.accounts.models import Role
from apoyo.supports.models import Inconsistency, JudgedSupport, Status, Support, SupportTally
from apoyo.supports.states import state_counts, with_state
from apoyo.supports.views import status_counts, tallied
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_office,
    make_user,
    office_ready_for_compulsa,
    support,
)
from apoyo.verification.models import SupportResult
from apoyo.verification.services import run_check

pytestmark = pytest.mark.django_db

SUPPORTS_0018 = importlib.import_module("apoyo.supports.migrations.0018_support_tally_judged")
VERIFICATION_0008 = importlib.import_module("apoyo.verification.migrations.0008_judged_supports")


@pytest.fixture
def office():
    return office_ready_for_compulsa()


def recounted():
    """What the tally should hold, counted from the supports and their results."""
    judged = Exists(SupportResult.objects.filter(support=OuterRef("pk")))
    rows = (
        Support.objects.order_by()
        .annotate(judged=judged)
        .values("aspirant", "status", "channel", "judged")
        .annotate(rejected=Q(inconsistency__isnull=False), n=Count("id"))
    )
    return {
        (r["aspirant"], r["status"], r["channel"], bool(r["rejected"]), r["judged"]): r["n"]
        for r in rows
    }


def tally():
    rows = SupportTally.objects.filter(n__gt=0)
    return {(t.aspirant_id, t.status, t.channel, t.rejected, t.judged): t.n for t in rows}


def summaries_agree(user):
    """The summary from the tally, the one counted over the supports (JudgedSupport) and the one
    each support's own state gives (its results) say the same."""
    supports = Support.objects.visible_to(user)
    counted = status_counts(supports)
    from_results = state_counts(with_state(supports))
    return status_counts(supports, tallied(user)) == counted and counted["by_state"] == from_results


def verified(user):
    counts = status_counts(Support.objects.visible_to(user), tallied(user))
    return {state: n for state, _, n in counts["by_state"]}["verified"]


def test_after_a_compulsa_the_tally_counts_the_verified_supports_and_keeps_counting_them(office):
    aspirant = make_aspirant(office, with_user=True)
    admin = make_user(Role.OPL_ADMIN)
    keys = [elector_key() for _ in range(6)]
    for key in keys[:4]:
        citizen(key)
    supports = [support(aspirant, key) for key in keys]
    pending = support(aspirant, elector_key(), status=Status.PENDING_REVIEW)
    run_check(office)
    assert tally() == recounted()
    assert verified(admin) == 6
    assert summaries_agree(admin) and summaries_agree(aspirant.user)

    # What happens to supports after the compulsa: each moves between buckets.
    Support.objects.filter(pk=supports[0].pk).update(status=Status.WITHDRAWN)
    Support.objects.filter(pk=supports[1].pk).update(inconsistency=Inconsistency.objects.first())
    Support.objects.filter(pk=supports[2].pk).update(status=Status.PENDING_REVIEW)  # disowned
    Support.objects.filter(pk=pending.pk).update(status=Status.PRELIMINARY)  # accepted later
    Support.objects.filter(pk=supports[3].pk).delete()  # its results go first, then the support
    assert tally() == recounted()
    assert verified(admin) == 2
    assert summaries_agree(admin) and summaries_agree(aspirant.user)
    assert not JudgedSupport.objects.filter(support_id=supports[3].pk).exists()

    # The next compulsa judges the support accepted since; those judged before stay judged.
    Support.objects.filter(pk=supports[2].pk).update(status=Status.PRELIMINARY)
    run_check(office)
    assert tally() == recounted()
    assert verified(admin) == 4
    assert summaries_agree(admin) and summaries_agree(aspirant.user)


def test_supports_of_another_office_are_not_judged_by_this_compulsa(office):
    aspirant = make_aspirant(office)
    elsewhere = make_aspirant(make_office(code="DIP-1"))
    support(aspirant, elector_key())
    outside = support(elsewhere, elector_key())
    run_check(office)
    assert not JudgedSupport.objects.filter(support_id=outside.pk).exists()
    assert tally() == recounted()


class StatementRunner:
    """What the migration's functions use of a schema editor, inside the test's transaction (on
    SQLite a schema editor cannot open there)."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_an_instance_with_results_from_before_counts_its_judged_supports_once_migrated(office):
    aspirant = make_aspirant(office)
    for _ in range(3):
        support(aspirant, elector_key())
    support(aspirant, elector_key(), status=Status.PENDING_REVIEW)
    run_check(office)
    # As supports 0018 leaves an instance that has results: nothing judged yet, and the tally
    # counted again with every support unjudged.
    JudgedSupport.objects.all().delete()
    editor = StatementRunner()
    for statement in SUPPORTS_0018.REBUILD:
        editor.execute(statement)
    VERIFICATION_0008.record_judged(None, editor)
    assert JudgedSupport.objects.count() == 3
    assert tally() == recounted()

"""SupportTally: the database keeps the supports per aspirant, status, channel and rejection up to
date through every kind of write, so the lists' summaries read it instead of counting."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q

from apoyo.accounts.models import Role
from apoyo.supports.models import Channel, Inconsistency, Status, Support, SupportTally
from apoyo.supports.views import status_counts, tallied
from apoyo.testing.factories import make_aspirant, make_user

pytestmark = pytest.mark.django_db


def recounted():
    """What the tally should hold, counted from the supports themselves."""
    rows = (
        Support.objects.order_by()
        .values("aspirant", "status", "channel")
        .annotate(
            rejected=Q(inconsistency__isnull=False),
            n=Count("id"),
        )
    )
    return {
        (row["aspirant"], row["status"], row["channel"], bool(row["rejected"])): row["n"]
        for row in rows
    }


def tally():
    rows = SupportTally.objects.filter(n__gt=0)
    return {(t.aspirant_id, t.status, t.channel, t.rejected): t.n for t in rows}


def support(aspirant, n, channel=Channel.MANUAL, status=Status.PRELIMINARY):
    return Support(
        aspirant=aspirant,
        channel=channel,
        name=f"NOMBRE {n}",
        elector_key=f"GRLPJN{n:08d}H100",
        support_date=datetime.date(2021, 1, 10),
        status=status,
    )


def inconsistency():
    return Inconsistency.objects.filter(state__isnull=True).first() or Inconsistency.objects.create(
        code="PRUEBA_TALLY", name="Prueba"
    )


def test_the_tally_follows_inserts_updates_and_deletes_of_every_kind():
    first, second = make_aspirant(), make_aspirant()
    one = support(first, 1)
    one.save()
    support(first, 2, channel=Channel.APP, status=Status.PENDING_REVIEW).save()
    Support.objects.bulk_create(
        [support(second, n, channel=Channel.BULK) for n in range(3, 13)]
        + [support(second, n, channel=Channel.ASPIRANT, status=Status.PENDING_REVIEW)
           for n in range(13, 18)]
    )  # fmt: skip
    assert tally() == recounted()

    # A revisor accepts one and rejects another (status, inconsistency).
    pending = Support.objects.filter(status=Status.PENDING_REVIEW).order_by("id")
    accepted, rejected = pending[0], pending[1]
    accepted.status = Status.PRELIMINARY
    accepted.save()
    rejected.status, rejected.inconsistency = Status.PRELIMINARY, inconsistency()
    rejected.save()
    # A change that counts nothing (the comment) leaves the tally alone.
    one.comment = "sin cambio en los conteos"
    one.save()
    assert tally() == recounted()

    # Many at once (a withdrawal, a revert of a carga masiva) and a move to another aspirant.
    Support.objects.filter(channel=Channel.BULK, elector_key__lt="GRLPJN00000008").update(
        status=Status.WITHDRAWN
    )
    Support.objects.filter(pk=one.pk).update(aspirant=second)
    Support.objects.filter(channel=Channel.ASPIRANT, status=Status.PENDING_REVIEW).delete()
    assert tally() == recounted()
    assert sum(tally().values()) == Support.objects.count()


def test_rows_inserted_with_sql_are_counted_too():
    aspirant = make_aspirant()
    support(aspirant, 1).save()
    table = Support._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (aspirant_id, channel, name, paternal_surname, "  # noqa: S608
            "maternal_surname, elector_key, ocr, comment, support_date, captured_at, status, "
            "withdrawal_reason) SELECT aspirant_id, 'bulk', name, '', '', substr(elector_key, 1, 17) || 'X', "
            "'', '', support_date, captured_at, status, '' FROM " + table,
        )
    assert tally() == recounted()
    assert SupportTally.objects.get(aspirant=aspirant, channel=Channel.BULK).n == 1


def test_the_summaries_read_from_the_tally_equal_a_recount():
    aspirant = make_aspirant(with_user=True)
    other_entity = make_aspirant(office=None)
    Support.objects.bulk_create(
        [support(aspirant, n) for n in range(1, 6)]
        + [support(aspirant, n, channel=Channel.APP, status=Status.PENDING_REVIEW)
           for n in range(6, 9)]
        + [support(other_entity, n) for n in range(9, 11)]
    )  # fmt: skip
    Support.objects.filter(pk=Support.objects.filter(aspirant=aspirant).first().pk).update(
        inconsistency=inconsistency()
    )
    for user in (aspirant.user, make_user(Role.OPL_ADMIN)):
        supports = Support.objects.visible_to(user)
        assert status_counts(supports, tallied(user)) == status_counts(supports)

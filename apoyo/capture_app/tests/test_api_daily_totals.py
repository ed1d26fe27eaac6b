"""The per-day totals of the auxiliary's own captures in the profile (the app's home screen)."""

import datetime

import pytest
from django.utils import timezone

from apoyo.capture_app.daily_totals import own_daily_totals
from apoyo.supports.models import Support
from apoyo.supports.services import withdraw_support
from apoyo.testing.capture_app import (
    PROFILE_URL,
    auth,
    capture,
    make_auxiliary,
    send,
    token_for,
)

pytestmark = pytest.mark.django_db


def test_the_profile_counts_the_auxiliarys_own_captures_per_day_newest_first(client):
    auxiliary = make_auxiliary()
    colleague = make_auxiliary(auxiliary.aspirant)
    token, other = token_for(auxiliary), token_for(colleague)
    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    for n, when in ((1, now), (2, now), (3, yesterday)):
        assert send(client, token, capture(n, captured_at=when)).status_code == 201
    # A colleague's capture is theirs, not this auxiliary's.
    assert send(client, other, capture(4, captured_at=now)).status_code == 201

    body = client.get(PROFILE_URL, **auth(token)).json()

    today = timezone.localdate(now)
    assert body["daily_totals"] == [
        {"day": today.isoformat(), "total": 2},
        {"day": timezone.localdate(yesterday).isoformat(), "total": 1},
    ]


def test_withdrawn_captures_still_count_on_their_day_and_only_the_last_days_are_given(client):
    auxiliary = make_auxiliary()
    token = token_for(auxiliary)
    now = timezone.now()
    for n in range(1, 4):
        when = now - datetime.timedelta(days=n - 1)
        assert send(client, token, capture(n, captured_at=when)).status_code == 201
    newest = Support.objects.order_by("-support_date").first()
    assert not withdraw_support(auxiliary.aspirant.user, newest, "Lo pidió el ciudadano")

    totals = own_daily_totals(auxiliary.user, days=2)

    assert [total for _, total in totals] == [1, 1]
    assert totals[0][0] == timezone.localdate(now)

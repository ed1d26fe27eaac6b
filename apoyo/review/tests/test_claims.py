"""Claims of the mesa de control: each revisor gets the next support nobody else has open, for
APOYO_REVIEW_CLAIM_MINUTES; a claim is released on a decision, a skip or leaving the review; a
decision belongs to the claim holder (or to anyone when no live claim exists)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import Role
from apoyo.review import claims
from apoyo.review import services as review
from apoyo.review.models import ReviewClaim
from apoyo.review.queue import claim_next, claim_next_confirmation, review_queue
from apoyo.supports.models import Inconsistency, Status, Support
from apoyo.testing.factories import make_aspirant, make_office, make_user, precaptured

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    return precaptured(make_aspirant(make_office(), with_user=True), [1, 2, 3])


@pytest.fixture
def ana():
    return make_user(Role.OPL_REVIEWER, first_name="Ana", last_name="Ruiz")


@pytest.fixture
def beto():
    return make_user(Role.OPL_REVIEWER, first_name="Beto", last_name="Soto")


def support_url(support, name="review:support"):
    return reverse(name, args=[support.pk])


def expire(support):
    ReviewClaim.objects.filter(support=support).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


# Handing out supports --------------------------------------------------------------------------------


def test_two_revisors_starting_the_review_get_different_supports(client, pending, ana, beto):
    client.force_login(ana)
    first = client.get(reverse("review:start"))
    client.force_login(beto)
    second = client.get(reverse("review:start"))
    assert first["Location"] == support_url(pending[0])
    assert second["Location"] == support_url(pending[1])
    held = dict(ReviewClaim.objects.values_list("support", "reviewer"))
    assert held == {pending[0].pk: ana.pk, pending[1].pk: beto.pk}
    # Opening the page keeps (renews) the claim instead of handing the support to someone else.
    client.force_login(ana)
    client.get(support_url(pending[0]))
    assert ReviewClaim.objects.get(support=pending[0]).reviewer == ana


def test_a_claim_lasts_the_configured_minutes_and_then_anyone_may_take_it(
    settings, pending, ana, beto
):
    settings.APOYO_REVIEW_CLAIM_MINUTES = 3
    before = timezone.now()
    assert claims.claim(ana, pending[0])
    held = ReviewClaim.objects.get(support=pending[0])
    assert datetime.timedelta(minutes=3) <= held.expires_at - before
    assert held.expires_at - timezone.now() <= datetime.timedelta(minutes=3)
    assert not claims.claim(beto, pending[0])
    expire(pending[0])
    assert claims.claim(beto, pending[0])  # the expired claim is taken over in place
    assert ReviewClaim.objects.get(support=pending[0]).reviewer == beto
    assert ReviewClaim.objects.count() == 1


def test_the_claim_lasts_ten_minutes_by_default(pending, ana):
    claims.claim(ana, pending[0])
    left = ReviewClaim.objects.get().expires_at - timezone.now()
    assert datetime.timedelta(minutes=9) < left <= datetime.timedelta(minutes=10)


def test_a_revisor_holds_one_claim_at_a_time(pending, ana):
    for support in pending:
        assert claims.claim(ana, support)
    assert list(ReviewClaim.objects.values_list("support", flat=True)) == [pending[2].pk]


def test_nobody_is_handed_a_support_they_captured(pending, ana):
    Support.objects.filter(pk=pending[0].pk).update(captured_by=ana)
    assert claim_next(ana, review_queue(ana)) == pending[1]


def test_the_database_refuses_a_second_claim_on_one_support(pending, ana, beto):
    later = timezone.now() + datetime.timedelta(minutes=5)
    ReviewClaim.objects.create(support=pending[0], reviewer=ana, expires_at=later)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewClaim.objects.create(support=pending[0], reviewer=beto, expires_at=later)


def test_the_revisor_who_loses_the_race_gets_the_next_support(monkeypatch, pending, ana, beto):
    """Ana claims the first support between Beto's reading of the queue and his insert: the unique
    support refuses Beto's row and he is handed the second one."""
    read_queue = claims.unclaimed

    def stale(rows, user, support_field="pk"):
        queue = read_queue(rows, user, support_field)
        claims.claim(ana, pending[0])
        return queue

    monkeypatch.setattr(claims, "unclaimed", stale)
    assert claim_next(beto, review_queue(beto)) == pending[1]
    held = dict(ReviewClaim.objects.values_list("support", "reviewer"))
    assert held == {pending[0].pk: ana.pk, pending[1].pk: beto.pk}


def test_when_every_support_is_open_the_queue_says_so(client, pending, ana, beto):
    for support, user in zip(pending, (ana, beto, make_user(Role.OPL_REVIEWER)), strict=True):
        claims.claim(user, support)
    client.force_login(make_user(Role.OPL_ADMIN))
    response = client.get(reverse("review:start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert "No quedan apoyos libres" in response.content.decode()


# Releasing ---------------------------------------------------------------------------------------------


def test_skipping_frees_the_support_and_opens_the_next_free_one(client, pending, ana, beto):
    claims.claim(beto, pending[1])
    client.force_login(ana)
    client.get(reverse("review:start"))
    skipped = client.post(support_url(pending[0], "review:skip"))
    assert skipped["Location"] == support_url(pending[2])
    held = dict(ReviewClaim.objects.values_list("support", "reviewer"))
    assert held == {pending[1].pk: beto.pk, pending[2].pk: ana.pk}
    # Leaving the review (the button, or the queue itself) frees it too.
    left = client.post(support_url(pending[2], "review:leave"))
    assert left["Location"] == reverse("review:queue")
    assert not ReviewClaim.objects.filter(reviewer=ana).exists()
    client.get(support_url(pending[0]))
    client.get(reverse("review:queue"))
    assert not ReviewClaim.objects.filter(reviewer=ana).exists()


def test_a_decision_closes_the_claim_and_hands_out_the_next_free_support(
    client, pending, ana, beto
):
    claims.claim(beto, pending[1])
    client.force_login(ana)
    client.get(reverse("review:start"))
    accepted = client.post(support_url(pending[0], "review:accept"))
    assert accepted["Location"] == support_url(pending[2])
    assert not ReviewClaim.objects.filter(support=pending[0]).exists()
    assert ReviewClaim.objects.get(support=pending[2]).reviewer == ana


# Who may decide ----------------------------------------------------------------------------------------


def test_only_the_claim_holder_decides_while_the_claim_lives(pending, ana, beto):
    claims.claim(ana, pending[0])
    otra = Inconsistency.objects.get(code="ILEGIBLE")
    with pytest.raises(review.ReviewRefused, match="Ana Ruiz está revisando este apoyo"):
        review.accept_support(beto, pending[0])
    with pytest.raises(review.ReviewRefused, match="Ana Ruiz está revisando"):
        review.record_inconsistency(beto, pending[0], otra, "Borroso")
    assert Support.objects.get(pk=pending[0].pk).status == Status.PENDING_REVIEW
    # Once it expires (the tab was closed) anyone may decide; with no claim at all, too.
    expire(pending[0])
    review.accept_support(beto, pending[0])
    review.accept_support(beto, pending[1])
    assert Support.objects.filter(status=Status.PRELIMINARY).count() == 2


def test_a_four_eyes_confirmation_is_the_claim_holders_too(pending, ana, beto):
    simulacion = Inconsistency.objects.get(code="SIMULACION")
    proposer = make_user(Role.OPL_REVIEWER)
    for support in pending[:2]:
        review.record_inconsistency(proposer, support, simulacion, "Holograma impreso")
    first = claim_next_confirmation(ana)
    assert first.support == pending[0]
    assert claim_next_confirmation(beto).support == pending[1]
    with pytest.raises(review.ReviewRefused, match="está revisando"):
        review.confirm_rejection(beto, pending[0])
    review.confirm_rejection(ana, pending[0])
    assert not ReviewClaim.objects.filter(support=pending[0]).exists()


def test_the_page_of_a_support_another_revisor_has_open_offers_no_decision(
    client, pending, ana, beto
):
    claims.claim(ana, pending[0])
    client.force_login(beto)
    page = client.get(support_url(pending[0])).content.decode()
    assert "Ana Ruiz está revisando este apoyo" in page
    assert 'data-shortcut="a"' not in page and 'data-shortcut="n"' in page
    assert ReviewClaim.objects.get(support=pending[0]).reviewer == ana
    refused = client.post(support_url(pending[0], "review:accept"), follow=True)
    assert "su decisión no se registró" in refused.content.decode()
    assert Support.objects.get(pk=pending[0].pk).status == Status.PENDING_REVIEW


def test_the_queue_shows_who_has_each_support_open(client, pending, ana, beto):
    claims.claim(ana, pending[1])
    client.force_login(beto)
    page = client.get(reverse("review:queue")).content.decode()
    assert "En revisión por" in page and "Ana Ruiz" in page
    assert "Ahora hay 1 en revisión por otros revisores" in page
    client.force_login(ana)
    own = client.get(reverse("review:queue")).content.decode()
    assert "Usted <span" not in own  # back at the queue, Ana's claim was released
    assert not ReviewClaim.objects.exists()

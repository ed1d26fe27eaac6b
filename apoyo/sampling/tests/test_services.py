"""Drawing a sample of an aspirant's pending supports, the mesa de control's queue with the sampled
ones first, and the projection from the reviewed ones."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.review.queue import claim_next, review_queue
from apoyo.sampling import stats
from apoyo.sampling.models import Sample, SampledSupport, SizeMethod
from apoyo.sampling.projection import project_aspirant
from apoyo.sampling.services import SamplingRefused, draw_sample
from apoyo.sampling.tests.conftest import APP_PENDING, PRECAPTURE_PENDING
from apoyo.supports.models import Inconsistency, Status
from apoyo.testing.factories import make_user
from apoyo.verification.models import AspirantResult, CheckRun, RunStatus, Source, SupportResult

pytestmark = pytest.mark.django_db

POPULATION = APP_PENDING + PRECAPTURE_PENDING


def sampled_ids(sample):
    return set(sample.entries.values_list("support_id", flat=True))


def test_a_sample_sized_by_margin_is_stored_with_its_seed_method_strata_and_who(
    aspirant, pending, decided, admin
):
    sample = draw_sample(admin, aspirant, margin_percent=10, seed=2024)

    expected = stats.size_for_margin(10, POPULATION)  # 61 of 160
    assert sample.method == SizeMethod.MARGIN
    assert (sample.seed, sample.size, sample.population) == (2024, expected, POPULATION)
    assert sample.drawn_by == admin and sample.is_current
    # Proportional: 120/160 and 40/160 of 61 is 45.75 and 15.25 -> 46 and 15.
    assert sample.strata == {"app": [APP_PENDING, 46], "aspirant": [PRECAPTURE_PENDING, 15]}
    entries = sample.entries.all()
    assert len(entries) == expected
    assert {e.support.status for e in entries} == {Status.PENDING_REVIEW}
    assert sorted(e.rank for e in entries) == list(range(expected))


def test_the_draw_is_written_to_the_bitacora(aspirant, pending, admin):
    sample = draw_sample(admin, aspirant, size=20, seed=7, address="203.0.113.9")
    entry = AccessLog.objects.get(action="sortear muestra")
    assert entry.user == admin and entry.object_id == str(sample.pk)
    assert "semilla 7" in entry.detail and "20 de 160" in entry.detail


def test_the_same_seed_over_the_same_pending_supports_draws_the_same_sample(
    aspirant, pending, admin
):
    first = draw_sample(admin, aspirant, size=30, seed=99)
    second = draw_sample(admin, aspirant, size=30, seed=99)
    third = draw_sample(admin, aspirant, size=30, seed=100)
    assert sampled_ids(first) == sampled_ids(second)
    assert sampled_ids(first) != sampled_ids(third)


def test_a_new_draw_supersedes_the_current_sample_which_stays_on_record(aspirant, pending, admin):
    first = draw_sample(admin, aspirant, size=10, seed=1)
    second = draw_sample(admin, aspirant, size=12, seed=2)
    first.refresh_from_db()
    assert first.superseded_at is not None and second.is_current
    assert not SampledSupport.objects.filter(sample=first, active=True).exists()
    assert SampledSupport.objects.filter(sample=second, active=True).count() == 12
    assert Sample.objects.filter(aspirant=aspirant).count() == 2


def test_only_an_opl_administrator_of_the_entity_draws(aspirant, pending, reviewer):
    with pytest.raises(PermissionDenied):
        draw_sample(reviewer, aspirant, size=10)
    foreign_admin = make_user(Role.OPL_ADMIN, state_number=14)
    with pytest.raises(PermissionDenied):
        draw_sample(foreign_admin, aspirant, size=10)
    assert not Sample.objects.exists()


def test_without_pending_supports_there_is_nothing_to_sample(aspirant, decided, admin):
    with pytest.raises(SamplingRefused, match="no tiene apoyos pendientes"):
        draw_sample(admin, aspirant, margin_percent=3)


def test_the_mesa_de_control_queue_shows_the_sampled_supports_first_in_draw_order(
    aspirant, pending, admin, reviewer
):
    sample = draw_sample(admin, aspirant, size=15, seed=5)
    in_order = list(sample.entries.order_by("rank").values_list("support_id", flat=True))
    queue = list(review_queue(reviewer).values_list("id", flat=True))
    assert queue[:15] == in_order
    rest = [s.pk for s in pending if s.pk not in set(in_order)]
    assert queue[15:] == rest  # then the others, oldest capture first


@override_settings(APOYO_PAGE_SIZE=30)
def test_every_page_of_the_mesa_follows_the_queue_with_the_sample_first(
    client, aspirant, pending, admin, reviewer
):
    # The far pages are read from the end of the queue, in its order reversed: the supports
    # outside the sample (no rank) then come first, and the sampled ones last.
    draw_sample(admin, aspirant, size=15, seed=5)
    queue = list(review_queue(reviewer).values_list("id", flat=True))
    client.force_login(reviewer)
    listed = []
    for number in range(1, 7):
        page = client.get(reverse("review:queue"), {"page": number}).context["page"]
        listed += [support.pk for support in page]
    assert listed == queue


def test_after_the_last_sampled_support_the_next_one_is_the_oldest_outside_the_sample(
    aspirant, pending, admin, reviewer
):
    sample = draw_sample(admin, aspirant, size=3, seed=5)
    ranked = [e.support for e in sample.entries.order_by("rank")]
    queue = review_queue(reviewer)
    assert claim_next(reviewer, queue, ranked[0]) == ranked[1]
    first_outside = next(s for s in pending if s not in ranked)
    assert claim_next(reviewer, queue, ranked[2]) == first_outside


def test_a_superseded_sample_no_longer_goes_first(aspirant, pending, admin, reviewer):
    old = draw_sample(admin, aspirant, size=5, seed=5)
    Sample.objects.filter(pk=old.pk).update(superseded_at=timezone.now())
    SampledSupport.objects.filter(sample=old).update(active=False)
    queue = list(review_queue(reviewer).values_list("id", flat=True))
    assert queue == [s.pk for s in pending]


def review_sample(reviewer, sample, rejected_every=4):
    """Accept the sampled supports, recording an inconsistency on every `rejected_every`-th."""
    other = Inconsistency.objects.get(code="OTRA")
    outcomes = {}
    for n, entry in enumerate(sample.entries.order_by("rank").select_related("support")):
        support = entry.support
        if n % rejected_every == 0:
            review.record_inconsistency(reviewer, support, other, "Firma distinta")
            outcomes[support.pk] = False
        else:
            review.accept_support(reviewer, support)
            outcomes[support.pk] = True
    return outcomes


def test_before_any_review_the_projection_has_only_bounds(aspirant, pending, decided, admin):
    sample = draw_sample(admin, aspirant, size=20, seed=3)
    result = project_aspirant(sample)
    assert result.projection.estimate is None
    # 8 valid decided outside the sample; the 160 pending may all be valid or none.
    assert (result.projection.low, result.projection.high) == (8, 8 + POPULATION)
    assert result.decided_outside == 10 and result.band is None


def test_the_projection_counts_the_reviewed_sample_and_projects_the_undecided(
    aspirant, pending, decided, admin, reviewer
):
    sample = draw_sample(admin, aspirant, size=40, seed=11)
    outcomes = review_sample(reviewer, sample)
    result = project_aspirant(sample)

    rows = {row.channel: row for row in result.rows}
    assert sum(row.reviewed for row in rows.values()) == 40
    assert sum(row.valid for row in rows.values()) == sum(outcomes.values()) == 30
    assert rows["app"].unknown + rows["aspirant"].unknown == POPULATION - 40
    p = result.projection
    assert p.known_valid == 8
    # 30 of 40 valid (75 %) -> about 8 + 0.75 × 160 = 128.
    assert p.low < p.estimate < p.high
    assert p.low >= 8 + 30 and p.high <= 8 + 30 + 120
    assert abs(p.estimate - 128) <= 3
    assert result.required is None and result.band is None


def finished_run(office, aspirant, required, invalid=()):
    run = CheckRun.objects.create(
        office=office,
        source=Source.ROLL,
        status=RunStatus.DONE,
        finished_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    AspirantResult.objects.create(
        run=run,
        aspirant=aspirant,
        nominal_list=10_000,
        required=required,
        captured=0,
        valid=0,
        percent=0,
        meets=False,
    )
    SupportResult.objects.bulk_create(
        SupportResult(
            run=run,
            support=s,
            aspirant=aspirant,
            registry_status="BAJA",
            valid=False,
            motive="BAJA",
        )
        for s in invalid
    )
    return run


@pytest.mark.parametrize(
    ("required", "band"),
    [(60, stats.CLEAR), (125, stats.FULL_REVIEW), (400, stats.SHORT)],
)
def test_the_band_compares_the_interval_with_the_threshold_of_the_newest_compulsa(
    office, aspirant, pending, decided, admin, reviewer, required, band
):
    finished_run(office, aspirant, required)
    sample = draw_sample(admin, aspirant, size=40, seed=11)
    review_sample(reviewer, sample)
    result = project_aspirant(sample)
    assert result.required == required
    assert result.band == band


def test_a_support_the_newest_compulsa_invalidated_does_not_count_as_valid(
    office, aspirant, pending, decided, admin, reviewer
):
    finished_run(office, aspirant, required=100, invalid=decided[:3])
    sample = draw_sample(admin, aspirant, size=10, seed=4)
    assert project_aspirant(sample).projection.known_valid == 5  # 8 valid, 3 of them BAJA

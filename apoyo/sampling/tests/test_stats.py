"""The sampling projection's arithmetic: sizes, allocation, the seeded draw, Wilson intervals, the
stratified projection (its coverage in seeded simulations) and the band."""

import random

from hypothesis import given
from hypothesis import strategies as st

from apoyo.sampling import stats


def test_the_size_for_3_percent_at_95_is_cochrans_1068_for_a_very_large_population():
    assert stats.size_for_margin(3, 10**12) == 1068


def test_the_size_shrinks_with_the_finite_population_correction():
    # n0 = 1067.07; n = n0 / (1 + 1066.07 / 10 000) = 964.2 -> 965
    assert stats.size_for_margin(3, 10_000) == 965
    assert stats.size_for_margin(5, 10_000, confidence_percent=99) == 623


def test_a_small_population_is_sampled_almost_whole_and_never_beyond():
    assert stats.size_for_margin(1, 300) == 291  # 9604 / (1 + 9603 / 300), rounded up
    assert stats.size_for_margin(3, 1) == 1
    assert stats.size_for_margin(3, 0) == 0


@given(
    st.dictionaries(st.sampled_from("abcd"), st.integers(0, 5000), min_size=1),
    st.integers(0, 6000),
)
def test_the_allocation_is_proportional_within_one_and_never_exceeds_a_stratum(populations, size):
    sizes = stats.allocate(populations, size)
    total = sum(populations.values())
    for name, n in populations.items():
        assert 0 <= sizes[name] <= n
        if n and size:
            assert sizes[name] >= 1
            assert abs(sizes[name] - min(size, total) * n / total) <= 1
    nonempty_extra = sum(1 for n in populations.values() if n)
    assert min(size, total) <= sum(sizes.values()) <= min(size, total) + nonempty_extra


def test_proportional_allocation_of_500_over_3000_and_1000():
    assert stats.allocate({"app": 3000, "aspirant": 1000}, 500) == {"app": 375, "aspirant": 125}


def test_the_draw_is_the_same_for_the_same_seed_whatever_the_order_of_the_population():
    ids = list(range(1, 2001))
    shuffled = ids[:]
    random.Random(7).shuffle(shuffled)
    first = stats.draw({"app": ids}, {"app": 100}, seed=424242)
    second = stats.draw({"app": shuffled}, {"app": 100}, seed=424242)
    assert first == second
    assert len(set(first["app"])) == 100


def test_another_seed_draws_another_sample():
    ids = list(range(1, 2001))
    first = stats.draw({"app": ids}, {"app": 100}, seed=1)
    second = stats.draw({"app": ids}, {"app": 100}, seed=2)
    assert set(first["app"]) != set(second["app"])


def test_the_draw_key_is_sha256_of_seed_and_id():
    # hashlib.sha256(b"7:15").hexdigest()[:16], so an auditor can recompute it anywhere
    import hashlib

    assert stats.draw_key(7, 15) == int(hashlib.sha256(b"7:15").hexdigest()[:16], 16)


def test_the_wilson_interval_of_40_in_50_matches_the_published_figures():
    low, high, _ = stats.wilson(40, 50, stats.z_value(95))
    assert round(low, 4) == 0.6696
    assert round(high, 4) == 0.8876


@given(st.integers(1, 500), st.data())
def test_the_wilson_interval_holds_the_observed_share_within_zero_and_one(n, data):
    x = data.draw(st.integers(0, n))
    low, high, centre = stats.wilson(x, n, 1.96)
    assert 0 <= low <= x / n <= high <= 1
    assert low <= centre <= high


def test_a_fully_reviewed_stratum_is_known_exactly():
    projection = stats.project([stats.Stratum("app", reviewed=80, valid=60, unknown=0)], 10)
    assert (projection.low, projection.estimate, projection.high) == (70, 70, 70)


def test_a_stratum_nobody_reviewed_adds_all_its_supports_to_the_upper_bound_only():
    reviewed = stats.Stratum("app", reviewed=100, valid=100, unknown=0)
    untouched = stats.Stratum("aspirant", reviewed=0, valid=0, unknown=50)
    projection = stats.project([reviewed, untouched], known_valid=0)
    assert projection.low == 100
    assert projection.high == 150
    assert projection.estimate == 150  # the pooled share (100 %) applied to the 50


def test_without_reviewed_sampled_supports_there_is_no_estimate():
    projection = stats.project([stats.Stratum("app", reviewed=0, valid=0, unknown=40)], 5)
    assert projection.estimate is None
    assert (projection.low, projection.high) == (5, 45)


def simulate(seed, rates, populations, margin=3):
    """One seeded simulation: a population of pending supports with a true valid share per
    channel, a stratified sample sized for `margin`, its review, and the projection."""
    rng = random.Random(seed)
    truth, strata, next_id = {}, {}, 1
    for name, count in populations.items():
        strata[name] = list(range(next_id, next_id + count))
        for item in strata[name]:
            truth[item] = rng.random() < rates[name]
        next_id += count
    size = stats.size_for_margin(margin, sum(populations.values()))
    chosen = stats.draw(strata, stats.allocate(populations, size), seed)
    observed = [
        stats.Stratum(
            name,
            reviewed=len(chosen[name]),
            valid=sum(truth[i] for i in chosen[name]),
            unknown=len(strata[name]) - len(chosen[name]),
        )
        for name in strata
    ]
    return stats.project(observed, known_valid=0), sum(truth.values())


def test_the_interval_covers_the_true_valid_count_in_at_least_93_of_100_simulations():
    rates = {"app": 0.83, "aspirant": 0.62, "manual": 0.95}
    populations = {"app": 6000, "aspirant": 2500, "manual": 300}
    covered = 0
    for seed in range(100):
        projection, true_valid = simulate(seed, rates, populations)
        covered += projection.low <= true_valid <= projection.high
    assert covered >= 93


def test_the_interval_also_covers_when_the_sample_is_a_large_part_of_a_small_population():
    rates = {"app": 0.5, "aspirant": 0.9}
    populations = {"app": 900, "aspirant": 400}
    covered = 0
    for seed in range(100):
        projection, true_valid = simulate(seed, rates, populations, margin=4)
        covered += projection.low <= true_valid <= projection.high
    assert covered >= 93


def test_the_interval_is_narrower_than_the_target_margin_would_allow():
    projection, _ = simulate(3, {"app": 0.5}, {"app": 20_000}, margin=3)
    assert projection.high - projection.low <= 2 * 0.03 * 20_000 + 2


def test_the_band_compares_the_bounds_with_the_threshold_and_its_margins():
    assert stats.band(1100, 1300, 1000) == stats.CLEAR
    assert stats.band(1099, 1300, 1000) == stats.FULL_REVIEW
    assert stats.band(800, 949, 1000) == stats.SHORT
    assert stats.band(800, 950, 1000) == stats.FULL_REVIEW
    assert stats.band(1000, 1200, 1000, clear_percent=100) == stats.CLEAR
    assert stats.band(10, 20, None) is None

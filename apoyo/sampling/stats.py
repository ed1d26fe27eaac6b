"""The arithmetic of the sampling projection (issue 17 §3), with no Django in it.

- size_for_margin: Cochran's size for a proportion at its widest (p = 0.5) with the
  finite-population correction, from a target margin of error and a confidence level.
- allocate: proportional allocation of a size over strata (largest remainder, at least one per
  non-empty stratum, so every channel is represented).
- draw: the seeded selection. Each support's key is SHA-256("<seed>:<support id>"); a stratum's
  sample is its n smallest keys. The same seed and the same population give the same sample on
  any machine and Python version, and anyone can recompute it with a spreadsheet or SQL.
- wilson / project: the Wilson score interval of each stratum's valid share (with the
  finite-population correction applied to z²), scaled to the stratum's size and combined over
  strata by adding the half-widths in quadrature; supports already decided outside the sample
  are added as they are.
- band: where the interval falls against the threshold.
"""

import hashlib
import math
from dataclasses import dataclass, field
from statistics import NormalDist

CLEAR = "clear"  # cumple con holgura
SHORT = "short"  # no alcanza
FULL_REVIEW = "full_review"  # requiere revisión completa


def z_value(confidence_percent):
    """The two-sided normal quantile of a confidence level (95 -> 1.96)."""
    return NormalDist().inv_cdf(0.5 + confidence_percent / 200)


def size_for_margin(margin_percent, population, confidence_percent=95):
    """n0 = z² · 0.25 / e², then n = n0 / (1 + (n0 − 1) / N), rounded up and never above N."""
    if population <= 0:
        return 0
    margin = margin_percent / 100
    z = z_value(confidence_percent)
    n0 = z * z * 0.25 / (margin * margin)
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def allocate(populations, size):
    """{stratum: sample size} proportional to {stratum: population}, summing to `size` (capped at
    the total) by largest remainder; a non-empty stratum left with none gets one."""
    total = sum(populations.values())
    size = min(size, total)
    if size <= 0:
        return dict.fromkeys(populations, 0)
    quotas = {name: size * n / total for name, n in populations.items()}
    sizes = {name: math.floor(quota) for name, quota in quotas.items()}
    left = size - sum(sizes.values())
    by_remainder = sorted(populations, key=lambda name: (sizes[name] - quotas[name], name))
    for name in by_remainder[:left]:
        sizes[name] += 1
    for name, n in populations.items():
        if n > 0 and sizes[name] == 0:
            sizes[name] = 1
    return sizes


def draw_key(seed, item_id):
    """The item's place in the seeded order: the first 8 bytes of SHA-256("seed:id")."""
    digest = hashlib.sha256(f"{seed}:{item_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def draw(strata, sizes, seed):
    """{stratum: [ids]} -> {stratum: the sizes[stratum] ids with the smallest keys, in key order}."""
    chosen = {}
    for name, ids in strata.items():
        ordered = sorted(ids, key=lambda item_id: (draw_key(seed, item_id), item_id))
        chosen[name] = ordered[: sizes.get(name, 0)]
    return chosen


def wilson(successes, n, z, fpc=1.0):
    """(low, high, centre) of the Wilson score interval for successes / n; `fpc` (the
    finite-population factor (N − n)/(N − 1)) scales z². With n = 0 nothing is known: (0, 1, ½)."""
    if n <= 0:
        return 0.0, 1.0, 0.5
    z2 = z * z * fpc
    p = successes / n
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) * math.sqrt(z2) / denominator
    # At 0 or n successes the bound is exactly 0 or 1; floating point may miss it by 1e-18.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high, centre


@dataclass(frozen=True)
class Stratum:
    """One stratum now: its reviewed sampled supports, how many of them are valid, and its
    undecided supports (the rest of the sample and the pending ones outside it)."""

    name: str
    reviewed: int
    valid: int
    unknown: int

    @property
    def size(self):
        return self.reviewed + self.unknown


@dataclass
class StratumEstimate:
    stratum: Stratum
    share: float | None = None  # valid / reviewed
    share_low: float | None = None
    share_high: float | None = None


@dataclass
class Projection:
    """Projected valid supports (estimate) and its interval [low, high]; estimate is None while no
    sampled support has been reviewed."""

    estimate: int | None
    low: int
    high: int
    known_valid: int
    strata: list = field(default_factory=list)


def project(strata, known_valid, confidence_percent=95):
    """Valid supports projected over `strata` plus `known_valid` (decided outside the sample).

    Per stratum h of size N_h with n_h reviewed (x_h valid) and M_h undecided: the Wilson interval
    of the share with z² · (N_h − n_h)/(N_h − 1), times N_h; the centres add up and the half-widths
    add in quadrature; the total is kept within [Σ x_h, Σ (x_h + M_h)]. A stratum nobody has
    reviewed adds [0, M_h] whole (nothing is assumed of it) and the pooled share to the estimate.
    """
    z = z_value(confidence_percent)
    reviewed = sum(s.reviewed for s in strata)
    pooled = sum(s.valid for s in strata) / reviewed if reviewed else None
    floor = sum(s.valid for s in strata)
    ceiling = floor + sum(s.unknown for s in strata)
    centre = variance = point = 0.0
    unreviewed = 0
    estimates = []
    for stratum in strata:
        estimate = StratumEstimate(stratum)
        estimates.append(estimate)
        if stratum.reviewed:
            fpc = stratum.unknown / (stratum.size - 1) if stratum.size > 1 else 0.0
            low, high, mid = wilson(stratum.valid, stratum.reviewed, z, fpc)
            estimate.share = stratum.valid / stratum.reviewed
            estimate.share_low, estimate.share_high = low, high
            centre += stratum.size * mid
            variance += (stratum.size * (high - low) / 2) ** 2
            point += stratum.size * estimate.share
        else:
            unreviewed += stratum.unknown
            point += stratum.unknown * (pooled or 0.0)
    half = math.sqrt(variance)
    low = max(floor, math.floor(centre - half + 1e-9))
    high = min(ceiling, math.ceil(centre + half - 1e-9) + unreviewed)
    estimate = None if pooled is None else known_valid + min(high, max(low, round(point)))
    return Projection(estimate, known_valid + low, known_valid + high, known_valid, estimates)


def band(low, high, required, clear_percent=110, short_percent=95):
    """CLEAR when low ≥ required × clear %, SHORT when high < required × short %, otherwise
    FULL_REVIEW; None without a threshold to compare with."""
    if required is None:
        return None
    if low * 100 >= required * clear_percent:
        return CLEAR
    if high * 100 < required * short_percent:
        return SHORT
    return FULL_REVIEW

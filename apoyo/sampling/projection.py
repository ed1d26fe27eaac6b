"""The projected valid supports of an aspirant from their current sample (issue 17 §3).

Every support of the aspirant falls in one of three groups, counted in one GROUP BY query:
- decided outside the sample: counted as they are (valid or not);
- sampled and decided (reviewed): per channel, the share found valid;
- undecided (the rest of the sample, and pending supports outside it, also those captured after
  the draw): projected with their channel's share (stats.project).

Valid, for a decided support: accepted by the mesa de control (preliminary, no inconsistency) and
not invalidated by the newest compulsa of the office. Informative only: the dictamen always rests
on the full count (LGIPE 385-386).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Value

from apoyo.sampling import stats
from apoyo.sampling.models import SampledSupport
from apoyo.supports.models import Channel, Status, Support
from apoyo.verification.models import AspirantResult, SupportResult
from apoyo.verification.services import current_run

METHOD = (
    "Muestreo aleatorio estratificado por canal de captura, con asignación proporcional: cada "
    "apoyo pendiente se ordena por SHA-256(«semilla:identificador del apoyo») y de cada canal se "
    "toman los primeros. Por canal, intervalo de Wilson al {confidence} % de la proporción de "
    "válidos entre los apoyos de la muestra ya revisados, con corrección por población finita, "
    "multiplicado por el tamaño del canal; los canales se suman ponderados por su tamaño "
    "(semiamplitudes combinadas en cuadratura)."
)
BAND_LABELS = {
    stats.CLEAR: "Cumple con holgura",
    stats.SHORT: "No alcanza",
    stats.FULL_REVIEW: "Requiere revisión completa",
}


@dataclass
class StratumRow:
    channel: str
    label: str
    drawn_from: int  # pending supports of the channel at the draw
    sampled: int
    reviewed: int
    valid: int
    unknown: int
    share_low: float | None
    share_high: float | None

    @property
    def percents(self):
        """(share, low, high) in percent, for the page; None while none was reviewed."""
        if self.share_low is None:
            return None
        return (self.valid * 100 / self.reviewed, self.share_low * 100, self.share_high * 100)


@dataclass
class AspirantProjection:
    sample: object
    run: object
    required: int | None
    decided_outside: int
    projection: stats.Projection
    rows: list
    band: str | None
    clear_percent: int
    short_percent: int

    @property
    def band_label(self):
        return BAND_LABELS.get(self.band, "")

    @property
    def method(self):
        return METHOD.format(confidence=self.sample.confidence_percent)

    @property
    def reviewed(self):
        return sum(row.reviewed for row in self.rows)

    @property
    def clear_line(self):
        return None if self.required is None else self.required * self.clear_percent / 100

    @property
    def short_line(self):
        return None if self.required is None else self.required * self.short_percent / 100


def support_groups(sample, run):
    """[(channel, status, sampled, flagged, rejected, n)] of the sample's aspirant."""
    in_sample = SampledSupport.objects.filter(sample=sample, support=OuterRef("pk"))
    if run is not None:
        invalid = SupportResult.objects.filter(run=run, support=OuterRef("pk"), valid=False)
        rejected = Exists(invalid)
    else:
        rejected = Value(False)
    flagged = ExpressionWrapper(Q(inconsistency__isnull=False), output_field=BooleanField())
    return (
        Support.objects.filter(aspirant=sample.aspirant_id)
        .annotate(sampled=Exists(in_sample), flagged=flagged, rejected=rejected)
        .values_list("channel", "status", "sampled", "flagged", "rejected")
        .annotate(n=Count("id"))
        .order_by()
    )


def tally(groups):
    """({channel: [reviewed, valid, unknown, sampled]}, valid outside, decided outside)."""
    strata, known_valid, decided_outside = {}, 0, 0
    for channel, status, sampled, flagged, rejected, n in groups:
        counts = strata.setdefault(channel, [0, 0, 0, 0])
        valid = status == Status.PRELIMINARY and not flagged and not rejected
        if sampled:
            counts[3] += n
        if status == Status.PENDING_REVIEW:
            counts[2] += n
        elif sampled:
            counts[0] += n
            counts[1] += n if valid else 0
        else:
            decided_outside += n
            known_valid += n if valid else 0
    return strata, known_valid, decided_outside


def project_aspirant(sample):
    """The projection of the sample's aspirant now, with the band against the threshold of the
    newest compulsa (None without one) and the margins of settings APOYO_SAMPLING_*_PERCENT."""
    aspirant = sample.aspirant
    run = current_run(aspirant.office)
    strata, known_valid, decided_outside = tally(support_groups(sample, run))
    # A channel with nothing undecided and nothing sampled adds nothing to estimate.
    names = sorted(c for c, (reviewed, _, unknown, _) in strata.items() if reviewed or unknown)
    observed = [stats.Stratum(c, strata[c][0], strata[c][1], strata[c][2]) for c in names]
    projection = stats.project(observed, known_valid, sample.confidence_percent)
    labels = dict(Channel.choices)
    rows = [
        StratumRow(
            channel=estimate.stratum.name,
            label=labels.get(estimate.stratum.name, estimate.stratum.name),
            drawn_from=sample.strata.get(estimate.stratum.name, [0, 0])[0],
            sampled=strata[estimate.stratum.name][3],
            reviewed=estimate.stratum.reviewed,
            valid=estimate.stratum.valid,
            unknown=estimate.stratum.unknown,
            share_low=estimate.share_low,
            share_high=estimate.share_high,
        )
        for estimate in projection.strata
    ]
    result = AspirantResult.objects.filter(run=run, aspirant=aspirant).first() if run else None
    required = result.required if result else None
    clear, short = settings.APOYO_SAMPLING_CLEAR_PERCENT, settings.APOYO_SAMPLING_SHORT_PERCENT
    band = None
    if projection.estimate is not None:
        band = stats.band(projection.low, projection.high, required, clear, short)
    return AspirantProjection(
        sample, run, required, decided_outside, projection, rows, band, clear, short
    )

"""Sampling projection (issue 17 §3): draw a seeded random sample of an aspirant's pending
supports, stratified by channel, and project the valid supports from the sampled ones the mesa de
control has reviewed.

The projection is informative only: it never replaces the full count of the dictamen, which
counts every support (LGIPE 385-386: the OPL verifies each support against the Lista Nominal).

A decided support counts as valid when the mesa de control accepted it (preliminary, no
inconsistency) and the newest compulsa of the office did not invalidate it; one accepted after
that compulsa counts as valid until the next one says otherwise. A withdrawn support is decided
and not valid. The projection is in projection.py, the arithmetic in stats.py.
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apoyo.accounts.audit import record
from apoyo.aspirants.models import Aspirant
from apoyo.sampling import policies, stats
from apoyo.sampling.models import Sample, SampledSupport, SizeMethod
from apoyo.supports.models import Status, Support

DRAW_ACTION = "sortear muestra"
MAX_SEED = 10**12
BATCH = 5000


class SamplingRefused(Exception):
    """The sample cannot be drawn as asked; the message says why, in Spanish."""


def current_sample(aspirant):
    return Sample.objects.filter(aspirant=aspirant, superseded_at__isnull=True).first()


def pending_by_channel(aspirant):
    """{channel: [support ids]} of the aspirant's supports waiting in the mesa de control."""
    rows = (
        Support.objects.filter(aspirant=aspirant, status=Status.PENDING_REVIEW)
        .order_by("id")
        .values_list("channel", "id")
    )
    strata = {}
    for channel, support_id in rows.iterator(chunk_size=BATCH):
        strata.setdefault(channel, []).append(support_id)
    return strata


def requested_size(population, margin_percent=None, confidence_percent=95, size=None):
    """The size asked for: fixed, or from the target margin (stats.size_for_margin)."""
    if size:
        return min(size, population)
    if margin_percent is None:
        raise SamplingRefused("Indique el margen de error o el tamaño de la muestra.")
    return stats.size_for_margin(float(margin_percent), population, confidence_percent)


def supersede_current_sample(aspirant, now):
    previous = Sample.objects.filter(aspirant=aspirant, superseded_at__isnull=True)
    SampledSupport.objects.filter(sample__in=previous).update(active=False)
    previous.update(superseded_at=now)


def store_sampled_supports(sample, chosen):
    """One order over all channels (by the same seeded keys): reviewed in this order, any prefix
    of the sample keeps the channels in proportion."""
    drawn = sorted(
        (stats.draw_key(sample.seed, i), i, channel) for channel, ids in chosen.items() for i in ids
    )
    entries = [
        SampledSupport(sample=sample, support_id=support_id, channel=channel, rank=rank)
        for rank, (_, support_id, channel) in enumerate(drawn)
    ]
    SampledSupport.objects.bulk_create(entries, batch_size=BATCH)


def draw_sample(
    user,
    aspirant,
    *,
    margin_percent=None,
    confidence_percent=95,
    size=None,
    seed=None,
    address=None,
):
    """Draw and store a sample of the aspirant's pending supports (issue 17 §3): stratified by
    channel with proportional allocation, seeded (the same seed over the same pending supports
    draws the same sample), superseding the aspirant's previous sample. Written to the bitácora.
    Only an OPL administrator of the aspirant's entity draws (policies.can_draw_sample)."""
    if not policies.can_draw_sample(user, aspirant):
        raise PermissionDenied("Solo un administrador del OPL de la entidad sortea una muestra.")
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    with transaction.atomic():
        # One draw at a time per aspirant: the lock orders concurrent draws.
        Aspirant.objects.select_for_update().filter(pk=aspirant.pk).first()
        strata = pending_by_channel(aspirant)
        populations = {channel: len(ids) for channel, ids in strata.items()}
        population = sum(populations.values())
        if population == 0:
            raise SamplingRefused(
                "El aspirante no tiene apoyos pendientes de revisión: no hay qué muestrear."
            )
        wanted = requested_size(population, margin_percent, confidence_percent, size)
        sizes = stats.allocate(populations, wanted)
        chosen = stats.draw(strata, sizes, seed)
        now = timezone.now()
        supersede_current_sample(aspirant, now)
        sample = Sample.objects.create(
            aspirant=aspirant,
            seed=seed,
            method=SizeMethod.FIXED if size else SizeMethod.MARGIN,
            margin_percent=None if size else margin_percent,
            confidence_percent=confidence_percent,
            requested_size=size or None,
            size=sum(len(ids) for ids in chosen.values()),
            population=population,
            strata={channel: [populations[channel], sizes[channel]] for channel in populations},
            drawn_by=user,
            drawn_at=now,
        )
        store_sampled_supports(sample, chosen)
        record(
            user,
            DRAW_ACTION,
            "muestra",
            sample.pk,
            f"{aspirant.code}: {sample.size} de {population} apoyos pendientes, semilla {seed}",
            address=address,
        )
    return sample

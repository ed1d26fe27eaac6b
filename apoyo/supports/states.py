"""One derived state of a support, the same on every page, list, export and the API: where it
stands in the mesa de control and, once a compulsa judged it, what the newest compulsa said.

    retirado            withdrawn (never counts again)
    por confirmar       a four-eyes rejection awaits its second revisor
    pendiente           waiting in the mesa de control queue
    rechazado: TIPO     the mesa de control recorded an inconsistency
    verificado          accepted, and judged by a compulsa: válido, or its motivo
    aceptado            accepted (or captured by the OPL itself), not judged by a compulsa yet

A rejected support keeps "rechazado" after a compulsa: the mesa's decision is why it does not count.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from apoyo.supports.models import Status, Support, open_proposals


class SupportState(models.TextChoices):
    PENDING = "pending", "Pendiente de revisión"
    AWAITING = "awaiting", "Rechazo por confirmar"
    REJECTED = "rejected", "Rechazado"
    ACCEPTED = "accepted", "Aceptado (preliminar)"
    VERIFIED = "verified", "Verificado"
    WITHDRAWN = "withdrawn", "Retirado"


def results_model():
    """The compulsa's per-support results (verification.SupportResult), reached through the
    Support.results relation: supports never imports verification, a higher layer."""
    return Support._meta.get_field("results").related_model


def with_state(supports):
    """The supports annotated with what their state needs: an open four-eyes proposal and the
    newest compulsa result (run, valid, motivo), one subquery each, no query per row."""
    newest = results_model().objects.filter(support=OuterRef("pk")).order_by("-run_id")
    return supports.annotate(
        awaiting=Exists(open_proposals().filter(support=OuterRef("pk"))),
        result_run=Subquery(newest.values("run_id")[:1]),
        result_valid=Subquery(newest.values("valid")[:1]),
        result_motive=Subquery(newest.values("motive")[:1]),
    )


@dataclass(frozen=True)
class StateView:
    state: str
    label: str
    detail: str = ""

    def __str__(self):
        return f"{self.label}: {self.detail}" if self.detail else self.label


def state_of(support):
    """The derived state of a support annotated by with_state."""
    if support.status == Status.WITHDRAWN:
        return StateView(SupportState.WITHDRAWN, SupportState.WITHDRAWN.label)
    if getattr(support, "awaiting", False):
        return StateView(SupportState.AWAITING, SupportState.AWAITING.label)
    if support.status == Status.PENDING_REVIEW:
        return StateView(SupportState.PENDING, SupportState.PENDING.label)
    if support.inconsistency_id:
        return StateView(SupportState.REJECTED, SupportState.REJECTED.label, inconsistency(support))
    if getattr(support, "result_run", None):
        return StateView(SupportState.VERIFIED, SupportState.VERIFIED.label, verdict(support))
    return StateView(SupportState.ACCEPTED, SupportState.ACCEPTED.label)


def inconsistency(support):
    return support.inconsistency.code if support.inconsistency else ""


def verdict(support):
    outcome = "válido" if support.result_valid else motive_label(support.result_motive)
    return f"compulsa N.º {support.result_run}, {outcome}"


def motive_label(code):
    field = results_model()._meta.get_field("motive")
    return dict(field.choices).get(code, code or "no válido")


def proposed():
    return Q(pk__in=open_proposals().values("support_id"))


# For filters and counts: each state as a condition on an annotated queryset. The open proposal
# is a subquery of its own here, not the `awaiting` annotation: SQLite miscounts an aggregate
# FILTER on an EXISTS annotation when several share one query.
STATE_FILTERS = {
    SupportState.PENDING: Q(status=Status.PENDING_REVIEW) & ~proposed(),
    SupportState.AWAITING: Q(status=Status.PENDING_REVIEW) & proposed(),
    SupportState.REJECTED: Q(status=Status.PRELIMINARY, inconsistency__isnull=False),
    SupportState.VERIFIED: Q(
        status=Status.PRELIMINARY, inconsistency__isnull=True, result_run__isnull=False
    ),
    SupportState.ACCEPTED: Q(
        status=Status.PRELIMINARY, inconsistency__isnull=True, result_run__isnull=True
    ),
    SupportState.WITHDRAWN: Q(status=Status.WITHDRAWN),
}


def state_counts(annotated):
    """[(state, label, count)] of an annotated queryset, in one query."""
    counts = annotated.aggregate(
        **{state.value: models.Count("id", filter=q) for state, q in STATE_FILTERS.items()}
    )
    return [(state.value, state.label, counts[state.value]) for state in SupportState]


def filter_state(annotated, value):
    """The supports in state `value` (a SupportState value); all when it is not one."""
    if value not in SupportState.values:
        return annotated
    return annotated.filter(STATE_FILTERS[SupportState(value)])

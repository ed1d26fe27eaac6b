"""A folio's timeline: one Event per step, written by the step itself."""

from django.utils import timezone

from apoyo.liaison.models import Event


def record(consultation, kind, actor, at=None, area=None, detail=""):
    return Event.objects.create(
        consultation=consultation,
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        area=area,
        detail=detail,
    )


def count_text(n, noun):
    """Counts as the timeline and the notices print them: 1 anexo, 3 anexos."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

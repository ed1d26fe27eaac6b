"""SIVOPLE folios: TYPE/ENT/YEAR/N, consecutive per document type, entity and year (DOMAIN.md,
SIVOPLE: CONSULTA/SON/2020/1), never repeated nor skipped."""

from django.db import IntegrityError, transaction
from django.db.models import F

from apoyo.liaison.models import FolioCounter


def next_folio(doc_type, state, year):
    """Take the next number of a type, entity and year; call it inside the registering transaction.

    The UPDATE ... SET last = last + 1 locks the counter row until that transaction ends, so
    registrations made at the same moment queue on it and each gets its own number; a registration
    that fails rolls its number back. Folios are therefore never repeated nor skipped.
    """
    counters = FolioCounter.objects.filter(doc_type=doc_type, state=state, year=year)
    for _ in range(3):
        if counters.update(last=F("last") + 1):
            return counters.values_list("last", flat=True).get()
        try:
            # The first folio of the year: create the counter. A concurrent registration may
            # create it first; then the unique constraint fails and the UPDATE above is retried.
            with transaction.atomic():
                FolioCounter.objects.create(doc_type=doc_type, state=state, year=year, last=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError("No se pudo obtener el consecutivo del folio.")


def folio_text(doc_type, state, year, number):
    return f"{doc_type.code}/{state.abbreviation}/{year}/{number}"

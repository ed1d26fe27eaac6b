"""Hand-made rolls and supports for compulsa tests."""

import datetime
import itertools

from apoyo.roll.models import NominalListStat, RollCut, RollEntry
from apoyo.supports.models import Cedula, Channel, Inconsistency, Status, Support

CUT = datetime.date(2020, 8, 31)
_keys = itertools.count(1)


def key(n=None):
    n = next(_keys) if n is None else n
    return f"GRLPJN{n // 1000:06d}26H{n % 1000:03d}"


def make_cut(cut_date=CUT):
    cut, _ = RollCut.objects.get_or_create(cut_date=cut_date)
    return cut


def citizen(elector_key, section=1, situation="LN", state=26, cause="", ocr="1234567890123"):
    return RollEntry.objects.create(
        cut=make_cut(),
        elector_key=elector_key,
        ocr=ocr,
        state_number=state,
        section_number=section,
        situation=situation,
        removal_cause=cause,
    )


def nominal_list(counts, state=26, cut_date=CUT):
    """counts: {section: LN}"""
    NominalListStat.objects.bulk_create(
        NominalListStat(
            cut_date=cut_date, state_number=state, section_number=s, nominal_list=n, source="roll"
        )
        for s, n in counts.items()
    )


def support(
    aspirant,
    elector_key,
    day=datetime.date(2020, 12, 20),
    channel=Channel.MANUAL,
    inconsistency=None,
    ocr="1234567890123",
    reference="F-1",
    status=Status.PRELIMINARY,
):
    cedula, _ = Cedula.objects.get_or_create(
        aspirant=aspirant, reference=reference, defaults={"date": day}
    )
    return Support.objects.create(
        aspirant=aspirant,
        cedula=cedula if channel != Channel.APP else None,
        channel=channel,
        name="JUAN",
        paternal_surname="GARCIA",
        maternal_surname="LOPEZ",
        elector_key=elector_key,
        ocr=ocr,
        inconsistency=Inconsistency.objects.get(code=inconsistency) if inconsistency else None,
        support_date=day,
        status=status,
    )

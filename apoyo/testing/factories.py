"""Small factory functions for tests: each builds the least a test needs, with overridable fields."""

import datetime
import itertools
import os

from django.db import connection
from django.utils import timezone

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant
from apoyo.geo.models import FederalDistrict, LocalDistrict, Municipality, Section, State
from apoyo.processes.models import Office, Process
from apoyo.roll.models import NominalListStat, RollCut, RollEntry
from apoyo.supports.models import Cedula, Channel, Inconsistency, Status, Support
from apoyo.supports.services import capture_support, open_cedula

_sequence = itertools.count(1)

# The password make_user gives every test account.
PASSWORD = "clave-de-prueba-123"  # noqa: S105

PERIOD_START = datetime.date(2020, 12, 15)
PERIOD_END = datetime.date(2021, 1, 23)


def make_sections(state_number=26, layout=None):
    """Create sections; layout is [(section, municipality, municipality_name, local, federal)]."""
    layout = layout or [
        (1, 1, "Aconchi", 18, 4),
        (2, 1, "Aconchi", 18, 4),
        (3, 2, "Agua Prieta", 7, 2),
        (900, 49, "Hermosillo", 8, 3),
        (901, 49, "Hermosillo", 9, 5),
    ]
    state = State.objects.get(number=state_number)
    sections = []
    for number, mun, mun_name, local, federal in layout:
        municipality, _ = Municipality.objects.get_or_create(
            state=state, number=mun, defaults={"name": mun_name}
        )
        local_district, _ = LocalDistrict.objects.get_or_create(state=state, number=local)
        federal_district, _ = FederalDistrict.objects.get_or_create(state=state, number=federal)
        section, _ = Section.objects.get_or_create(
            state=state,
            number=number,
            defaults={
                "municipality": municipality,
                "local_district": local_district,
                "federal_district": federal_district,
            },
        )
        sections.append(section)
    return sections


def make_process(state_number=26, **fields):
    n = next(_sequence)
    values = {
        "code": f"PEL-{n}",
        "name": f"Proceso Electoral Local {n}",
        "state_id": state_number,
        "roll_cut_date": datetime.date(2020, 8, 31),
    }
    values.update(fields)
    return Process.objects.create(**values)


def make_office(process=None, **fields):
    process = process or make_process()
    values = {
        "process": process,
        "code": f"GOB-{next(_sequence)}",
        "name": "Gubernatura",
        "scope_type": "state",
        "collection_start": PERIOD_START,
        "collection_end": PERIOD_END,
        "threshold_percent": 3,
    }
    values.update(fields)
    return Office.objects.create(**values)


def make_user(role=Role.OPL_CAPTURIST, state_number=26, **fields):
    n = next(_sequence)
    values = {"username": f"usuario{n}", "role": role, "first_name": f"Usuario {n}"}
    if role not in (Role.INE_DERFE, Role.INE_UTVOPL, Role.INE_AREA):
        values["state_id"] = state_number
    values.update(fields)
    password = values.pop("password", PASSWORD)
    user = User(**values)
    user.set_password(password)
    user.save()
    return user


def make_aspirant(office=None, with_user=False, **fields):
    office = office or make_office()
    n = next(_sequence)
    values = {
        "office": office,
        "code": f"A-{n:02d}",
        "name": "JUAN",
        "paternal_surname": "PEREZ",
        "maternal_surname": "LOPEZ",
        "email": f"aspirante{n}@example.org",
    }
    values.update(fields)
    if with_user:
        values["user"] = make_user(Role.ASPIRANT, state_number=office.process.state_id)
    return Aspirant.objects.create(**values)


def require_postgresql(why):
    """Skip the calling test, saying `why` it needs PostgreSQL, unless the database is one. Under
    APOYO_REQUIRE_POSTGRES (.ci/run's PostgreSQL pass) a missing PostgreSQL fails instead."""
    import pytest  # only tests call this; the benchmark imports the factories without pytest

    if connection.vendor == "postgresql":
        return
    if os.environ.get("APOYO_REQUIRE_POSTGRES"):
        pytest.fail("APOYO_REQUIRE_POSTGRES está activo pero la base no es PostgreSQL.")
    pytest.skip(f"Necesita PostgreSQL (DATABASE_URL=postgres://...): {why}")


# Rolls and supports for compulsa tests -------------------------------------------------------------

CUT = datetime.date(2020, 8, 31)
_keys = itertools.count(1)


def elector_key(n=None):
    """A well-formed clave de elector of JUAN GARCIA LOPEZ (letters GRLPJN), unique for each n; the
    next of a counter when n is None."""
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


# The Lista Nominal of make_sections' sections that the compulsa tests share: 1, 2 (Aconchi,
# mun 1, DL 18, DF 4), 3 (Agua Prieta, mun 2, DL 7, DF 2), 900 (Hermosillo 49, DL 8, DF 3), 901
# (Hermosillo 49, DL 9, DF 5).
SECTIONS_LN = {1: 1000, 2: 500, 3: 2000, 900: 3000, 901: 100}


def office_ready_for_compulsa(**fields):
    """An office of Sonora whose sections (make_sections) have SECTIONS_LN and a roll cut."""
    make_sections()
    nominal_list(SECTIONS_LN)
    make_cut()
    return make_office(**fields)


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


# An aspirant's pre-captured rows ---------------------------------------------------------------------


def row(n, **values):
    base = {
        "NOMBRE": "JUAN",
        "APELLIDO_PATERNO": "GARCIA",
        "APELLIDO_MATERNO": "LOPEZ",
        "CLAVE_ELECTOR": elector_key(n),
        "OCR": f"{n:013d}",
        "COMENTARIO": "",
    }
    return base | values


def precaptured(aspirant, numbers, reference="P-1", date=PERIOD_START, **values):
    """The aspirant's own capture of one cédula with one row per number (`values` replace the
    row's defaults, see `row`): pending review."""
    cedula, errors = open_cedula(aspirant.user, aspirant, reference, date)
    assert errors == []
    supports = []
    for n in numbers:
        result = capture_support(aspirant.user, cedula, row(n, **values), channel=Channel.ASPIRANT)
        assert result.errors == [], result.errors
        supports.append(result.support)
    return supports


def precaptured_named(aspirant, n, name, paternal):
    """One support of `precaptured` named `name paternal` (no maternal surname)."""
    names = {"NOMBRE": name, "APELLIDO_PATERNO": paternal, "APELLIDO_MATERNO": ""}
    return precaptured(aspirant, [n], **names)[0]


def stored_at_one_instant(aspirant, count):
    """`count` supports of one carga masiva: one capture time; one in ten named LOPEZ."""
    at = timezone.now() - datetime.timedelta(days=1)
    Support.objects.bulk_create(
        Support(
            aspirant=aspirant,
            channel=Channel.BULK,
            name="ANA",
            paternal_surname="LOPEZ" if n % 10 == 0 else "PEREZ",
            search_name="LOPEZ ANA" if n % 10 == 0 else "PEREZ ANA",
            elector_key=elector_key(n + 10000 * aspirant.pk),
            support_date=datetime.date(2021, 1, 10),
            captured_at=at,
            status=Status.PRELIMINARY,
        )
        for n in range(1, count + 1)
    )

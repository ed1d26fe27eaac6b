"""Fixtures of the avance público's tests: an office with a dispersion rule, two aspirants, and
two compulsas whose figures differ (a support becomes valid between them)."""

import pytest

from apoyo.accounts.models import Role
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_process,
    make_sections,
    make_user,
    nominal_list,
    support,
)
from apoyo.verification.services import run_check

# Sections of make_sections(): 1, 2 (Aconchi, mun 1), 3 (Agua Prieta, mun 2), 900, 901
# (Hermosillo, mun 49). LN 120: 3 % requires ceil(3.6) = 4; a municipality needs 1 % of its LN.
LN = {1: 20, 2: 20, 3: 40, 900: 30, 901: 10}
ROLL_OCR = "9999999999999"


@pytest.fixture
def office():
    make_sections()
    nominal_list(LN)
    make_cut()
    process = make_process(name="Proceso Electoral Local 2020-2021")
    return make_office(
        process,
        name="Gubernatura",
        dispersion_unit="municipality",
        dispersion_min_units=2,
        dispersion_min_percent=1,
    )


@pytest.fixture
def admin():
    return make_user(Role.OPL_ADMIN)


@pytest.fixture
def aspirants(office):
    """A: 3 valid supports (three municipalities) and one not in the roll; B: 1 valid."""
    a = make_aspirant(office, name="MARIA", paternal_surname="SOTO", maternal_surname="RUIZ")
    b = make_aspirant(office, name="PEDRO", paternal_surname="LUNA", maternal_surname="DIAZ")
    keys = [elector_key() for _ in range(4)]
    for key, section in zip(keys, [1, 3, 900, 901], strict=True):
        citizen(key, section=section, ocr=ROLL_OCR)
    for key in keys[:3]:
        support(a, key, reference="F-1")
    support(a, elector_key(), reference="F-2")  # not in the roll
    support(b, keys[3], reference="G-1")
    return a, b


@pytest.fixture
def runs(office, aspirants, admin):
    """Two finished compulsas: in the second, B has one more valid support."""
    _, b = aspirants
    first = run_check(office, admin)
    key = elector_key()
    citizen(key, section=2, ocr=ROLL_OCR)
    support(b, key, reference="G-2")
    second = run_check(office, admin)
    return first, second

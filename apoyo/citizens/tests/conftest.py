"""Fixtures of the consulta ciudadana's tests: an office with an aspirant, one citizen's accepted
support (a clave, its OCR) and the OPL staff who hear about it."""

import pytest

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_user, support

KEY = "GRLPJN85010126H001"
OCR = "1234567890123"
UNKNOWN_KEY = "PXRZAN90023026M002"
WRONG_OCR = "9999999999999"


@pytest.fixture
def office():
    return make_office(make_process(name="Proceso Electoral Local 2020-2021"), name="Gubernatura")


@pytest.fixture
def aspirant(office):
    return make_aspirant(office, name="MARIA", paternal_surname="SOTO", maternal_surname="RUIZ")


@pytest.fixture
def accepted(aspirant):
    """The citizen's support, captured by the OPL (preliminary, no inconsistency)."""
    return support(aspirant, KEY, ocr=OCR)


@pytest.fixture
def admin():
    return make_user(Role.OPL_ADMIN, email="admin@opl.example")


@pytest.fixture
def reviewers():
    return (
        make_user(Role.OPL_REVIEWER, username="revisora"),
        make_user(Role.OPL_REVIEWER, username="revisor"),
    )


def look_up(client, key=KEY, number=OCR, address="203.0.113.5"):
    return client.post(
        "/consulta-ciudadana/", {"elector_key": key, "number": number}, REMOTE_ADDR=address
    )

"""Fixtures of the sampling tests: an office with an aspirant whose supports wait in the mesa de
control through two channels (120 from the app, 40 of the aspirant's pre-capture), a few the OPL
already decided, and the OPL staff."""

import pytest

from apoyo.accounts.models import Role
from apoyo.supports.models import Channel, Status
from apoyo.testing.factories import (
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
    support,
)

APP_PENDING = 120
PRECAPTURE_PENDING = 40
DECIDED = 10


@pytest.fixture
def office():
    return make_office(make_process(name="Proceso Electoral Local 2023-2024"), name="Gubernatura")


@pytest.fixture
def aspirant(office):
    return make_aspirant(office, name="MARIA", paternal_surname="SOTO", maternal_surname="RUIZ")


@pytest.fixture
def pending(aspirant):
    """The aspirant's supports waiting in the mesa de control: app first, then pre-capture."""
    app = [
        support(aspirant, elector_key(), channel=Channel.APP, status=Status.PENDING_REVIEW)
        for _ in range(APP_PENDING)
    ]
    precaptured = [
        support(
            aspirant,
            elector_key(),
            channel=Channel.ASPIRANT,
            status=Status.PENDING_REVIEW,
            reference="P-1",
        )
        for _ in range(PRECAPTURE_PENDING)
    ]
    return app + precaptured


@pytest.fixture
def decided(aspirant):
    """Supports the OPL captured itself (preliminary at once): 8 valid, 2 with an inconsistency."""
    valid = [support(aspirant, elector_key()) for _ in range(DECIDED - 2)]
    flagged = [support(aspirant, elector_key(), inconsistency="OTRA") for _ in range(2)]
    return valid + flagged


@pytest.fixture
def admin():
    return make_user(Role.OPL_ADMIN, username="admin-opl")


@pytest.fixture
def reviewer():
    return make_user(Role.OPL_REVIEWER, username="revisora")

"""Every support-date field says which dates it accepts: the office's collection period, beside
the field and as the date picker's bounds (pre-capture, manual capture and correction)."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.testing.factories import (
    PERIOD_END,
    PERIOD_START,
    elector_key,
    make_aspirant,
    make_user,
    support,
)

pytestmark = pytest.mark.django_db

PERIOD = "Periodo de obtención: del 15/12/2020 al 23/01/2021."
BOUNDS = f'min="{PERIOD_START.isoformat()}" max="{PERIOD_END.isoformat()}"'


def date_input(page, name):
    """The <input> tag of the named field."""
    start = page.index(f'name="{name}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def test_manual_capture_shows_the_period_once_the_office_is_chosen(client):
    aspirant = make_aspirant()
    office = aspirant.office
    client.force_login(make_user(Role.OPL_CAPTURIST))
    url = reverse("supports:capture")
    chosen = client.get(url, {"process": office.process_id, "office": office.pk}).content.decode()
    assert PERIOD in chosen and BOUNDS in date_input(chosen, "date")
    unchosen = client.get(url, {"process": office.process_id}).content.decode()
    assert "Elija el cargo para ver su periodo de obtención." in unchosen


def test_the_aspirant_pre_capture_shows_the_period_beside_the_cedula_date(client):
    aspirant = make_aspirant(with_user=True)
    client.force_login(aspirant.user)
    page = client.get(reverse("supports:precapture_cedulas")).content.decode()
    assert PERIOD in page and BOUNDS in date_input(page, "date")
    refused = client.post(reverse("supports:precapture_cedulas"), {"reference": "P-1"})
    assert refused.status_code == 400 and PERIOD in refused.content.decode()


def test_the_correction_page_shows_the_period_beside_the_support_date(client):
    aspirant = make_aspirant()
    saved = support(aspirant, elector_key(1))
    client.force_login(make_user(Role.OPL_CAPTURIST))
    page = client.get(reverse("supports:correct", args=[saved.pk])).content.decode()
    assert PERIOD in page and BOUNDS in date_input(page, "FECHA_APOYO")

"""The retention page in the system Chromium, reached from Administración, at 1366 px and on a
390 px phone."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.testing.browser import log_in
from apoyo.testing.factories import (
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
    support,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_admin_reads_upcoming_purges_on_a_desktop_and_a_phone(page, live_server, artifacts_dir):
    process = make_process(
        code="PEL-2030",
        name="Proceso Electoral Local 2029-2030",
        rulings_final_on=datetime.date(2030, 7, 1),
        retention_days=365,
    )
    aspirant = make_aspirant(make_office(process=process))
    for _ in range(4):
        support(aspirant, elector_key())
    make_process(code="PEL-2033", name="Proceso Electoral Local 2032-2033")
    admin = make_user(Role.OPL_ADMIN)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}/administracion/")
    page.get_by_role("link", name="Conservación de datos").click()
    expect(page.get_by_role("heading", name="Conservación de datos personales")).to_be_visible()
    card = page.get_by_role("region", name="PEL-2030 · Proceso Electoral Local 2029-2030")
    expect(card).to_contain_text("01/07/2031")
    expect(card).to_contain_text("Programada")
    expect(page.get_by_role("region", name="PEL-2033", exact=False)).to_contain_text(
        "En espera de dictámenes firmes"
    )
    page.screenshot(path=os.path.join(artifacts_dir, "conservacion-datos.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", name="Supresiones realizadas")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    page.screenshot(path=os.path.join(artifacts_dir, "conservacion-datos-390.png"), full_page=True)

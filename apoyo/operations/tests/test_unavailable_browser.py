"""The page a person sees while the database is unreachable: in Spanish, readable on a desktop
(1366 px) and on a phone (390 px), with a way back once it returns (system Chromium)."""

import os

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.testing.browser import log_in
from apoyo.testing.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def unreachable(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(("name", "width"), [("escritorio", 1366), ("telefono", 390)])
def test_the_unavailable_page_reads_well_and_offers_the_way_back(
    page, live_server, artifacts_dir, monkeypatch, name, width
):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, make_user(Role.OPL_CAPTURIST).username)
    with monkeypatch.context() as outage:
        # Every query of every thread (the live server's too) fails, as with the server down.
        outage.setattr(CursorWrapper, "_execute", unreachable)
        response = page.goto(f"{live_server.url}/tablero/")
        assert response.status == 503 and response.headers["retry-after"] == "15"
        expect(
            page.get_by_role("heading", name="Servicio no disponible por un momento")
        ).to_be_visible()
        expect(page.get_by_text("intente de nuevo en 15 segundos")).to_be_visible()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width  # no sideways scrolling on the phone
        page.screenshot(path=os.path.join(artifacts_dir, f"servicio-no-disponible-{name}.png"))
    # The database is back: the same session goes on, nothing was restarted.
    page.get_by_role("link", name="Ir al inicio").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()

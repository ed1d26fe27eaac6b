"""The mesa de control in the system Chromium: a revisor works the queue from the keyboard, and a
second revisor confirms a four-eyes rejection."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.supports.models import Status, Support
from apoyo.supports.scans import add_scan
from apoyo.testing.browser import PASSWORD, log_in, press_shortcut
from apoyo.testing.factories import make_aspirant, make_user, precaptured
from apoyo.testing.files import png, uploaded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def heading(page, support):
    return page.get_by_role("heading", name=f"Revisión del apoyo {support.elector_key}")


def test_revisor_works_the_queue_with_the_keyboard(page, live_server, artifacts_dir):
    aspirant = make_aspirant(with_user=True, code="A-03")
    first, second, third, fourth = precaptured(aspirant, [1, 2, 3, 4], reference="P-1")
    add_scan(aspirant.user, first.cedula, uploaded("frente.png", png(400, 250)))
    add_scan(aspirant.user, first.cedula, uploaded("reverso.png", png(400, 250, (20, 90, 160))))
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)
    make_user(Role.OPL_REVIEWER, username="revisora2", password=PASSWORD)

    log_in(page, live_server, "revisor")
    page.get_by_role("link", name="Mesa de control").click()
    expect(page.get_by_role("table", name="Cola de revisión").locator("tbody tr")).to_have_count(4)
    page.get_by_role("link", name="Comenzar revisión").click()
    expect(heading(page, first)).to_be_visible()

    # The cédula scan is beside the data; + zooms in, I shows the next image.
    picture = page.locator("figure.viewer:visible img")
    expect(picture).to_be_visible()
    page.keyboard.press("+")
    expect(page.locator("figure.viewer:visible .zoom-level")).to_have_text("125%")
    press_shortcut(page, "i")
    expect(page.get_by_role("tab", name="2. Cédula P-1 · reverso.png")).to_have_attribute(
        "aria-selected", "true"
    )
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-de-control.png"), full_page=True)

    # A accepts and opens the next support of the queue.
    press_shortcut(page, "a")
    expect(heading(page, second)).to_be_visible()
    expect(page.get_by_text(f"Apoyo {first.elector_key} aceptado.")).to_be_visible()

    # R goes to the type; type-ahead picks it, Tab to the comment, Enter records it.
    press_shortcut(page, "r")
    kind = page.get_by_label("Tipo de inconsistencia")
    expect(kind).to_be_focused()
    page.keyboard.type("ILEG")
    expect(kind.locator("option:checked")).to_have_text("ILEGIBLE – Datos ilegibles")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Comentario")).to_be_focused()
    page.keyboard.type("Borroso")
    page.keyboard.press("Enter")
    expect(heading(page, third)).to_be_visible()

    # Shortcuts never fire while typing: an "a" in the comment accepts nothing.
    press_shortcut(page, "r")
    page.keyboard.press("Tab")
    page.keyboard.type("a")
    page.keyboard.press("Escape")
    # N skips to the next one without deciding.
    press_shortcut(page, "n")
    expect(heading(page, fourth)).to_be_visible()

    # A four-eyes type only proposes the rejection; the queue wraps to the skipped support.
    press_shortcut(page, "r")
    page.keyboard.type("SIMU")
    page.keyboard.press("Tab")
    page.keyboard.type("Holograma impreso")
    page.keyboard.press("Enter")
    expect(heading(page, third)).to_be_visible()
    expect(page.get_by_text("cuenta solo cuando otro revisor lo confirme")).to_be_visible()

    states = dict(Support.objects.values_list("pk", "status"))
    assert states == {
        first.pk: Status.PRELIMINARY,
        second.pk: Status.PRELIMINARY,
        third.pk: Status.PENDING_REVIEW,
        fourth.pk: Status.PENDING_REVIEW,
    }
    assert Support.objects.get(pk=second.pk).inconsistency.code == "ILEGIBLE"

    # Another revisor confirms it with C.
    page.get_by_role("button", name="Salir").click()
    log_in(page, live_server, "revisora2")
    page.get_by_role("link", name="Mesa de control").click()
    page.get_by_role("link", name="Rechazos por confirmar (1)").click()
    page.get_by_role("link", name="Comenzar confirmaciones").click()
    expect(heading(page, fourth)).to_be_visible()
    expect(page.locator(".proposal").get_by_text("Holograma impreso")).to_be_visible()
    page.screenshot(
        path=os.path.join(artifacts_dir, "mesa-de-control-confirmar.png"), full_page=True
    )
    press_shortcut(page, "c")
    expect(page.get_by_text("No quedan rechazos por confirmar.")).to_be_visible()
    confirmed = Support.objects.get(pk=fourth.pk)
    assert (confirmed.status, confirmed.inconsistency.code) == (Status.PRELIMINARY, "SIMULACION")

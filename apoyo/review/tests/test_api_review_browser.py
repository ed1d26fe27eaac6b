"""The mesa de control in the system Chromium for a support sent through the capture app's API:
its four photos side by side, each zoomed from the keyboard, and accepted with A."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.capture_app.services import capture_from_app
from apoyo.supports.models import Status
from apoyo.testing.browser import press_shortcut
from apoyo.testing.capture_app import PASSWORD, capture, make_auxiliary
from apoyo.testing.factories import make_user
from apoyo.testing.files import png, uploaded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_revisor_sees_the_four_photos_side_by_side_and_accepts(page, live_server, artifacts_dir):
    auxiliary = make_auxiliary()
    data = capture(1) | {
        "front": uploaded("f.png", png(640, 400, (200, 60, 60))),
        "back": uploaded("b.png", png(640, 400, (60, 120, 200))),
        "selfie": uploaded("s.png", png(300, 400, (90, 160, 90))),
        "signature": uploaded("x.png", png(600, 200, (20, 20, 20))),
    }
    support = capture_from_app(auxiliary, data, data).support
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)

    page.goto(f"{live_server.url}/entrar/")
    page.get_by_label("Usuario").fill("revisor")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server.url}/mesa/?channel=app")
    page.get_by_role("link", name="Comenzar revisión").click()
    expect(
        page.get_by_role("heading", name=f"Revisión del apoyo {support.elector_key}")
    ).to_be_visible()

    photos = page.locator(".app-images figure img")
    expect(photos).to_have_count(4)
    labels = ["Credencial (frente)", "Credencial (reverso)", "Fotografía en vivo", "Firma"]
    for index, label in enumerate(labels):
        expect(photos.nth(index)).to_have_attribute("alt", label)
        expect(photos.nth(index)).to_be_visible()
    boxes = [photos.nth(index).bounding_box() for index in range(4)]
    assert boxes[0]["y"] == pytest.approx(boxes[1]["y"], abs=2)  # front and back side by side
    assert boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"] / 2
    assert boxes[2]["y"] > boxes[0]["y"]  # live photo and signature below
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-de-control-app.png"), full_page=True)

    # I moves to the next photo; + zooms the photo that has the focus, not the others.
    press_shortcut(page, "i")
    press_shortcut(page, "i")
    page.keyboard.press("+")
    levels = page.locator(".app-images .zoom-level")
    expect(levels.nth(2)).to_have_text("125%")
    expect(levels.nth(0)).to_have_text("100%")

    page.locator(".app-images .zoom-frame").nth(2).blur()
    press_shortcut(page, "a")
    expect(page.get_by_text(f"Apoyo {support.elector_key} aceptado.")).to_be_visible()
    support.refresh_from_db()
    assert support.status == Status.PRELIMINARY

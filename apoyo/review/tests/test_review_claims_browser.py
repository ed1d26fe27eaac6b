"""Two revisors work the mesa de control at once (two browsers): "Comenzar revisión" hands each a
different support, the queue shows who has which one open, and "Saltar" frees it (system
Chromium)."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.review.models import ReviewClaim
from apoyo.testing.browser import PASSWORD, log_in, press_shortcut
from apoyo.testing.factories import make_aspirant, make_user, precaptured

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def heading(page, support):
    return page.get_by_role("heading", name=f"Revisión del apoyo {support.elector_key}")


def queue_row(page, support):
    table = page.get_by_role("table", name="Cola de revisión")
    return table.locator("tbody tr").filter(has_text=support.elector_key)


def test_two_revisors_get_different_supports_and_the_queue_shows_who_has_each(
    browser, page, live_server, artifacts_dir
):
    aspirant = make_aspirant(with_user=True, code="A-03")
    first, second, third = precaptured(aspirant, [1, 2, 3], reference="P-1")
    make_user(Role.OPL_REVIEWER, username="ana", first_name="Ana", last_name="Ruiz")
    make_user(Role.OPL_REVIEWER, username="beto", first_name="Beto", last_name="Soto")
    make_user(Role.OPL_ADMIN, username="jefa", password=PASSWORD)

    ana = page
    ana.set_viewport_size(DESKTOP)
    beto_context = browser.new_context(viewport=DESKTOP)
    boss_context = browser.new_context(viewport=DESKTOP)
    try:
        beto = beto_context.new_page()
        boss = boss_context.new_page()
        log_in(ana, live_server, "ana")
        log_in(beto, live_server, "beto")
        log_in(boss, live_server, "jefa")

        # Both have the queue open, then both start: each gets a support of their own.
        ana.goto(f"{live_server.url}/mesa/")
        beto.goto(f"{live_server.url}/mesa/")
        ana.locator("#start-review").click()
        expect(heading(ana, first)).to_be_visible()
        beto.locator("#start-review").click()
        expect(heading(beto, second)).to_be_visible()
        expect(beto.get_by_text("Apartado para usted 10 minutos")).to_be_visible()

        # The queue tells everybody who has which support open.
        boss.goto(f"{live_server.url}/mesa/")
        expect(queue_row(boss, first)).to_contain_text("Ana Ruiz")
        expect(queue_row(boss, second)).to_contain_text("Beto Soto")
        expect(queue_row(boss, third)).to_contain_text("—")
        expect(boss.get_by_text("Ahora hay 2 en revisión por otros revisores")).to_be_visible()
        boss.screenshot(path=os.path.join(artifacts_dir, "mesa-cola-en-revision.png"))
        boss.set_viewport_size(PHONE)
        boss.screenshot(
            path=os.path.join(artifacts_dir, "mesa-cola-en-revision-390.png"), full_page=True
        )

        # Ana opens Beto's support directly: she is told, and cannot decide it.
        ana.goto(f"{live_server.url}/mesa/apoyos/{second.pk}/")
        expect(ana.get_by_text("Beto Soto está revisando este apoyo")).to_be_visible()
        expect(ana.get_by_role("button", name="Aceptar")).to_have_count(0)
        ana.screenshot(path=os.path.join(artifacts_dir, "mesa-apoyo-de-otro-revisor.png"))

        # Saltar (N) frees what Ana had and hands her the next support nobody has open.
        ana.goto(f"{live_server.url}/mesa/apoyos/{first.pk}/")
        expect(heading(ana, first)).to_be_visible()
        press_shortcut(ana, "n")
        expect(heading(ana, third)).to_be_visible()
        held = dict(ReviewClaim.objects.values_list("support", "reviewer__username"))
        assert held == {second.pk: "beto", third.pk: "ana"}

        # Beto leaves the review: his support is free again.
        beto.get_by_role("button", name="Volver a la cola").click()
        expect(queue_row(beto, second)).to_contain_text("—")
        expect(queue_row(beto, third)).to_contain_text("Ana Ruiz")
        assert not ReviewClaim.objects.filter(reviewer__username="beto").exists()
    finally:
        beto_context.close()
        boss_context.close()

"""The mesa de control's single-letter shortcuts never act on what the revisor types: after a
refused decision the cursor goes back to the field at fault, and while an error is on the page no
letter decides anything (system Chromium)."""

import os
import re

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.review import services as review
from apoyo.supports.models import Inconsistency, Review, Status, Support
from apoyo.testing.browser import PASSWORD, log_in, press_shortcut
from apoyo.testing.factories import make_aspirant, make_user, precaptured

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every letter that is a shortcut of the review page (a, c, d, i, n, r) is in these texts.
KEYS = "a c d i n r A C D N R"


def heading(page, support):
    return page.get_by_role("heading", name=f"Revisión del apoyo {support.elector_key}")


def nothing_decided(*supports):
    for support in supports:
        assert Support.objects.get(pk=support.pk).status == Status.PENDING_REVIEW
    assert not Review.objects.exclude(outcome="proposed").exists()


def test_typing_after_a_refused_otra_decides_nothing(page, live_server, artifacts_dir):
    aspirant = make_aspirant(with_user=True, code="A-03")
    first, second = precaptured(aspirant, [1, 2], reference="P-1")
    make_user(Role.OPL_REVIEWER, username="revisor", password=PASSWORD)

    log_in(page, live_server, "revisor")
    page.get_by_role("link", name="Mesa de control").click()
    page.get_by_role("link", name="Comenzar revisión").click()
    expect(heading(page, first)).to_be_visible()
    page.wait_for_load_state()  # review.js listens to the keys

    # R, OTRA, Tab, Enter with no comment: refused, and the cursor is back in the comment.
    press_shortcut(page, "r")
    page.keyboard.type("OTRA")
    kind = page.get_by_label("Tipo de inconsistencia")
    expect(kind.locator("option:checked")).to_have_text(re.compile("^OTRA"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    comment = page.get_by_label("Comentario")
    expect(page.get_by_text("Describa la inconsistencia en el comentario.")).to_be_visible()
    expect(comment).to_be_focused()
    expect(comment).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("Apellido alterado")
    expect(comment).to_have_value("Apellido alterado")
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-error-comentario.png"), full_page=True)

    # Out of the field (Esc) with the error still shown: no letter acts either.
    page.keyboard.press("Escape")
    page.keyboard.type(KEYS)
    page.wait_for_timeout(300)
    expect(heading(page, first)).to_be_visible()
    nothing_decided(first, second)

    # The revisor fixes it: the comment already typed is recorded with OTRA.
    comment.focus()
    page.keyboard.press("Enter")
    expect(heading(page, second)).to_be_visible()
    recorded = Support.objects.get(pk=first.pk)
    assert (recorded.inconsistency.code, recorded.comment) == ("OTRA", "Apellido alterado")
    assert Support.objects.get(pk=second.pk).status == Status.PENDING_REVIEW


def test_typing_after_an_overturn_without_reason_decides_nothing(page, live_server, artifacts_dir):
    aspirant = make_aspirant(with_user=True, code="A-04")
    first, second = precaptured(aspirant, [1, 2], reference="P-2")
    proposer = make_user(Role.OPL_REVIEWER)
    simulacion = Inconsistency.objects.get(code="SIMULACION")
    for support in (first, second):
        review.record_inconsistency(proposer, support, simulacion, "Holograma impreso")
    make_user(Role.OPL_REVIEWER, username="revisora2", password=PASSWORD)

    log_in(page, live_server, "revisora2")
    page.goto(f"{live_server.url}/mesa/confirmaciones/")
    page.get_by_role("link", name="Comenzar confirmaciones").click()
    expect(heading(page, first)).to_be_visible()
    page.wait_for_load_state()

    # D, Enter with an empty reason: refused, and the cursor is back in the reason.
    press_shortcut(page, "d")
    page.keyboard.press("Enter")
    reason = page.get_by_label("Motivo para no confirmarlo")
    expect(page.get_by_text("por qué no confirma el rechazo")).to_be_visible()
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("La credencial es original")
    expect(reason).to_have_value("La credencial es original")
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-error-motivo.png"), full_page=True)
    page.keyboard.press("Escape")
    page.keyboard.type(KEYS)
    page.wait_for_timeout(300)
    expect(heading(page, first)).to_be_visible()
    open_reviews = Review.objects.filter(outcome="proposed", confirmation="")
    assert open_reviews.count() == 2
    nothing_decided(first, second)

    # Enter in the reason overturns this one only.
    reason.focus()
    page.keyboard.press("Enter")
    expect(heading(page, second)).to_be_visible()
    assert open_reviews.count() == 1
    assert Review.objects.get(support=first).confirmation == "overturned"

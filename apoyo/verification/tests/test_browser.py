"""The results pages in the system Chromium: the OPL runs the compulsa, the aspirant sees theirs."""

import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.testing.browser import PASSWORD, log_in
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    make_user,
    nominal_list,
    support,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LN = {1: 20, 2: 20, 3: 40, 900: 30, 901: 10}


def build_office():
    """Aspirant MARIA SOTO: 4 valid supports in 3 municipalities, 1 not found, 1 duplicate."""
    make_sections()
    nominal_list(LN)
    make_cut()
    office = make_office(
        name="Gubernatura",
        dispersion_unit="municipality",
        dispersion_min_units=2,
        dispersion_min_percent=1,
    )
    aspirant = make_aspirant(office, with_user=True, name="MARIA", paternal_surname="SOTO")
    aspirant.user.set_password(PASSWORD)
    aspirant.user.save()
    other = make_aspirant(office, name="PEDRO", paternal_surname="RUIZ")
    keys = [elector_key() for _ in range(5)]
    for k, section in zip(keys, [1, 3, 900, 2, 901], strict=True):
        citizen(k, section=section)
    for k in keys[:4]:
        support(aspirant, k)
    missing = elector_key()
    support(aspirant, missing, reference="F-2")
    support(aspirant, keys[0], reference="F-3")
    support(other, keys[4], reference="G-1")
    return aspirant, missing


def test_admin_runs_the_compulsa_and_the_aspirant_sees_own_results(
    page, live_server, artifacts_dir
):
    aspirant, missing = build_office()
    make_user(Role.OPL_ADMIN, username="admin-opl", password=PASSWORD)

    log_in(page, live_server, "admin-opl")
    page.goto(f"{live_server.url}/resultados/")
    expect(page.get_by_text("Aún no se ha ejecutado la compulsa de este cargo")).to_be_visible()
    page.get_by_role("button", name="Ejecutar compulsa").click()
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress.get_by_text("Terminada")).to_be_visible()
    expect(page.locator("[data-count=supports]")).to_have_text("7")
    expect(page.locator("[data-count=meet]")).to_have_text("1")

    page.get_by_role("link", name="Ver resultados").click()
    expect(page.get_by_role("heading", name="Compulsa vigente")).to_be_visible()
    page.get_by_role("link", name=aspirant.full_name).click()
    expect(page.get_by_role("heading", name=aspirant.full_name)).to_be_visible()
    dispersion = page.get_by_role("table", name="Dispersión por unidad")
    expect(dispersion.locator("tbody tr")).to_have_count(3)
    expect(dispersion.get_by_text("Hermosillo")).to_be_visible()
    chart = page.get_by_role("img", name="Apoyos válidos frente a requeridos por unidad")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(3)

    supports = page.get_by_role("table", name="Apoyos del aspirante")
    expect(supports.locator("tbody tr")).to_have_count(6)
    page.get_by_label("Motivo", exact=True).select_option("NO_ENCONTRADO")
    page.get_by_role("button", name="Filtrar").click()
    expect(supports.locator("tbody tr")).to_have_count(1)
    expect(supports.get_by_text(missing)).to_be_visible()
    expect(page.get_by_label("Motivo", exact=True)).to_have_value("NO_ENCONTRADO")
    page.screenshot(path=os.path.join(artifacts_dir, "resultados-opl.png"), full_page=True)

    page.get_by_role("button", name="Salir").click()
    log_in(page, live_server, aspirant.user.username)
    page.goto(f"{live_server.url}/resultados/portal/")
    expect(page.get_by_role("heading", name="Mis resultados preliminares")).to_be_visible()
    expect(page.locator("[data-count=valid]")).to_have_text("4")
    expect(page.locator("[data-count=required]")).to_have_text("4")
    expect(page.get_by_text("Cumple", exact=True).first).to_be_visible()
    mine = page.get_by_role("table", name="Mis apoyos")
    expect(mine.locator("tbody tr")).to_have_count(6)
    expect(mine.get_by_text("PEDRO")).to_have_count(0)
    expect(
        page.get_by_role("img", name="Apoyos válidos frente a requeridos por unidad")
    ).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "resultados-aspirante.png"), full_page=True)

"""The per-office results table at 1366 px: no sideways scrolling, names on two lines at most, the
motivos folded into one column that opens to show them."""

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
from apoyo.verification.services import run_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = [
    ("MARÍA GUADALUPE DEL ROSARIO", "FERNÁNDEZ DE LA GARZA", "VILLASEÑOR"),
    ("JOSÉ", "MUÑOZ", "GARCÍA"),
    ("ANA SOFÍA", "PEÑA", "IBÁÑEZ"),
    ("FRANCISCO JAVIER", "CASTAÑEDA", "ONTIVEROS"),
]


def build_office():
    make_sections()
    nominal_list({1: 2000, 2: 2000, 3: 4000, 900: 30000, 901: 10000})
    make_cut()
    office = make_office(
        name="Gubernatura",
        dispersion_unit="municipality",
        dispersion_min_units=2,
        dispersion_min_percent=1,
    )
    sections = [1, 3, 900, 2, 901]
    for i, (name, paternal, maternal) in enumerate(NAMES):
        aspirant = make_aspirant(
            office, name=name, paternal_surname=paternal, maternal_surname=maternal
        )
        for j in range(3 + i):
            key = elector_key()
            if j % 3:
                citizen(key, section=sections[j % len(sections)])
            support(aspirant, key, reference=f"F-{i}-{j}")
    run_check(office)
    return office


def test_the_results_table_fits_1366_px_with_names_on_two_lines_at_most(
    page, live_server, artifacts_dir
):
    office = build_office()
    make_user(Role.OPL_ADMIN, username="admin-opl", password=PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "admin-opl")
    page.goto(f"{live_server.url}/resultados/cargos/{office.pk}/")
    table = page.locator("table.results-table")
    expect(table.locator("tbody tr")).to_have_count(len(NAMES))

    wrap = page.locator(".table-wrap").filter(has=table)
    overflow = wrap.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"la tabla se desborda {overflow} px a 1366 px"
    lines = table.locator("th.aspirant-name a").evaluate_all(
        "links => links.map(a => a.getClientRects().length)"
    )
    assert max(lines) <= 2, lines

    first = table.locator("details.motives").first
    first.locator("summary").click()
    expect(first.get_by_role("link", name="No encontrado en el padrón")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "results-1366.png"), full_page=True)

"""Keyboard only, in the system Chromium: a capturista signs in and captures a cédula, and a revisor
decides in the mesa de control, pressing only Tab, Enter, the arrows, letters and the mesa's
shortcuts; every menu link, the help and the sign-out are reachable with Tab, each shows where the
focus is, and the skip link jumps to the content.

Locators here only check where the focus is or what the page shows: nothing is clicked or filled.
"""

import datetime
import os

import pytest
from playwright.sync_api import expect

from apoyo.accounts.models import Role
from apoyo.supports.models import Support
from apoyo.testing.browser import press_shortcut
from apoyo.testing.factories import PASSWORD, elector_key
from apoyo.testing.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "es-MX"}
FOCUSED = "el => el === document.activeElement"


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


def tab_to(page, target, limit=150):
    """Press Tab until `target` has the focus (the way a keyboard user gets anywhere)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate(FOCUSED):
            return
    raise AssertionError(f"{target} no se alcanza con Tab")


def keyboard_log_in(page, live_server, username):
    page.goto(f"{live_server.url}/entrar/")
    tab_to(page, page.get_by_label("Usuario"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Contraseña")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Salir")).to_be_visible()


def follow_link(page, name):
    tab_to(page, page.get_by_role("link", name=name, exact=True))
    page.keyboard.press("Enter")


def choose(page, field_id, option):
    """Pick an option of a select by typing its first word (type-ahead), as a keyboard user does
    (a space would open the list instead)."""
    field = page.locator(f"#{field_id}")
    # A list filled after the previous choice (the aspirants of an office) must be there first,
    # as a person waits to see it.
    expect(field.locator("option", has_text=option)).to_have_count(1)
    tab_to(page, field)
    page.keyboard.type(option.split()[0])
    expect(field.locator("option:checked")).to_have_text(option)


def unambiguous_date(office):
    """A day of the office's collection period whose day and month are the same number: a date
    field takes its digits in the browser's own order (day or month first), and this one reads
    the same either way. The world's period spans 61 days, so one always falls inside."""
    day = office.collection_start
    while day.day != day.month:
        day += datetime.timedelta(days=1)
    assert day <= office.collection_end
    return day


def type_fields(page, *values):
    """Type each value in the focused field, moving on with Tab; the last ends with Enter."""
    for number, value in enumerate(values):
        page.keyboard.type(value)
        page.keyboard.press("Enter" if number == len(values) - 1 else "Tab")


def test_a_capturista_captures_a_cedula_with_the_keyboard_only(keyboard_page, live_server):
    page = keyboard_page
    world = build_world()
    place = world.home
    aspirant = place.aspirants[0].aspirant
    keyboard_log_in(page, live_server, place.capturist.username)
    follow_link(page, "Captura")
    expect(page.get_by_role("heading", name="Captura manual de cédulas")).to_be_visible()
    choose(page, "id_process", str(place.process))
    choose(page, "id_office", str(place.office))
    choose(page, "id_aspirant", str(aspirant))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Número de referencia")).to_be_focused()
    page.keyboard.type("TECLADO-1")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Fecha de la cédula")).to_be_focused()
    page.keyboard.type(unambiguous_date(place.office).strftime("%d%m%Y"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cédula TECLADO-1")).to_be_visible()

    # The cursor waits in the first field; Tab moves on, Enter saves and comes back for the next.
    expect(page.get_by_label("Nombre(s)")).to_be_focused()
    key = elector_key(940_001)
    type_fields(page, "ROSA", "LUNA", "PAZ", key, "1234567890123")
    expect(page.get_by_text("guardado en la cédula TECLADO-1")).to_be_visible()
    expect(page.get_by_label("Nombre(s)")).to_be_focused()
    assert Support.objects.filter(aspirant=aspirant, elector_key=key).exists()


def test_a_revisor_decides_in_the_mesa_de_control_with_the_keyboard_only(
    keyboard_page, live_server, artifacts_dir
):
    page = keyboard_page
    world = build_world()
    keyboard_log_in(page, live_server, world.home.reviewer.username)
    follow_link(page, "Mesa de control")
    expect(page.get_by_role("heading", name="Mesa de control")).to_be_visible()
    follow_link(page, "Comenzar revisión")
    heading = page.get_by_role("heading", name="Revisión del apoyo")
    expect(heading).to_be_visible()
    first = heading.inner_text().split()[-1]

    press_shortcut(page, "a")
    expect(page.get_by_text(f"Apoyo {first} aceptado.")).to_be_visible()
    second = heading.inner_text().split()[-1]
    assert second != first

    # R goes to the type, type-ahead picks it, Tab reaches the comment and Enter records it.
    press_shortcut(page, "r")
    expect(page.get_by_label("Tipo de inconsistencia")).to_be_focused()
    page.keyboard.type("ILEG")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Comentario")).to_be_focused()
    page.keyboard.type("No se lee la clave")
    page.keyboard.press("Enter")
    expect(heading).not_to_contain_text(second)
    page.screenshot(path=os.path.join(artifacts_dir, "mesa-teclado.png"), full_page=True)
    decided = Support.objects.filter(elector_key__in=[first, second])
    assert {support.inconsistency_id is None for support in decided} == {True, False}


@pytest.mark.parametrize("role", [Role.OPL_ADMIN, Role.ASPIRANT, Role.INE_UTVOPL])
def test_every_menu_link_and_the_help_are_reachable_and_show_the_focus(
    role, keyboard_page, live_server, artifacts_dir
):
    page = keyboard_page
    world = build_world()
    user = {
        Role.OPL_ADMIN: world.home.admin,
        Role.ASPIRANT: world.aspirant.user,
        Role.INE_UTVOPL: world.utvopl,
    }[role]
    keyboard_log_in(page, live_server, user.username)

    # The skip link comes first, shows itself when focused and takes the focus to the content.
    page.goto(f"{live_server.url}/cuenta/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenido"

    page.goto(f"{live_server.url}/cuenta/")
    menu = page.get_by_role("navigation", name="Principal").get_by_role("link")
    targets = [menu.nth(n) for n in range(menu.count())]
    targets += [page.get_by_role("link", name="Avisos"), page.get_by_role("button", name="Salir")]
    targets.append(page.locator("details.how summary"))
    for target in targets:
        tab_to(page, target)
        outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none", f"{target} no muestra el foco"

    # The help folds open from the keyboard; it sits beside the heading, or above it on a phone.
    expect(page.locator("details.how")).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(page.locator("details.how .how-text")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, f"ayuda-pagina-{role}.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(artifacts_dir, f"ayuda-pagina-{role}-telefono.png"))
    follow_link(page, "Ayuda")
    expect(page.get_by_role("heading", name=f"Guía de {role.label}")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, f"ayuda-{role}-telefono.png"), full_page=True)

"""Desconocimientos ciudadanos: the administrators' list and each report, scoped to their entity,
the contact read one report at a time and logged; the consulta's entries in the bitácora page."""

import pytest

from apoyo.accounts.models import AccessLog, Role
from apoyo.citizens.lookup import key_digest
from apoyo.citizens.models import CitizenReport, ContactKind
from apoyo.citizens.tests.conftest import KEY, look_up
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(accepted):
    return CitizenReport.objects.create(
        support=accepted,
        contact="6621234567",
        contact_kind=ContactKind.PHONE,
        statement="Nunca firmé una cédula.",
    )


def test_the_administrator_lists_the_entitys_reports_without_contacts(client, admin, report):
    client.force_login(admin)

    response = client.get("/consulta-ciudadana/desconocimientos/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"N.º {report.pk}" in page and "MARIA SOTO RUIZ" in page
    assert "Aceptado (preliminar)" in page  # where the support stands
    assert "6621234567" not in page and "Nunca firmé" not in page
    assert AccessLog.objects.filter(action="listar", object_type="desconocimientos ciudadanos")


def test_reading_a_report_shows_the_contact_and_is_logged(client, admin, report):
    client.force_login(admin)

    page = client.get(f"/consulta-ciudadana/desconocimientos/{report.pk}/").content.decode()

    assert "6621234567" in page and "Nunca firmé una cédula." in page
    entry = AccessLog.objects.get(action="ver", object_type="desconocimiento ciudadano")
    assert (entry.user, entry.object_id) == (admin, str(report.pk))


def test_another_entitys_administrator_and_a_revisor_cannot_read_it(client, report):
    client.force_login(make_user(Role.OPL_ADMIN, state_number=14))
    assert client.get(f"/consulta-ciudadana/desconocimientos/{report.pk}/").status_code == 404
    assert "N.º" not in client.get("/consulta-ciudadana/desconocimientos/").content.decode()

    client.force_login(make_user(Role.OPL_REVIEWER))
    assert client.get(f"/consulta-ciudadana/desconocimientos/{report.pk}/").status_code == 403


def test_the_administration_page_links_the_list(client, admin):
    client.force_login(admin)

    page = client.get("/administracion/").content.decode()

    assert "/consulta-ciudadana/desconocimientos/" in page


def test_the_bitacora_page_shows_the_consultas_to_the_administrator(client, admin):
    look_up(client)
    client.force_login(admin)

    page = client.get("/administracion/bitacora/?action=consulta+ciudadana").content.decode()

    assert key_digest(KEY)[:32] in page

"""The retention page in Administración (OPL administrators of the entity only) and the process's
retention fields in its form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import Role
from apoyo.processes.models import Process
from apoyo.retention import services
from apoyo.retention.tests.scenario import build_ended
from apoyo.testing.factories import (
    elector_key,
    make_aspirant,
    make_office,
    make_process,
    make_user,
    support,
)
from apoyo.verification.tests.hearing_data import opl

pytestmark = pytest.mark.django_db
URL = reverse("retention:index")


def process_with_supports(state_number=26, **fields):
    process = make_process(state_number=state_number, **fields)
    aspirant = make_aspirant(make_office(process=process))
    for _ in range(3):
        support(aspirant, elector_key())
    return process


def test_the_admin_sees_each_process_of_the_entity_with_its_purge_date_and_counts(client):
    final = datetime.date(2030, 1, 15)
    own = process_with_supports(code="SON-2030", rulings_final_on=final, retention_days=90)
    waiting = process_with_supports(code="SON-2031")
    process_with_supports(state_number=2, code="BC-2030")
    opl(client)
    page = client.get(URL).content.decode()
    assert own.code in page and waiting.code in page and "BC-2030" not in page
    assert "15/01/2030" in page and "15/04/2030" in page and "Programada" in page
    assert "En espera de dictámenes firmes" in page
    assert (
        "Apoyos (nombre, OCR, CIC, comentarios; la clave se sustituye por su huella): <strong>3"
        in page
    )


@pytest.mark.parametrize(
    "role", [Role.OPL_REVIEWER, Role.OPL_CAPTURIST, Role.ASPIRANT, Role.INE_DERFE]
)
def test_other_roles_are_refused(client, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


def test_administracion_links_to_it(client):
    opl(client)
    assert URL in client.get(reverse("processes:index")).content.decode()


def test_past_purges_are_listed_with_what_went_and_the_dictamenes_verified(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    ended = build_ended(monkeypatch, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.purge_personal_data(ended.process, user=ended.admin)
    client.force_login(ended.admin)
    page = client.get(URL).content.decode()
    assert "Suprimidos" in page and ended.admin.username in page
    assert "Escaneos de cédulas: 1" in page
    assert f"N.º {ended.ruling.pk} ({ended.h.office.code})" in page
    opl(client, state_number=2)
    assert ended.admin.username not in client.get(URL).content.decode()


def form_data(process, **changes):
    data = {
        "code": process.code,
        "name": process.name,
        "roll_cut_date": "2020-08-31",
        "legal_basis": "",
        "rulings_final_on": "",
        "retention_days": "365",
    }
    return data | changes


def test_the_process_form_keeps_the_final_date_and_the_retention_days(client):
    process = make_process()
    opl(client)
    url = reverse("processes:process_update", args=[process.pk])
    assert 'name="retention_days"' in client.get(url).content.decode()
    client.post(url, form_data(process, rulings_final_on="2021-07-01", retention_days="180"))
    process.refresh_from_db()
    assert (process.rulings_final_on, process.retention_days) == (datetime.date(2021, 7, 1), 180)
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, form_data(process, rulings_final_on=future))
    assert response.status_code == 400
    assert "no pueden quedar firmes en una fecha futura" in response.content.decode()


def test_after_a_purge_its_dates_can_no_longer_change(client):
    process = make_process(rulings_final_on=datetime.date(2021, 7, 1), retention_days=30)
    Process.objects.filter(pk=process.pk).update(personal_data_purged_at=timezone.now())
    opl(client)
    url = reverse("processes:process_update", args=[process.pk])
    client.post(url, form_data(process, rulings_final_on="2022-01-01", retention_days="5"))
    process.refresh_from_db()
    assert (process.rulings_final_on, process.retention_days) == (datetime.date(2021, 7, 1), 30)

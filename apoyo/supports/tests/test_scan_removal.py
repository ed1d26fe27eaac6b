"""An aspirant removes a scan uploaded by mistake while no row of its cédula is decided."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.supports.models import CedulaScan
from apoyo.supports.scans import add_scan
from apoyo.supports.services import remove_own_scan, withdraw_own_precapture
from apoyo.testing.factories import make_aspirant, make_office, make_user, precaptured
from apoyo.testing.files import PDF, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(make_office(), with_user=True)


def scanned(aspirant, numbers=(1,), name="cedula.pdf", data=PDF):
    supports = precaptured(aspirant, list(numbers))
    cedula = supports[0].cedula
    return supports, add_scan(aspirant.user, cedula, uploaded(name, data))


def test_the_uploader_removes_a_scan_and_its_file_while_the_rows_are_undecided(
    aspirant, django_capture_on_commit_callbacks
):
    _, scan = scanned(aspirant)
    storage, name = scan.file.storage, scan.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert remove_own_scan(aspirant.user, scan) == []

    assert not CedulaScan.objects.filter(pk=scan.pk).exists()
    assert not storage.exists(name)


def test_a_withdrawn_row_does_not_hold_the_scan(aspirant):
    (support,), scan = scanned(aspirant)
    withdraw_own_precapture(aspirant.user, support, "Fila repetida")
    assert remove_own_scan(aspirant.user, scan) == []


def test_once_the_mesa_de_control_decided_a_row_the_scan_stays(aspirant):
    (first, _), scan = scanned(aspirant, numbers=(1, 2))
    review.accept_support(make_user(Role.OPL_REVIEWER), first)

    errors = remove_own_scan(aspirant.user, scan)

    assert "ya revisó filas de esta cédula" in errors[0].message
    assert CedulaScan.objects.filter(pk=scan.pk).exists()


def test_only_the_uploader_removes_a_scan(aspirant):
    _, scan = scanned(aspirant)
    other = make_user(Role.ASPIRANT)
    assert "usted cargó" in remove_own_scan(other, scan)[0].message
    assert CedulaScan.objects.filter(pk=scan.pk).exists()


def test_the_cedula_page_offers_removal_logs_it_and_refuses_other_aspirants(client, aspirant):
    (support,), scan = scanned(aspirant)
    page = reverse("supports:precapture_cedula", args=[support.cedula_id])
    url = reverse("supports:precapture_scan_remove", args=[support.cedula_id, scan.pk])

    other = make_aspirant(aspirant.office, with_user=True)
    client.force_login(other.user)
    assert client.post(url).status_code == 404
    client.force_login(make_user(Role.OPL_ADMIN))
    assert client.post(url).status_code == 403
    assert CedulaScan.objects.filter(pk=scan.pk).exists()

    client.force_login(aspirant.user)
    assert "Quitar el escaneo cedula.pdf" in client.get(page).content.decode()
    response = client.post(url, follow=True)
    assert "Escaneo «cedula.pdf» quitado" in response.content.decode()
    assert not CedulaScan.objects.filter(pk=scan.pk).exists()
    assert AccessLog.objects.filter(action="quitar", object_id=str(scan.pk)).exists()


def test_the_page_explains_why_a_reviewed_cedula_keeps_its_scans(client, aspirant):
    (support,), scan = scanned(aspirant)
    review.accept_support(make_user(Role.OPL_REVIEWER), support)
    client.force_login(aspirant.user)
    page = client.get(reverse("supports:precapture_cedula", args=[support.cedula_id]))
    html = page.content.decode()
    assert "Quitar el escaneo" not in html and "quedan como constancia" in html
    url = reverse("supports:precapture_scan_remove", args=[support.cedula_id, scan.pk])
    assert "ya revisó filas" in client.post(url, follow=True).content.decode()
    assert CedulaScan.objects.filter(pk=scan.pk).exists()

"""Cédula scans: judged by their content (renamed files included), bounded in size, kept under a
private path and served only to the OPL of the entity and the owning aspirant."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.supports.models import CedulaScan, ScanKind
from apoyo.supports.scans import add_scan
from apoyo.supports.services import open_cedula
from apoyo.testing.factories import (
    PERIOD_START,
    make_aspirant,
    make_office,
    make_process,
    make_user,
)
from apoyo.testing.files import EXECUTABLE, HTML, JPEG, PDF, png, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(with_user=True)


@pytest.fixture
def cedula(aspirant):
    cedula, _ = open_cedula(aspirant.user, aspirant, "P-1", PERIOD_START)
    return cedula


def post_scans(client, cedula, *files):
    return client.post(reverse("supports:precapture_scans", args=[cedula.pk]), {"scans": files})


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("cedula.jpg", PDF, ScanKind.PDF),
        ("cedula.pdf", png(), ScanKind.PNG),
        ("cedula.png", JPEG, ScanKind.JPEG),
        ("cedula", PDF, ScanKind.PDF),
    ],
)
def test_a_renamed_scan_is_stored_as_what_its_bytes_are(aspirant, cedula, name, data, kind):
    scan = add_scan(aspirant.user, cedula, uploaded(name, data, "image/jpeg"))
    assert scan.kind == kind
    assert scan.original_name == name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cedula.pdf", EXECUTABLE, "no es de un tipo reconocido"),
        ("cedula.png", HTML, "no es de un tipo reconocido"),
        ("cedula.jpg", b"", "está vacío"),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_whatever_its_name(
    aspirant, cedula, name, data, message
):
    with pytest.raises(ValidationError, match=message):
        add_scan(aspirant.user, cedula, uploaded(name, data, "application/pdf"))
    assert not CedulaScan.objects.exists()


def test_a_renamed_executable_is_refused_on_the_page_and_nothing_is_stored(
    client, aspirant, cedula
):
    client.force_login(aspirant.user)
    response = post_scans(client, cedula, uploaded("cedula.pdf", EXECUTABLE, "application/pdf"))
    assert response.status_code == 400
    assert "no es de un tipo reconocido por su contenido" in response.content.decode()
    assert not CedulaScan.objects.exists()


def test_one_bad_file_among_several_refuses_the_whole_batch(client, aspirant, cedula):
    client.force_login(aspirant.user)
    response = post_scans(
        client, cedula, uploaded("a.pdf", PDF), uploaded("b.png", HTML), uploaded("c.png", png())
    )
    assert response.status_code == 400
    assert "«b.png»" in response.content.decode()
    assert not CedulaScan.objects.exists()


def test_the_size_limit_is_a_setting(settings, aspirant, cedula):
    settings.APOYO_SCAN_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="el máximo es 100"):
        add_scan(aspirant.user, cedula, uploaded("a.pdf", PDF + b" " * 100))
    assert add_scan(aspirant.user, cedula, uploaded("b.png", png(2, 2)))


def test_default_scan_limit_is_ten_megabytes(monkeypatch):
    monkeypatch.delenv("APOYO_SCAN_MAX_BYTES", raising=False)
    from apoyo import settings as project_settings

    assert project_settings.env_int("APOYO_SCAN_MAX_BYTES", 10 * 1024 * 1024) == 10 * 1024 * 1024
    assert project_settings.APOYO_SCAN_MAX_BYTES == 10 * 1024 * 1024


def test_the_same_file_is_not_stored_twice_on_a_cedula(client, aspirant, cedula):
    client.force_login(aspirant.user)
    post_scans(client, cedula, uploaded("a.pdf", PDF))
    response = post_scans(client, cedula, uploaded("otra-vez.pdf", PDF))
    assert response.status_code == 302
    assert CedulaScan.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "ya está cargado en la cédula P-1" in page


def test_a_scan_is_kept_under_a_private_random_path_with_size_and_hash(
    client, aspirant, cedula, settings
):
    scan = add_scan(aspirant.user, cedula, uploaded("GARCIA LOPEZ JUAN.pdf", PDF))
    assert scan.file.name.startswith(f"scans/{aspirant.pk}/") and scan.file.name.endswith(".pdf")
    assert "GARCIA" not in scan.file.name
    assert scan.size == len(PDF) and len(scan.sha256) == 64
    assert scan.uploaded_by == aspirant.user
    assert str(settings.MEDIA_ROOT) in scan.file.path
    # No public route reaches the stored file, not even for its owner.
    client.force_login(aspirant.user)
    for path in (f"/{scan.file.name}", f"/media/{scan.file.name}", f"/static/{scan.file.name}"):
        assert client.get(path).status_code == 404


def test_scan_is_served_to_the_opl_of_its_entity_and_to_its_aspirant_only(client, aspirant, cedula):
    scan = add_scan(aspirant.user, cedula, uploaded("cedula.pdf", PDF))
    url = reverse("supports:scan", args=[scan.pk])
    for user in (aspirant.user, make_user(Role.OPL_REVIEWER), make_user(Role.OPL_CAPTURIST)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        # The review page embeds it; other sites cannot frame it; no cache keeps it.
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "no-store" in response["Cache-Control"]
    assert (
        AccessLog.objects.filter(object_type="escaneo de cédula", object_id=str(scan.pk)).count()
        == 3
    )

    client.force_login(make_aspirant(aspirant.office, with_user=True).user)
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.OPL_REVIEWER, state_number=14))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.INE_DERFE))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_scans_are_scoped_like_their_cedula(aspirant, cedula):
    add_scan(aspirant.user, cedula, uploaded("a.pdf", PDF))
    jalisco = make_aspirant(make_office(make_process(state_number=14)), with_user=True)
    other, _ = open_cedula(jalisco.user, jalisco, "J-1", PERIOD_START)
    add_scan(jalisco.user, other, uploaded("j.pdf", PDF))
    sonora = CedulaScan.objects.visible_to(make_user(Role.OPL_REVIEWER))
    assert [scan.cedula for scan in sonora] == [cedula]
    assert [scan.cedula for scan in CedulaScan.objects.visible_to(jalisco.user)] == [other]

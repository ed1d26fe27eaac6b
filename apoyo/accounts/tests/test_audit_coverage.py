"""Every read of personal data reaches the bitácora: one test per path that used to escape it
(the cédula capture page, the correction and withdrawal pages, uploads and their live partials,
SIVOPLE attachments and exports, the lists of people, the aspirant's upload pages, and every
export made from the command line)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from apoyo.accounts.audit import CLI_USER
from apoyo.accounts.models import AccessLog, Role
from apoyo.liaison.tests.helpers import World
from apoyo.supports.models import Channel
from apoyo.supports.services import capture_support, open_cedula
from apoyo.testing.factories import (
    PERIOD_START,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    make_user,
    nominal_list,
    row,
)
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


def logged(**fields):
    return AccessLog.objects.filter(**fields).exists()


@pytest.fixture
def capturist(client):
    user = make_user(Role.OPL_CAPTURIST)
    client.force_login(user)
    return user


@pytest.fixture
def cedula(capturist):
    cedula, _ = open_cedula(capturist, make_aspirant(), "F-1", PERIOD_START)
    capture_support(capturist, cedula, row(1))
    return cedula


def finished_upload(user, aspirant, tmp_path, channel=Channel.BULK):
    rows = [good_row(1), ["F-9", "JUAN", "", "", "MAL", "1", "", "", ""]]
    path = write_csv(tmp_path / "carga.csv", rows)
    with open(path, "rb") as source:
        upload = register_upload(user, aspirant, source, path.name, channel=channel)
    return run_upload(upload)


def test_the_cedula_capture_page_is_logged(client, capturist, cedula):
    client.get(reverse("supports:cedula", args=[cedula.pk]))
    assert logged(user=capturist, object_type="cédula", object_id=str(cedula.pk))


@pytest.mark.parametrize("page", ["supports:correct", "supports:withdraw"])
def test_opening_the_correction_or_withdrawal_page_is_logged(client, capturist, cedula, page):
    support = cedula.supports.get()
    client.get(reverse(page, args=[support.pk]))
    assert logged(user=capturist, object_type="apoyo", object_id=str(support.pk))


def test_an_upload_page_and_its_live_partial_showing_rejected_rows_are_logged(
    client, capturist, tmp_path
):
    upload = finished_upload(capturist, make_aspirant(), tmp_path)
    client.get(reverse("uploads:detail", args=[upload.pk]))
    client.get(reverse("uploads:detail", args=[upload.pk]), HTTP_HX_REQUEST="true")
    entries = AccessLog.objects.filter(object_type="filas de una carga", object_id=str(upload.pk))
    assert entries.count() == 2


def test_the_aspirants_upload_pages_are_logged(client, tmp_path):
    aspirant = make_aspirant(with_user=True)
    upload = finished_upload(aspirant.user, aspirant, tmp_path, channel=Channel.ASPIRANT)
    client.force_login(aspirant.user)
    client.get(reverse("uploads:aspirant_list"))
    client.get(reverse("uploads:aspirant_detail", args=[upload.pk]))
    assert logged(user=aspirant.user, object_type="cargas propias")
    assert logged(user=aspirant.user, object_type="filas de una carga")


def test_a_sivople_attachment_download_and_the_export_are_logged(client):
    world = World()
    document = SimpleUploadedFile("oficio.pdf", b"%PDF-1.4\ncontenido\n%%EOF\n", "application/pdf")
    consultation = world.register(files=[document])
    attachment = consultation.attachments.get()
    client.force_login(world.opl)
    assert client.get(reverse("liaison:attachment", args=[attachment.pk])).status_code == 200
    client.get(reverse("liaison:export", args=["csv"]))
    assert logged(user=world.opl, object_type="anexo SIVOPLE", object_id=str(attachment.pk))
    assert logged(user=world.opl, action="exportar", object_type="consultas SIVOPLE")


@pytest.mark.parametrize(
    ("page", "object_type"),
    [
        ("user_list", "personal del OPL"),
        ("account_list", "cuentas de aspirantes y auxiliares"),
        ("aspirants:list", "aspirantes"),
    ],
)
def test_the_lists_of_people_are_logged(client, page, object_type):
    admin = make_user(Role.OPL_ADMIN)
    client.force_login(admin)
    assert client.get(reverse(page)).status_code == 200
    assert logged(user=admin, action="listar", object_type=object_type)


def test_every_export_from_the_command_line_is_logged(tmp_path):
    make_sections()
    make_cut()
    nominal_list({1: 100, 2: 100, 3: 100, 900: 100, 901: 100})
    office = make_office(code="GOB")
    aspirant = make_aspirant(office, code="A-01")
    write_csv(
        tmp_path / "carga.csv", [good_row(1), ["F-9", "JUAN", "", "", "MAL", "1", "", "", ""]]
    )
    call_command(
        "upload_supports",
        "--aspirant",
        "A-01",
        str(tmp_path / "carga.csv"),
        "--errors",
        str(tmp_path / "errores.csv"),
    )
    call_command("export_for_ine", "--office", "GOB", str(tmp_path / "para_ine.csv"))
    call_command("export_results", "--office", "GOB", "--out", str(tmp_path / "resultados"))
    exports = AccessLog.objects.filter(action="exportar", username__startswith=CLI_USER)
    assert set(exports.values_list("object_type", flat=True)) == {
        "reporte de carga",
        "apoyos para el INE",
        "resultados",
    }
    assert aspirant.supports.count() == 1

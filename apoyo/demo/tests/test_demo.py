import os
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant
from apoyo.demo.services import DEMO_PASSWORD, DEMO_USERS, load_demo
from apoyo.geo.models import Section
from apoyo.processes.models import Office
from apoyo.review.queue import next_confirmation, review_queue
from apoyo.supports.models import Cedula, CedulaScan, Channel, Status, Support
from apoyo.testing.files import PDF, uploaded
from apoyo.verification.models import AspirantResult

pytestmark = pytest.mark.django_db


def test_demo_loads_sonora_the_process_a_user_per_role_and_supports():
    load_demo(supports_per_aspirant=20)
    assert Section.objects.filter(state=26).count() == 1533
    offices = {"GOB", "AYTO-49", "DL-18", "AYTO-18"}
    assert set(Office.objects.values_list("code", flat=True)) == offices
    assert Aspirant.objects.count() == 5
    assert Aspirant.objects.filter(user__role=Role.ASPIRANT).count() == 5
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Support.objects.exclude(channel=Channel.ASPIRANT).count() == 100
    assert Support.objects.filter(status=Status.WITHDRAWN).count() == 3
    # The synthetic roll and Sonora's real Lista Nominal give every office a published result.
    results = AspirantResult.objects.select_related("run__office")
    assert results.count() == 5
    gob = results.filter(run__office__code="GOB").first()
    assert gob.nominal_list == 2104809 and gob.required == 63145
    assert all(r.valid > 0 for r in results)
    assert not Cedula.objects.filter(date__gt=timezone.localdate()).exists()


def test_demo_fills_the_mesa_de_control_with_the_aspirants_precapture():
    load_demo(supports_per_aspirant=0)
    precaptured = Support.objects.filter(channel=Channel.ASPIRANT)
    assert precaptured.count() == 20
    assert set(precaptured.values_list("aspirant__code", flat=True)) == {"A-01", "A-03"}
    assert set(precaptured.values_list("status", flat=True)) == {Status.PENDING_REVIEW}
    # Each cédula was registered by the aspirant's account with its scan, a PDF with its folio.
    scans = CedulaScan.objects.select_related("cedula__aspirant", "uploaded_by")
    assert scans.count() == 6
    for scan in scans:
        assert scan.uploaded_by == scan.cedula.aspirant.user == scan.cedula.created_by
        with scan.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    # One SIMULACION rejection waits for a second revisor; the rest wait in the queue.
    second = User.objects.get(username="opl.revision2")
    assert review_queue(second).count() == 19
    proposal = next_confirmation(second)
    assert proposal.inconsistency.code == "SIMULACION"
    assert proposal.reviewer.username == "opl.revision"
    assert next_confirmation(proposal.reviewer) is None


def test_load_demo_if_empty_leaves_an_existing_database_alone(capsys):
    User.objects.create(username="existente", role=Role.OPL_ADMIN)
    call_command("load_demo", "--if-empty")
    assert "ya tiene datos" in capsys.readouterr().out
    assert not Aspirant.objects.exists()


def test_demo_users_prints_every_role_and_the_password(capsys):
    load_demo(supports_per_aspirant=0)
    call_command("demo_users")
    out = capsys.readouterr().out
    assert "Sonora.Demo.2021" in out
    assert "opl.captura" in out and "ine.derfe" in out
    assert "opl.revision2" in out


def test_demo_auxiliary_can_capture_with_the_app_today(client):
    load_demo(supports_per_aspirant=0)
    response = client.post(
        "/api/v1/session/",
        {"username": "auxiliar.a05", "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    profile = client.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert profile["aspirant"]["code"] == "A-05"
    today = timezone.localdate().isoformat()
    assert profile["period"]["start"] < today < profile["period"]["end"]


def test_the_box_lists_every_demo_user_with_what_to_try_and_where_the_mails_go(
    capsys, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "correos"
    load_demo(supports_per_aspirant=0)
    call_command("demo_users", url="http://127.0.0.1:8123/")
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0].startswith("┌") and lines[-1].startswith("└")
    assert len({len(line) for line in lines}) == 1  # a closed box, every line as wide
    box = "\n".join(lines)
    assert "Apoyo en http://127.0.0.1:8123/" in box and DEMO_PASSWORD in box
    for username, *_ in DEMO_USERS:
        assert f"│ {username} " in box
    # The aspirants of 2020-2021 see their period; A-05's office is open today.
    gob = Office.objects.get(code="GOB")
    assert f"del {gob.collection_start:%d/%m/%Y} al {gob.collection_end:%d/%m/%Y}" in box
    assert "aspirante.a05   Pre-captura con la fecha de hoy (AYTO-18" in box
    assert f"Correos enviados: {tmp_path / 'correos'}/" in box
    assert len(list((tmp_path / "correos").iterdir())) > 0  # the demo's e-mails, as files


def test_the_box_says_so_when_the_database_has_no_demo_users(capsys):
    call_command("demo_users", url="http://127.0.0.1:8000/")
    out = capsys.readouterr().out
    assert "Apoyo en http://127.0.0.1:8000/" in out
    assert "No hay usuarios de demostración" in out and DEMO_PASSWORD not in out


def test_make_run_passes_the_port_to_the_demo_links_and_keeps_migrations_quiet(settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APOYO_", "MAKE"))}
    result = subprocess.run(  # noqa: S603 - a fixed command, dry run (-n): nothing is executed
        ["make", "-n", "run", "PORT=8102"],  # noqa: S607
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = result.stdout.splitlines()
    assert any("migrate --no-input -v 0" in line for line in commands)
    for step in ("load_demo --if-empty", "serve.sh 8102"):
        (line,) = [line for line in commands if step in line]
        assert "APOYO_BASE_URL=http://127.0.0.1:8102 " in line
        assert "APOYO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend" in line


def test_demo_links_in_mails_follow_the_base_url(settings, mailoutbox):
    settings.APOYO_BASE_URL = "http://127.0.0.1:8102"
    load_demo(supports_per_aspirant=0)
    links = [m.body for m in mailoutbox if "http://" in m.body]
    assert links and all("http://127.0.0.1:8102/" in body for body in links)
    assert not any(":8000" in body for body in links)


def test_demo_has_an_office_open_today_where_an_aspirant_precaptures_with_today(client):
    load_demo(supports_per_aspirant=0)
    today = timezone.localdate()
    open_today = [o for o in Office.objects.all() if o.in_collection_period(today)]
    assert [o.code for o in open_today] == ["AYTO-18"]
    client.force_login(User.objects.get(username="aspirante.a05"))
    url = reverse("supports:precapture_cedulas")
    office = open_today[0]
    period = f"Periodo de obtención: del {office.collection_start:%d/%m/%Y} al"
    assert period in client.get(url).content.decode()
    response = client.post(
        url,
        {"reference": "A-05-P001", "date": today.isoformat(), "scans": [uploaded("c.pdf", PDF)]},
    )
    assert response.status_code == 302
    assert Cedula.objects.get(reference="A-05-P001").date == today

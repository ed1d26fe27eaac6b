import pytest
from django.core.management import call_command
from django.utils import timezone

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant
from apoyo.demo.services import DEMO_PASSWORD, load_demo
from apoyo.geo.models import Section
from apoyo.processes.models import Office
from apoyo.review.queue import next_confirmation, review_queue
from apoyo.supports.models import Cedula, CedulaScan, Channel, Status, Support
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

"""The web side of the faults: a save killed between writing its files and committing its rows
leaves no row and only unreachable files, which clean_orphan_files removes once they are older
than the grace period; a cédula row's save killed before its commit leaves no row and no file,
and the same row then saves as if it had never been tried; an app capture killed before its
commit leaves no support and only its photos' files, and the phone's resend stores it whole; the
database unreachable answers a Spanish 503 with Retry-After (pages, saves, the API), stores
nothing, and the next request after it comes back succeeds (a burst through a live server:
test_faults_database_restart.py)."""

import io
import os
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse
from reportlab.pdfgen import canvas

from apoyo.accounts.models import AccessLog, Role
from apoyo.core.unavailable import RETRY_AFTER_SECONDS
from apoyo.operations.manifest import data_files
from apoyo.operations.orphans import referenced_names
from apoyo.supports.models import (
    CedulaScan,
    CedulaScanPage,
    Support,
    SupportChange,
    SupportImage,
)
from apoyo.supports.scans import add_scan
from apoyo.supports.services import REPEATED_KEY_WARNING, capture_support, open_cedula
from apoyo.testing.capture_app import capture, make_auxiliary, send, token_for
from apoyo.testing.factories import PERIOD_START, make_aspirant, make_user, require_postgresql
from apoyo.testing.factories import row as factory_row
from apoyo.testing.faults import SharedDatabase, kill_when_paused, start
from apoyo.testing.files import png, uploaded

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pdf(pages):
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=(612, 792))
    for number in range(1, pages + 1):
        document.drawString(72, 700, f"Página {number}")
        document.showPage()
    document.save()
    return buffer.getvalue()


def unnamed_files(settings):
    return sorted(set(data_files(settings.MEDIA_ROOT)) - referenced_names())


def test_a_scan_save_killed_before_its_commit_leaves_no_row_and_its_files_are_cleaned(
    settings, tmp_path, capsys
):
    aspirant = make_aspirant(with_user=True)
    cedula, _ = open_cedula(aspirant.user, aspirant, "P-1", PERIOD_START)
    kept = add_scan(aspirant.user, cedula, uploaded("frente.png", png()))
    kept_files = sorted([kept.file.name])
    path = tmp_path / "cedula.pdf"
    path.write_bytes(pdf(2))
    shared = SharedDatabase(tmp_path)
    shared.push()
    marker = tmp_path / "pausa-scan"
    options = ["--cedula", str(cedula.pk), "--file", str(path), "--pause-at", "scan"]
    kill_when_paused(start("scan", shared.env(), *options, "--marker", str(marker)), marker)
    shared.pull()

    assert list(CedulaScan.objects.filter(cedula=cedula)) == [kept]
    assert not CedulaScanPage.objects.exists()
    orphans = unnamed_files(settings)
    assert len(orphans) == 3  # the PDF and its two pages' images, which no row names

    call_command("clean_orphan_files")  # too young: a save may still be under way
    assert unnamed_files(settings) == orphans
    call_command("clean_orphan_files", dry_run=True, older_than_hours=0)
    assert "Se borrarían 3 archivos sin registro." in capsys.readouterr().out

    two_days_ago = time.time() - 2 * 24 * 3600
    for name in orphans:
        os.utime(settings.MEDIA_ROOT / name, (two_days_ago, two_days_ago))
    call_command("clean_orphan_files")
    assert unnamed_files(settings) == []
    assert sorted(data_files(settings.MEDIA_ROOT)) == kept_files
    assert AccessLog.objects.latest("id").action == "borrar"


def test_a_row_save_killed_before_its_commit_leaves_nothing_and_the_row_saves_again(
    settings, tmp_path
):
    capturist = make_user(Role.OPL_CAPTURIST)
    cedula, _ = open_cedula(capturist, make_aspirant(), "C-1", PERIOD_START)
    files = data_files(settings.MEDIA_ROOT)
    shared = SharedDatabase(tmp_path)
    shared.push()
    marker = tmp_path / "pausa-row"
    options = ["--cedula", str(cedula.pk), "--user", str(capturist.pk), "--number", "7"]
    unseen = []

    def while_paused():
        # PostgreSQL: the paused save's rows exist only in its open transaction.
        if not shared.is_sqlite:
            unseen.append(not Support.objects.filter(cedula=cedula).exists())

    process = start("row", shared.env(), *options, "--pause-at", "row", "--marker", str(marker))
    kill_when_paused(process, marker, while_paused=while_paused)
    shared.pull()

    assert unseen == ([] if shared.is_sqlite else [True])
    assert not Support.objects.filter(cedula=cedula).exists()
    assert not SupportChange.objects.exists()
    assert data_files(settings.MEDIA_ROOT) == files  # a row save writes no file
    # No trace of the killed save: the same clave is not "already captured in this cédula".
    again = capture_support(capturist, cedula, factory_row(7))
    assert again.errors == [] and REPEATED_KEY_WARNING not in again.warnings
    assert again.support.changes.count() == 1


def test_an_app_capture_killed_before_its_commit_leaves_no_support_and_the_resend_stores_it(
    settings, tmp_path, client, capsys
):
    auxiliary = make_auxiliary()
    client_uuid = str(uuid.uuid4())
    shared = SharedDatabase(tmp_path)
    shared.push()
    marker = tmp_path / "pausa-photos"
    options = ["--auxiliary", str(auxiliary.pk), "--number", "3", "--uuid", client_uuid]
    process = start(
        "photos", shared.env(), *options, "--pause-at", "photos", "--marker", str(marker)
    )
    kill_when_paused(process, marker)
    shared.pull()

    assert not Support.objects.exists() and not SupportImage.objects.exists()
    assert len(unnamed_files(settings)) == 4  # the four photos, which no row names
    call_command("clean_orphan_files", dry_run=True, older_than_hours=0)
    assert "Se borrarían 4 archivos sin registro." in capsys.readouterr().out
    # The phone, with no answer, sends the same capture again: stored once, whole.
    response = send(client, token_for(auxiliary), capture(3, uuid=client_uuid))
    assert response.status_code == 201
    support = Support.objects.get()
    assert str(support.client_uuid) == client_uuid
    kinds = SupportImage.objects.filter(support=support).values_list("kind", flat=True)
    assert sorted(kinds) == ["back", "front", "selfie", "signature"]
    assert len(unnamed_files(settings)) == 4  # the killed save's, left for the cleaner


# The database unreachable ---------------------------------------------------------------------


def unreachable(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def refusing_writes(execute, sql, params, many, context):
    """The database lost between a request's reads and its write."""
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
        raise OperationalError("terminating connection due to administrator command")
    return execute(sql, params, many, context)


@pytest.fixture
def capturist(client):
    user = make_user(Role.OPL_CAPTURIST)
    client.force_login(user)
    client.raise_request_exception = False  # answered as a server would, not raised in the test
    return user


@pytest.fixture
def cedula(capturist):
    cedula, _ = open_cedula(capturist, make_aspirant(), "C-1", PERIOD_START)
    return cedula


def save_row(client, cedula, n):
    values = factory_row(n, CLAVE_ELECTOR=f"GRLPJN85010126H{n:03d}")
    return client.post(reverse("supports:cedula", args=[cedula.pk]), values)


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    return response.content.decode()


def test_requests_during_an_outage_get_a_spanish_503_and_store_nothing_then_recover(client, cedula):
    page = reverse("supports:cedula", args=[cedula.pk])
    with connection.execute_wrapper(unreachable):
        for response in (
            client.get(page),
            save_row(client, cedula, 1),
            save_row(client, cedula, 2),
        ):
            assert "Servicio no disponible por un momento" in assert_unavailable(response)
        api = client.get("/api/v1/profile/", HTTP_AUTHORIZATION="Token abc")
        assert "no puede comunicarse con su base de datos" in assert_unavailable(api).lower()
        assert api.json()["errors"] == []
    assert not Support.objects.exists()

    assert save_row(client, cedula, 1).status_code == 302
    assert list(Support.objects.values_list("elector_key", flat=True)) == ["GRLPJN85010126H001"]


def test_a_save_whose_write_meets_the_outage_is_a_503_and_leaves_no_row(client, cedula):
    with connection.execute_wrapper(refusing_writes):
        assert_unavailable(save_row(client, cedula, 3))
    assert not Support.objects.exists()
    assert save_row(client, cedula, 3).status_code == 302
    assert Support.objects.count() == 1


def served(send, *args):
    """One request as the WSGI server handles it: Django drops a broken connection before and
    after each one (request_started and request_finished), which the test client skips."""
    close_old_connections()
    try:
        return send(*args)
    finally:
        close_old_connections()


@pytest.mark.postgres
def test_postgresql_ending_the_connection_then_refusing_new_ones_is_survived(client, cedula):
    """PostgreSQL going away for real: the server ends this connection (as a restart does) and
    refuses new ones for a while (its port closed); then it is back."""
    require_postgresql("El servidor termina la conexión con pg_terminate_backend.")
    assert save_row(client, cedula, 1).status_code == 302
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with connection._nodb_cursor() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = "9"  # nothing listens there: connection refused
    try:
        for n in (2, 3, 4):
            assert_unavailable(served(save_row, client, cedula, n))
    finally:
        connection.settings_dict["PORT"] = port
    assert served(save_row, client, cedula, 5).status_code == 302
    assert sorted(Support.objects.values_list("elector_key", flat=True)) == [
        "GRLPJN85010126H001",
        "GRLPJN85010126H005",
    ]

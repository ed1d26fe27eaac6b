"""The purge of a process's personal data (retention.services, purge_personal_data): a dry run
changes nothing, a real one deletes the files and empties the personal fields but keeps the
clave's hash, the outcomes and the counts, so the results and every dictamen still verify; it is
refused, with the reason, before its time."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import AccessLog, Notification, Role
from apoyo.citizens.models import CitizenReport
from apoyo.processes.models import Process
from apoyo.retention import services
from apoyo.retention.models import PurgeRecord
from apoyo.retention.targets import KINDS, counts, elector_key_hash
from apoyo.retention.tests.scenario import build_ended
from apoyo.retention.verify import ruling_problems
from apoyo.supports.models import (
    CedulaScan,
    CedulaScanPage,
    Review,
    Support,
    SupportChange,
    SupportImage,
    Upload,
    UploadIssue,
)
from apoyo.testing.factories import make_user
from apoyo.verification.models import (
    AspirantResult,
    HearingEvidence,
    HearingItem,
    HearingRequest,
    SupportResult,
)
from apoyo.verification.services import CheckError, run_check
from apoyo.verification.tests.hearing_data import opl

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(monkeypatch, django_capture_on_commit_callbacks):
    return build_ended(monkeypatch, django_capture_on_commit_callbacks)


@pytest.fixture
def due(ended):
    """The scenario's retention period ends today."""
    assert ended.purge_day == timezone.localdate()
    return ended


def stored_files():
    names = []
    for model in (CedulaScan, CedulaScanPage, SupportImage, HearingEvidence):
        names += [name for name in model.objects.values_list("file", flat=True) if name]
    return names + [name for name in Upload.objects.values_list("file", flat=True) if name]


def purge(ended, capture):
    with capture(execute=True):
        return services.purge_personal_data(ended.process, user=ended.admin)


def snapshot(ended):
    return {
        "supports": list(Support.objects.order_by("pk").values()),
        "files": stored_files(),
        "counts": counts(ended.process),
    }


def test_every_kind_of_personal_data_is_found_before_the_purge(ended):
    found = counts(ended.process)
    assert set(found) == set(KINDS)
    assert all(found[kind] > 0 for kind in KINDS), found
    assert found["supports"] == Support.objects.filter(aspirant__office=ended.h.office).count()


def test_a_dry_run_lists_what_would_go_and_changes_nothing(due):
    before = snapshot(due)
    out = StringIO()
    call_command("purge_personal_data", process=due.process.code, dry_run=True, stdout=out)
    text = out.getvalue()
    assert "Se suprimiría:" in text and "Escaneos de cédulas: 1" in text
    assert "Se puede suprimir" in text and "Simulación: no se cambió nada." in text
    assert snapshot(due) == before
    assert all(default_storage.exists(name) for name in before["files"])
    assert not PurgeRecord.objects.exists()


def test_the_purge_deletes_files_and_empties_personal_fields_keeping_the_hash(
    due, django_capture_on_commit_callbacks
):
    files = stored_files()
    keys = dict(Support.objects.values_list("pk", "elector_key"))
    planned = counts(due.process)
    record = purge(due, django_capture_on_commit_callbacks)
    assert files and not any(default_storage.exists(name) for name in files)
    assert not (SupportImage.objects.exists() or CedulaScan.objects.exists())
    assert not (HearingEvidence.objects.exists() or UploadIssue.objects.exists())
    assert Upload.objects.get().file.name == ""
    for row in Support.objects.filter(aspirant__office=due.h.office).values():
        assert row["elector_key"] == elector_key_hash(keys[row["id"]])
        assert (row["name"], row["paternal_surname"], row["ocr"], row["cic"]) == ("", "", "", "")
        assert row["comment"] == row["warnings"] == ""
    assert not SupportChange.objects.exclude(old_value="", new_value="").exists()
    assert not Review.objects.exclude(comment="").exists()
    assert set(HearingRequest.objects.values_list("argument", flat=True)) == {""}
    assert HearingItem.objects.get(support=due.h.photocopy).changes == {
        "TIPO_INCONSISTENCIA": ["", ""]
    }
    report = CitizenReport.objects.get()
    assert (report.contact, report.statement) == ("", "")
    assert set(Notification.objects.filter(user=due.h.maria.user).values_list("body", flat=True))
    assert not Notification.objects.filter(user=due.h.maria.user).exclude(body="").exists()
    assert record.counts == planned and record.purged_by == due.admin
    assert counts(due.process) == dict.fromkeys(KINDS, 0)


def test_the_same_clave_keeps_the_same_hash_so_duplicates_still_match(
    due, django_capture_on_commit_callbacks
):
    key = due.h.valid.elector_key
    twin = Support.objects.filter(aspirant=due.h.pedro).first()
    Support.objects.filter(pk=twin.pk).update(elector_key=key)
    purge(due, django_capture_on_commit_callbacks)
    hashed = set(
        Support.objects.filter(pk__in=[due.h.valid.pk, twin.pk]).values_list(
            "elector_key", flat=True
        )
    )
    assert hashed == {elector_key_hash(key)} and len(elector_key_hash(key)) == 18


def test_outcomes_counts_and_every_dictamen_survive_the_purge(
    client, due, django_capture_on_commit_callbacks
):
    results = list(SupportResult.objects.order_by("pk").values())
    counted = list(AspirantResult.objects.order_by("pk").values())
    with due.ruling.pdf.open("rb") as pdf:
        pdf_before = pdf.read()
    record = purge(due, django_capture_on_commit_callbacks)
    assert list(SupportResult.objects.order_by("pk").values()) == results
    assert list(AspirantResult.objects.order_by("pk").values()) == counted
    due.ruling.refresh_from_db()
    with due.ruling.pdf.open("rb") as pdf:
        assert pdf.read() == pdf_before
    assert hashlib.sha256(pdf_before).hexdigest() == due.ruling.pdf_sha256
    assert ruling_problems(due.ruling) == []
    assert [entry["number"] for entry in record.rulings] == [due.ruling.pk]
    client.force_login(opl())
    for name, args in [
        ("verification:office", [due.h.office.pk]),
        ("verification:ruling", [due.ruling.pk]),
        ("verification:ruling_pdf", [due.ruling.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200


def test_the_purge_is_recorded_in_the_bitacora_and_on_the_process(
    due, django_capture_on_commit_callbacks
):
    purge(due, django_capture_on_commit_callbacks)
    entry = AccessLog.objects.get(action=services.AUDIT_ACTION)
    assert entry.user == due.admin and entry.object_id == str(due.process.pk)
    assert "supports:" in entry.detail
    assert Process.objects.get(pk=due.process.pk).personal_data_purged_at is not None


def test_another_process_keeps_its_data(due, django_capture_on_commit_callbacks):
    purge(due, django_capture_on_commit_callbacks)
    due.other.refresh_from_db()
    assert due.other.name == "JUAN" and not due.other.elector_key.startswith("#")


def test_a_new_compulsa_of_a_purged_process_is_refused(due, django_capture_on_commit_callbacks):
    purge(due, django_capture_on_commit_callbacks)
    with pytest.raises(CheckError, match="ya se suprimieron"):
        run_check(Process.objects.get(pk=due.process.pk).offices.get())


# Refusals -------------------------------------------------------------------------------------------


def refusal(ended, user=None, today=None):
    before = snapshot(ended)
    with pytest.raises(services.PurgeRefused) as refused:
        services.purge_personal_data(ended.process, user=user or ended.admin, today=today)
    assert snapshot(ended) == before
    return " ".join(refused.value.reasons)


def test_refused_before_the_retention_period_ends(ended):
    reason = refusal(ended, today=ended.purge_day - datetime.timedelta(days=1))
    assert f"termina el {ended.purge_day:%d/%m/%Y}" in reason


def test_refused_while_the_dictamenes_are_not_final(ended):
    Process.objects.filter(pk=ended.process.pk).update(rulings_final_on=None)
    ended.process.refresh_from_db()
    assert "aún no están firmes" in refusal(ended, today=ended.purge_day)


def test_refused_when_a_dictamen_is_newer_than_the_final_date(ended):
    earlier = ended.final_on - datetime.timedelta(days=3)
    Process.objects.filter(pk=ended.process.pk).update(rulings_final_on=earlier)
    ended.process.refresh_from_db()
    reason = refusal(ended, today=ended.purge_day)
    assert f"El dictamen N.º {ended.ruling.pk}" in reason and "aún no es firme" in reason


def test_refused_when_an_office_with_supports_has_no_dictamen(ended):
    ended.ruling.delete()
    assert f"El cargo {ended.h.office.code} no tiene dictamen." in refusal(
        ended, today=ended.purge_day
    )


def test_refused_when_a_dictamen_no_longer_verifies(ended):
    SupportResult.objects.filter(support=ended.h.valid, run=ended.ruling.run).delete()
    reason = refusal(ended, today=ended.purge_day)
    assert f"El dictamen N.º {ended.ruling.pk} no se puede verificar" in reason


def test_refused_twice_and_to_other_users(due, django_capture_on_commit_callbacks):
    assert "Solo un administrador" in refusal(due, user=make_user(Role.OPL_REVIEWER))
    assert "Solo un administrador" in refusal(due, user=opl(state_number=2))
    purge(due, django_capture_on_commit_callbacks)
    due.process.refresh_from_db()
    assert "ya se suprimieron" in refusal(due)


def test_the_command_refuses_in_spanish_and_changes_nothing(ended, capsys):
    Process.objects.filter(pk=ended.process.pk).update(retention_days=60)
    with pytest.raises(SystemExit) as exit_code:
        call_command("purge_personal_data", process=ended.process.code, stdout=StringIO())
    assert exit_code.value.code == 1
    error = capsys.readouterr().err
    assert "No se suprimió nada." in error and "El periodo de conservación de 60 días" in error
    assert not PurgeRecord.objects.exists()


def test_the_command_purges_and_names_who(due, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "purge_personal_data", process=due.process.code, user=due.admin.username, stdout=out
        )
    record = PurgeRecord.objects.get()
    assert f"Supresión N.º {record.pk} registrada" in out.getvalue()
    assert record.operator == due.admin.username

"""The bitácora: a hash chain that shows tampering, the client address behind the proxy, sign-ins
and refusals recorded, its page and exports for the entity's administrators, and retention."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.audit import first_broken_link, purge_before, record
from apoyo.accounts.models import AccessLog, Role
from apoyo.core.cli import CommandFailed
from apoyo.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def chain(n=5):
    user = make_user(Role.OPL_CAPTURIST)
    return [record(user, "ver", "apoyo", i, f"entrada {i}") for i in range(n)]


def verify(capsys):
    call_command("verify_audit_log")
    return capsys.readouterr().out


def test_entries_chain_each_to_the_one_before(capsys):
    entries = chain()
    assert entries[0].previous_hash == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    assert "5 entradas encadenadas" in verify(capsys)


def test_an_altered_entry_breaks_the_chain_and_the_command_names_it():
    entries = chain()
    AccessLog.objects.filter(pk=entries[2].pk).update(detail="otra cosa")
    assert first_broken_link(AccessLog.objects.order_by("id")).pk == entries[2].pk
    with pytest.raises(CommandFailed) as failure:
        call_command("verify_audit_log")
    assert f"entrada {entries[2].pk}" in failure.value.message


def test_a_removed_entry_breaks_the_chain_at_the_next_one():
    entries = chain()
    AccessLog.objects.filter(pk=entries[1].pk).delete()
    assert first_broken_link(AccessLog.objects.order_by("id")).pk == entries[2].pk


def test_removing_the_oldest_entries_without_a_purge_is_detected():
    entries = chain()
    AccessLog.objects.filter(pk__lte=entries[1].pk).delete()
    assert first_broken_link(AccessLog.objects.order_by("id")).pk == entries[2].pk


def test_a_purge_after_the_retention_period_keeps_the_chain_verifiable(capsys):
    entries = chain()
    old = timezone.now() - datetime.timedelta(days=4000)
    AccessLog.objects.filter(pk__lte=entries[2].pk).update(at=old)
    # Moving the dates broke those entries' hashes; rechain them as if written then.
    previous = ""
    for entry in AccessLog.objects.order_by("id"):
        from apoyo.accounts.audit import entry_digest

        entry.previous_hash, entry.entry_hash = previous, entry_digest(previous, entry)
        entry.save()
        previous = entry.entry_hash
    assert purge_before(timezone.now() - datetime.timedelta(days=365)) == 3
    purge = AccessLog.objects.get(action="purga de bitácora")
    assert "3 entradas" in purge.detail
    assert "íntegra" in verify(capsys)


def test_the_client_address_comes_from_the_proxy_when_configured(client, settings):
    settings.APOYO_NUM_PROXIES = 1
    user = make_user(Role.OPL_ADMIN)
    client.force_login(user)
    client.get(reverse("user_list"), HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="127.0.0.1")
    entry = AccessLog.objects.filter(object_type="personal del OPL").get()
    assert entry.address == "203.0.113.7"


def test_without_proxies_a_forged_forwarded_header_is_ignored(client, settings):
    settings.APOYO_NUM_PROXIES = 0
    client.force_login(make_user(Role.OPL_ADMIN))
    client.get(reverse("user_list"), HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.5")
    assert AccessLog.objects.get(object_type="personal del OPL").address == "10.0.0.5"


def test_sign_in_failed_sign_in_and_sign_out_are_recorded(client):
    user = make_user(Role.OPL_CAPTURIST, username="ana")
    client.post(reverse("login"), {"username": "ana", "password": "equivocada-123"})
    client.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    client.post(reverse("logout"))
    actions = list(AccessLog.objects.order_by("id").values_list("action", "username"))
    assert actions == [
        ("inicio fallido", "ana"),
        ("inicio de sesión", "ana"),
        ("cierre de sesión", "ana"),
    ]
    assert AccessLog.objects.filter(user=user).count() == 2


def test_every_refusal_is_recorded_with_what_was_asked(client):
    client.force_login(make_user(Role.ASPIRANT))
    assert client.get(reverse("user_list")).status_code == 403
    entry = AccessLog.objects.get(action="rechazo")
    assert entry.detail == "GET /administracion/usuarios/"


def test_the_administrator_reads_and_filters_the_entitys_log_only(client):
    admin = make_user(Role.OPL_ADMIN, username="admin.son")
    colleague = make_user(Role.OPL_CAPTURIST, username="capturista.son")
    stranger = make_user(Role.OPL_CAPTURIST, username="capturista.jal", state_number=14)
    record(colleague, "ver", "apoyo", "77")
    record(stranger, "ver", "apoyo", "88")
    client.force_login(admin)
    page = client.get(reverse("audit_log"), {"object_type": "apoyo", "object_id": "77"})
    assert page.status_code == 200
    listed = [entry.username for entry in page.context["page"]]
    assert listed == ["capturista.son"]
    everything = [e.username for e in client.get(reverse("audit_log")).context["page"]]
    assert "capturista.jal" not in everything


def test_the_log_exports_to_csv_and_xlsx_and_the_export_is_recorded(client):
    admin = make_user(Role.OPL_ADMIN)
    record(admin, "ver", "apoyo", "1", '=HYPERLINK("http://x")')
    client.force_login(admin)
    csv = client.get(reverse("audit_log_export", args=["csv"]))
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("FECHA_HORA,USUARIO,ACCION")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    xlsx = client.get(reverse("audit_log_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert AccessLog.objects.filter(action="exportar", object_type="bitácora").count() == 2


@pytest.mark.parametrize("role", [Role.OPL_CAPTURIST, Role.OPL_REVIEWER, Role.ASPIRANT])
def test_only_administrators_read_the_log(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("audit_log")).status_code == 403

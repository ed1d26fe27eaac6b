import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from apoyo.accounts.models import ApiToken, Role
from apoyo.accounts.tokens import issue_token, purge_tokens, revoke_token
from apoyo.core.cli import CommandFailed
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db


def aged(token, **fields):
    ApiToken.objects.filter(pk=token.pk).update(**fields)
    return token


def test_only_tokens_dead_for_longer_than_the_kept_days_are_purged():
    user = make_user(Role.AUXILIARY)
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=100)
    _, live = issue_token(user)
    _, expired_long_ago = issue_token(user)
    aged(expired_long_ago, created_at=long_ago, expires_at=long_ago)
    _, expired_lately = issue_token(user)
    aged(expired_lately, expires_at=now - datetime.timedelta(days=10))
    _, revoked_long_ago = issue_token(user)
    aged(revoked_long_ago, revoked_at=long_ago)
    _, revoked_lately = issue_token(user)
    revoke_token(revoked_lately)

    assert purge_tokens(keep_days=90, now=now) == 2

    kept = set(ApiToken.objects.values_list("pk", flat=True))
    assert kept == {live.pk, expired_lately.pk, revoked_lately.pk}


def test_the_command_reports_in_spanish_and_refuses_negative_days(capsys):
    _, token = issue_token(make_user(Role.AUXILIARY))
    aged(token, revoked_at=timezone.now() - datetime.timedelta(days=1))

    call_command("purge_api_tokens", "--days", "0")
    assert "Tokens borrados: 1." in capsys.readouterr().out
    with pytest.raises(CommandFailed):
        call_command("purge_api_tokens", "--days", "-1")

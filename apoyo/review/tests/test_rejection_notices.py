"""Aspirants hear, once a day, which of their supports the mesa de control rejected."""

import pytest
from django.core import mail
from django.core.management import call_command

from apoyo.accounts.models import Notification, Role
from apoyo.review import services as review
from apoyo.review.digest import send_rejection_notices
from apoyo.supports.models import Inconsistency
from apoyo.testing.factories import make_aspirant, make_user, precaptured

pytestmark = pytest.mark.django_db


def code(value):
    return Inconsistency.objects.get(code=value)


def test_one_daily_notice_lists_the_rejections_since_the_last_one():
    aspirant = make_aspirant(with_user=True)
    aspirant.user.email = "aspirante@example.org"
    aspirant.user.save()
    rows = precaptured(aspirant, [1, 2, 3, 4])
    first, second = make_user(Role.OPL_REVIEWER), make_user(Role.OPL_REVIEWER)
    review.accept_support(first, rows[0])
    review.record_inconsistency(first, rows[1], code("FOTOCOPIA"), "Copia simple")
    review.record_inconsistency(first, rows[2], code("SIMULACION"), "Holograma")
    assert send_rejection_notices() == 1
    notice = Notification.objects.get(user=aspirant.user)
    assert notice.title == "El OPL rechazó 1 de sus apoyos en la mesa de control"
    assert f"{rows[1].elector_key}: FOTOCOPIA" in notice.body and "Copia simple" in notice.body
    assert mail.outbox[-1].to == ["aspirante@example.org"]
    # The proposal only counts once a second revisor confirms it; nothing is repeated.
    assert send_rejection_notices() == 0
    review.confirm_rejection(second, rows[2])
    call_command("send_rejection_notices")
    latest = Notification.objects.filter(user=aspirant.user).order_by("-pk").first()
    assert f"{rows[2].elector_key}: SIMULACION" in latest.body
    assert rows[1].elector_key not in latest.body


def test_aspirants_without_rejections_get_no_notice():
    aspirant = make_aspirant(with_user=True)
    review.accept_support(make_user(Role.OPL_REVIEWER), precaptured(aspirant, [1])[0])
    assert send_rejection_notices() == 0
    assert not Notification.objects.filter(user=aspirant.user).exists()

"""An aspirant withdraws rows of their own pre-captura that the OPL has not decided yet."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.review import services as review
from apoyo.supports.models import ChangeAction, Inconsistency, Status
from apoyo.supports.services import withdraw_own_precapture
from apoyo.testing.factories import make_aspirant, make_office, make_user, precaptured

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(make_office(), with_user=True)


def test_aspirant_withdraws_an_undecided_row_of_their_own_with_a_history_line(aspirant):
    (support,) = precaptured(aspirant, [1])
    assert withdraw_own_precapture(aspirant.user, support, "La tecleé dos veces") == []
    support.refresh_from_db()
    assert support.status == Status.WITHDRAWN
    assert support.changes.filter(action=ChangeAction.WITHDRAWN).exists()


def test_aspirant_cannot_withdraw_a_row_the_mesa_de_control_already_decided(aspirant):
    accepted, rejected, proposed = precaptured(aspirant, [1, 2, 3])
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, accepted)
    code = Inconsistency.objects.filter(needs_confirmation=False, state__isnull=True).first()
    review.record_inconsistency(reviewer, rejected, code, "Ilegible")
    four_eyes = Inconsistency.objects.get(code="SIMULACION")
    review.record_inconsistency(reviewer, proposed, four_eyes, "Firma distinta")
    for support in (accepted, rejected, proposed):
        support.refresh_from_db()
        errors = withdraw_own_precapture(aspirant.user, support, "Ya no")
        assert "ya revisó" in errors[0].message
        assert support.status != Status.WITHDRAWN


def test_aspirant_cannot_withdraw_another_aspirants_row(aspirant):
    other = make_aspirant(aspirant.office, with_user=True)
    (support,) = precaptured(other, [1])
    errors = withdraw_own_precapture(aspirant.user, support, "No es mío")
    assert "propia pre-captura" in errors[0].message


def test_portal_page_withdraws_the_row_and_another_aspirant_gets_404(client, aspirant):
    (support,) = precaptured(aspirant, [1])
    url = reverse("supports:portal_support", args=[support.pk])
    other = make_aspirant(aspirant.office, with_user=True)
    client.force_login(other.user)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(aspirant.user)
    assert "Retirar esta fila" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Capturada por error"})
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == Status.WITHDRAWN
    assert "Retirar esta fila" not in client.get(url).content.decode()

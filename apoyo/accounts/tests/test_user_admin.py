"""Administración → Usuarios: an OPL administrator manages the OPL's staff, and nothing else."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role, User
from apoyo.testing.factories import make_aspirant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_user(Role.OPL_ADMIN, first_name="Ana", last_name="Administradora")
    client.force_login(user)
    return user


def staff_form(user, **changes):
    values = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
    }
    values.update(changes)
    return values


def test_saving_an_aspirant_account_on_the_staff_form_cannot_make_it_opl_staff(client, admin):
    aspirant = make_aspirant(with_user=True)
    account = aspirant.user
    data = staff_form(account, email="nuevo@example.mx", role=Role.OPL_ADMIN)
    response = client.post(reverse("user_update", args=[account.pk]), data)
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.role == Role.ASPIRANT
    assert account.email != "nuevo@example.mx"


def test_the_staff_list_shows_only_opl_staff(client, admin):
    aspirant = make_aspirant(with_user=True)
    capturist = make_user(Role.OPL_CAPTURIST)
    response = client.get(reverse("user_list"))
    listed = set(response.context["object_list"])
    assert capturist in listed
    assert aspirant.user not in listed


def test_an_admin_cannot_type_another_persons_password(client, admin):
    capturist = make_user(Role.OPL_CAPTURIST)
    capturist.set_password("contraseña-original-1")
    capturist.save()
    data = staff_form(capturist, password="contraseña-del-admin-1")
    response = client.post(reverse("user_update", args=[capturist.pk]), data)
    assert response.status_code == 302
    capturist.refresh_from_db()
    assert capturist.check_password("contraseña-original-1")
    assert not capturist.check_password("contraseña-del-admin-1")


def test_the_edit_page_header_shows_the_signed_in_admin_not_the_edited_user(client, admin):
    capturist = make_user(Role.OPL_CAPTURIST, first_name="Carlos", last_name="Capturista")
    response = client.get(reverse("user_update", args=[capturist.pk]))
    header = response.content.decode().split("<main")[0]
    assert "Ana Administradora" in header
    assert "Carlos Capturista" not in header
    assert response.context["user"] == admin


def test_editing_a_staff_member_keeps_their_role_when_only_the_email_changes(client, admin):
    reviewer = make_user(Role.OPL_REVIEWER)
    data = staff_form(reviewer, email="revisor@example.mx")
    response = client.post(reverse("user_update", args=[reviewer.pk]), data)
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.role == Role.OPL_REVIEWER
    assert reviewer.email == "revisor@example.mx"
    assert User.objects.filter(role=Role.OPL_ADMIN).count() == 1

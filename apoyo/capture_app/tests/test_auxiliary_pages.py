"""The aspirant's auxiliaries pages: a phone field, a confirmation before deactivating, messages
that do not assume a gender, per-day totals of the app's captures, and an invitation page that
guides before it scolds and whose links die when a new invitation is sent."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from apoyo.aspirants import services
from apoyo.aspirants.models import Auxiliary
from apoyo.capture_app.daily_totals import daily_totals
from apoyo.supports.models import Channel, Status, Support
from apoyo.testing.capture_app import make_auxiliary, open_office
from apoyo.testing.factories import make_aspirant, support

pytestmark = pytest.mark.django_db

PASSWORD = "Hermosillo.Captura.2021"


@pytest.fixture
def aspirant():
    return make_aspirant(open_office(), with_user=True)


@pytest.fixture
def portal(client, aspirant):
    client.force_login(aspirant.user)
    return client


def register(client, name="Pedro Ramírez Soto", email="pedro@example.org", phone="6621234567"):
    return client.post(
        reverse("auxiliaries:create"), {"name": name, "email": email, "phone": phone}
    )


def last_invitation_path():
    link = re.search(r"https?://\S+/auxiliares/invitacion/\S+/", mail.outbox[-1].body).group(0)
    return urlsplit(link).path


# The list and its actions ---------------------------------------------------------------------------


def test_the_phone_field_is_a_telephone_input(portal):
    page = portal.get(reverse("auxiliaries:create")).text
    assert re.search(r'<input type="tel" name="phone"[^>]*autocomplete="tel"', page)
    assert 'autocomplete="email"' in page and 'autocomplete="name"' in page


def test_registering_says_so_without_assuming_a_gender(portal):
    register(portal)
    page = portal.get(reverse("auxiliaries:list")).text
    assert "Se registró a Pedro Ramírez Soto como auxiliar." in page
    assert "registrado." not in page


def test_deactivating_asks_for_confirmation_first(portal, aspirant):
    auxiliary = make_auxiliary(aspirant, name="Ana López")
    url = reverse("auxiliaries:deactivate", args=[auxiliary.pk])
    listing = portal.get(reverse("auxiliaries:list")).text
    assert f'href="{url}"' in listing
    assert f'action="{url}"' not in listing
    confirm = portal.get(url)
    assert confirm.status_code == 200
    assert "¿Desactivar a Ana López?" in confirm.text and "Sí, desactivar" in confirm.text
    auxiliary.refresh_from_db()
    assert auxiliary.active
    done = portal.post(url, follow=True).text
    assert "Se desactivó a Ana López: su sesión en la aplicación se cerró" in done
    assert "quedó desactivado" not in done
    auxiliary.refresh_from_db()
    assert not auxiliary.active
    reactivated = portal.post(reverse("auxiliaries:reactivate", args=[auxiliary.pk]), follow=True)
    assert "Se reactivó a Ana López" in reactivated.text


def test_the_confirmation_page_is_only_for_the_aspirants_own_auxiliaries(client, aspirant):
    auxiliary = make_auxiliary(aspirant)
    client.force_login(make_aspirant(aspirant.office, with_user=True).user)
    assert client.get(reverse("auxiliaries:deactivate", args=[auxiliary.pk])).status_code == 404


def test_each_row_is_a_card_on_a_phone_with_labelled_cells(portal, aspirant):
    make_auxiliary(aspirant, name="Ana López")
    page = portal.get(reverse("auxiliaries:list")).text
    assert 'class="stack-table"' in page
    assert 'data-label="Teléfono"' in page and 'class="row-actions"' in page


# Per-day totals --------------------------------------------------------------------------------------


def app_support(aspirant, auxiliary, n, day, status=Status.PENDING_REVIEW):
    captured = support(aspirant, f"GRLPJN85010126H{n:03d}", day=day, channel=Channel.APP)
    Support.objects.filter(pk=captured.pk).update(captured_by=auxiliary.user, status=status)


def test_the_aspirant_sees_per_day_totals_of_each_auxiliarys_captures(
    portal, aspirant, django_assert_max_num_queries
):
    ana = make_auxiliary(aspirant, name="Ana López")
    luis = make_auxiliary(aspirant, name="Luis Ruiz")
    monday, tuesday = datetime.date(2021, 1, 4), datetime.date(2021, 1, 5)
    for n in range(3):
        app_support(aspirant, ana, n, monday)
    app_support(aspirant, luis, 3, monday)
    app_support(aspirant, luis, 4, tuesday, status=Status.WITHDRAWN)
    other = make_aspirant(aspirant.office, with_user=True)
    app_support(other, make_auxiliary(other), 5, monday)
    support(aspirant, "GRLPJN85010126H006", day=monday)  # a paper row: not the app's
    names = {ana.user_id: ana.name, luis.user_id: luis.name}
    with django_assert_max_num_queries(2):
        days = daily_totals(aspirant, names)
    assert [(d.day, d.total, d.parts) for d in days] == [
        (tuesday, 1, [("Luis Ruiz", 1)]),
        (monday, 4, [("Ana López", 3), ("Luis Ruiz", 1)]),
    ]
    page = portal.get(reverse("auxiliaries:list")).text
    assert "Capturas por día" in page
    assert "04/01/2021" in page and "Ana López: 3" in page and "Luis Ruiz: 1" in page


def test_the_per_day_table_shows_the_most_recent_days_only(aspirant):
    ana = make_auxiliary(aspirant)
    first = datetime.date(2021, 1, 1)
    for n in range(5):
        app_support(aspirant, ana, n, first + datetime.timedelta(days=n))
    days = daily_totals(aspirant, {ana.user_id: ana.name}, days=3)
    assert [d.day.day for d in days] == [5, 4, 3]


# The invitation --------------------------------------------------------------------------------------


def open_invitation(client, path):
    """The form page of an invitation link (Django moves the token into the session)."""
    page = client.get(path, follow=True)
    return page, (page.redirect_chain[-1][0] if page.redirect_chain else path)


def test_the_password_rules_are_a_hint_list_before_typing(client, portal):
    register(portal)
    portal.logout()
    page, _ = open_invitation(client, last_invitation_path())
    html = page.text
    assert 'id="password-rules"' in html and 'aria-describedby="password-rules"' in html
    rules = html.split('id="password-rules"')[1].split("</div>")[0]
    assert "Al menos 12 caracteres." in rules
    assert "Que no sea una contraseña de uso común." in rules
    # Guidance, not a scolding: nothing says the password is already wrong.
    assert "muy corta" not in rules and "no puede" not in rules
    assert "errorlist" not in html and 'aria-invalid="true"' not in html


def test_password_errors_are_shown_under_the_field_at_fault(client, portal):
    register(portal)
    portal.logout()
    _, form_url = open_invitation(client, last_invitation_path())
    short = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"}).text
    password_field, confirmation = short.split('for="id_new_password2"')
    assert "errorlist" in password_field and "demasiado corta" in password_field
    assert "errorlist" not in confirmation
    mismatch = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    password_field, confirmation = mismatch.text.split('for="id_new_password2"')
    assert "errorlist" not in password_field
    assert "Las dos contraseñas no coinciden" in confirmation


def test_resending_an_invitation_makes_the_earlier_link_invalid(client, portal):
    register(portal)
    first = last_invitation_path()
    auxiliary = Auxiliary.objects.get()
    portal.post(reverse("auxiliaries:invite", args=[auxiliary.pk]))
    second = last_invitation_path()
    assert second != first
    auxiliary.refresh_from_db()
    assert auxiliary.invitations_sent == 2
    portal.logout()
    old = client.get(first, follow=True).text
    assert "Este enlace ya no es válido" in old and "invitación más reciente" in old
    page, form_url = open_invitation(client, second)
    assert "Crear su contraseña" in page.text
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    auxiliary.user.refresh_from_db()
    assert auxiliary.user.check_password(PASSWORD)


def test_a_resend_the_mail_server_refused_keeps_the_earlier_link(client, portal, monkeypatch):
    register(portal)
    first = last_invitation_path()
    auxiliary = Auxiliary.objects.get()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("sin servidor de correo")

    monkeypatch.setattr(services, "send_mail", refuse)
    portal.post(reverse("auxiliaries:invite", args=[auxiliary.pk]))
    auxiliary.refresh_from_db()
    assert auxiliary.invitations_sent == 1
    portal.logout()
    page, _ = open_invitation(client, first)
    assert "Crear su contraseña" in page.text


def test_only_deactivating_has_a_page_the_other_actions_are_posted(portal, aspirant):
    auxiliary = make_auxiliary(aspirant)
    for name in ("auxiliaries:reactivate", "auxiliaries:invite"):
        assert portal.get(reverse(name, args=[auxiliary.pk])).status_code == 405

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apoyo.accounts.context_processors import notifications
from apoyo.accounts.models import Notification, Role
from apoyo.accounts.notifications import notify
from apoyo.testing.factories import make_sections, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    make_sections()
    return make_user(Role.OPL_ADMIN, email="ana@iee.example"), make_user(Role.OPL_ADMIN, email="")


def test_notify_creates_a_notice_for_each_user_and_mails_those_with_an_address(users, settings):
    settings.APOYO_BASE_URL = "https://apoyo.example.mx/"
    sent = notify(
        users, "Nueva solicitud", "Detalle", url="/avisos/", email_subject="[Apoyo] Aviso"
    )
    assert sent == 1
    assert Notification.objects.filter(title="Nueva solicitud").count() == 2
    message = mail.outbox[0]
    assert message.to == ["ana@iee.example"]
    assert message.subject == "[Apoyo] Aviso"
    assert "https://apoyo.example.mx/avisos/" in message.body


def test_header_shows_unread_count_and_opening_marks_read(client, users):
    notify(users[:1], "Audiencia abierta", url="/avisos/")
    client.force_login(users[0])
    page = client.get(reverse("notifications")).content.decode()
    assert "Audiencia abierta" in page and "sin leer" in page
    notice = Notification.objects.get()
    response = client.post(reverse("notification_open", args=[notice.pk]))
    assert response["Location"] == "/avisos/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_user_cannot_open_another_users_notice(client, users):
    notify(users[1:], "Privado")
    client.force_login(users[0])
    notice = Notification.objects.get()
    assert client.post(reverse("notification_open", args=[notice.pk])).status_code == 404


def test_a_failing_mail_server_keeps_the_notices_and_reports_none(users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    assert notify(users, "Audiencia abierta", "Detalle") is None
    assert Notification.objects.filter(title="Audiencia abierta").count() == 2


def test_the_unread_count_is_queried_only_where_the_header_shows_it(rf, users):
    notify(users[:1], "Audiencia abierta")
    request = rf.get("/")
    request.user = users[0]
    with CaptureQueriesContext(connection) as queries:
        context = notifications(request)
    assert len(queries) == 0
    assert int(str(context["unread_notifications"])) == 1

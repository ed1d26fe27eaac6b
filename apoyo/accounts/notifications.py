"""Telling people what happened: an in-app notice and, where the user has an address, an e-mail."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Notification


def notify(users, title, body="", url="", email_subject=None):
    """Create a notice for each user and e-mail those with an address; return the e-mails sent.

    `url` is a path inside Apoyo; the e-mail carries it as an absolute link built from
    APOYO_BASE_URL. The e-mails go through one connection so a batch opens one SMTP session.
    """
    users = list(users)
    Notification.objects.bulk_create(
        Notification(user=user, title=title, body=body, url=url) for user in users
    )
    link = absolute_url(url) if url else ""
    text = f"{body}\n\n{link}".strip() if link else body
    messages = [
        EmailMessage(email_subject or title, text, to=[user.email]) for user in users if user.email
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)


def absolute_url(path):
    return settings.APOYO_BASE_URL.rstrip("/") + path


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

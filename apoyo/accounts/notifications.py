"""Telling people what happened: an in-app notice and, where the user has an address, an e-mail."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from apoyo.accounts.models import Notification

logger = logging.getLogger(__name__)


def notify(users, title, body="", url="", email_subject=None):
    """Create a notice for each user and e-mail those with an address; return the e-mails sent,
    or None when the mail server failed.

    `url` is a path inside Apoyo; the e-mail carries it as an absolute link built from
    APOYO_BASE_URL. The e-mails go through one connection so a batch opens one SMTP session. A
    mail server that fails is logged and never undoes the step that notifies: the in-app notices
    stay, and the caller may say that the e-mail did not go.
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
    try:
        with get_connection() as connection:
            return connection.send_messages(messages)
    except (smtplib.SMTPException, OSError):
        logger.exception("No se pudo enviar el correo «%s».", title)
        return None


def absolute_url(path):
    return settings.APOYO_BASE_URL.rstrip("/") + path


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

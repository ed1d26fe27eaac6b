"""Tokens of the capture app's API: issue, check, revoke.

A token is 32 random bytes (URL-safe text) handed once to the app; the database keeps only its
SHA-256, so the lookup is one indexed equality. Tokens expire after APOYO_API_TOKEN_HOURS and are
revoked by logging out or by deactivating the auxiliary.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.models import ApiToken

# Keys are 43 characters; anything much longer is not ours and is not worth hashing.
MAX_KEY_LENGTH = 100
# last_used_at is written at most this often per token, so reads stay reads.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)

INVALID = "El token no es válido. Inicie sesión de nuevo."
EXPIRED = "El token venció. Inicie sesión de nuevo."
REVOKED = "El token fue revocado. Inicie sesión de nuevo."
INACTIVE = "La cuenta está desactivada. Consulte al aspirante para el que trabaja."


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user, address=None):
    """Create a token for `user`; returns (key, ApiToken). The key is not stored anywhere."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.APOYO_API_TOKEN_HOURS),
        address=address,
    )
    return key, token


def check_key(key, now=None, related=("user",), fields=()):
    """The token of `key` and its user, or (None, Spanish reason) when it may not be used:
    unknown, its user is inactive (whatever the token's state), revoked or expired. Marks the
    token used (at most once a minute). `related` is what to load with it in the same query
    (select_related paths) and `fields`, when given, the only columns to read (QuerySet.only)."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii():
        return None, INVALID
    tokens = ApiToken.objects.select_related(*related).filter(key_hash=hash_key(key))
    if fields:
        tokens = tokens.only(*fields)
    token = tokens.order_by().first()
    if token is None:
        return None, INVALID
    now = now or timezone.now()
    # Said first: deactivating an account also revokes its tokens, and telling its holder to
    # log in again would not help.
    if not token.user.is_active:
        return None, INACTIVE
    if token.is_revoked:
        return None, REVOKED
    if token.is_expired(now):
        return None, EXPIRED
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, None


def revoke_token(token):
    """Revoke one token (logging out of the app)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def revoke_user_tokens(user):
    """Revoke every live token of `user` (the auxiliary was deactivated); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def purge_tokens(keep_days, now=None):
    """Delete the tokens that stopped working (expired or revoked) more than `keep_days` days
    ago; returns how many. Until then they stay as the record of which device captured with
    which account, from which address and when it was last used."""
    limit = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    dead = Q(expires_at__lt=limit) | Q(revoked_at__lt=limit)
    deleted, _ = ApiToken.objects.filter(dead).delete()
    return deleted

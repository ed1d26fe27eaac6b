"""DRF authentication of the capture app's API: `Authorization: Token <key>`."""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from apoyo.accounts import tokens
from apoyo.capture_app.permissions import DEACTIVATED_CODE

KEYWORD = "Token"


def _columns(prefix, *names):
    return tuple(prefix + name for name in names)


# Tokens belong to auxiliaries, and every request of the app needs the auxiliary's record, aspirant
# and office: they come in the token's query, with only the columns the API reads (any other one
# loads when used; the API's tests count the queries of a submission).
RELATED = ("user__auxiliary__aspirant__office",)
FIELDS = (
    *_columns("", "user_id", "expires_at", "revoked_at", "last_used_at"),
    *_columns("user__", "username", "first_name", "last_name", "role", "is_active", "is_superuser"),
    *_columns("user__auxiliary__", "user_id", "aspirant_id", "active", "name"),
    *_columns(
        "user__auxiliary__aspirant__",
        "office_id",
        "code",
        "name",
        "paternal_surname",
        "maternal_surname",
    ),
    *_columns(
        "user__auxiliary__aspirant__office__",
        "process_id",
        "code",
        "name",
        "collection_start",
        "collection_end",
    ),
)
MALFORMED = "Encabezado Authorization no válido: envíe «Token <token>»."
# The `code` of each 401: all of them mean "log in again".
TOKEN_CODES = {
    tokens.INVALID: "token_invalid",
    tokens.EXPIRED: "token_expired",
    tokens.REVOKED: "token_revoked",
}


def key_from_header(request):
    """The key of an `Authorization: Token <key>` header; None when there is no such header.
    Raises AuthenticationFailed when the header names Token but is malformed."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return None
    if len(parts) != 2:
        raise AuthenticationFailed(MALFORMED, code="token_invalid")
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise AuthenticationFailed(MALFORMED, code="token_invalid") from None


class ApiTokenAuthentication(BaseAuthentication):
    """Token authentication against accounts.ApiToken (hashed keys, expiry, revocation). A token
    of a deactivated account answers 403 (code account_deactivated), not 401: logging in again
    would not help, and the app says so."""

    def authenticate(self, request):
        key = key_from_header(request)
        if key is None:
            return None
        token, problem = tokens.check_key(key, related=RELATED, fields=FIELDS)
        if problem == tokens.INACTIVE:
            raise PermissionDenied(problem, code=DEACTIVATED_CODE)
        if problem:
            raise AuthenticationFailed(problem, code=TOKEN_CODES.get(problem, "token_invalid"))
        return token.user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests 401 (with WWW-Authenticate) rather than 403.
        return KEYWORD

"""Who may use the API: an active auxiliary of an aspirant (and how the schema names its token)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import BasePermission

from apoyo.accounts import policies
from apoyo.accounts.tokens import INACTIVE
from apoyo.aspirants.models import Auxiliary
from apoyo.aspirants.services import active_auxiliary

NOT_REGISTERED = (
    "Su registro de auxiliar no está activo: consulte al aspirante para el que trabaja."
)
# The 403 the app tells apart from an expired session (401): the aspirant deactivated the
# auxiliary, and a new login would not help.
DEACTIVATED_CODE = "account_deactivated"
NOT_AUXILIARY_CODE = "not_auxiliary"


def was_deactivated(user):
    """Whether `user` is an auxiliary whose record the aspirant deactivated (one query, only on
    the way to a 403)."""
    return (
        policies.is_auxiliary(user) and Auxiliary.objects.filter(user=user, active=False).exists()
    )


class IsActiveAuxiliary(BasePermission):
    """An active user of role auxiliary with an active Auxiliary record; keeps it on the request.
    Refused: a deactivated auxiliary (code account_deactivated) or any other account
    (not_auxiliary). DRF makes one instance per request, so message and code may be set here."""

    message = NOT_REGISTERED
    code = NOT_AUXILIARY_CODE

    def has_permission(self, request, view):
        request.auxiliary = active_auxiliary(request.user)
        if request.auxiliary is not None:
            return True
        if was_deactivated(request.user):
            self.message, self.code = INACTIVE, DEACTIVATED_CODE
        return False


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apoyo.capture_app.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "«Token <token>», con el token que entrega POST /api/v1/session/.",
        }

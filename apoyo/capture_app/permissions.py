"""Who may use the API: an active auxiliary of an aspirant (and how the schema names its token)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import BasePermission

from apoyo.aspirants.services import active_auxiliary

NOT_REGISTERED = (
    "Su registro de auxiliar no está activo: consulte al aspirante para el que trabaja."
)


class IsActiveAuxiliary(BasePermission):
    """An active user of role auxiliary with an active Auxiliary record; keeps it on the request."""

    message = NOT_REGISTERED

    def has_permission(self, request, view):
        request.auxiliary = active_auxiliary(request.user)
        return request.auxiliary is not None


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

"""The capture app's API, Django REST Framework under /api/v1/.

- POST/DELETE session/: an auxiliary logs in (gets a token) or out (revokes it);
- GET profile/: the auxiliary's aspirant, office, process, collection period and app settings;
- POST supports/: one support with its four photos (multipart), idempotent by the app's uuid
  (the same capture again answers 200; the same uuid with other data, 409);
- GET supports/: the auxiliary's own supports and their state in the mesa de control.

The work is done by services (accounts.tokens, capture_app.services); these views read the
request, call them and shape the answer. Every error answers {"detail": "...", "errors":
[{"field": "...", "message": "..."}]} in Spanish. The OpenAPI 3 schema (drf-spectacular) is at
/api/schema/ and its documentation page, rendered here without any external asset, at /api/docs/.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apoyo.accounts.audit import client_address, log_access
from apoyo.accounts.tokens import issue_token, revoke_token
from apoyo.aspirants.services import active_auxiliary
from apoyo.capture_app import services as app_capture
from apoyo.capture_app.daily_totals import own_daily_totals
from apoyo.capture_app.errors import conflicted, error_body, refused
from apoyo.capture_app.permissions import IsActiveAuxiliary
from apoyo.capture_app.serializers import (
    AUTHENTICATED_ERRORS,
    ERRORS_400,
    ERRORS_401,
    ERRORS_409,
    ERRORS_429,
    TAG,
    ErrorSerializer,
    LoginSerializer,
    ProfileSerializer,
    SessionSerializer,
    SupportItemSerializer,
    SupportListSerializer,
    SupportSubmitSerializer,
    iso,
    support_item,
)
from apoyo.capture_app.throttling import AddressThrottle, SessionThrottle, SubmitThrottle

BAD_CREDENTIALS = (
    "Usuario o contraseña incorrectos, o la cuenta no está activa para la aplicación de captura: "
    "si su cuenta es de auxiliar, consulte al aspirante para el que trabaja."
)
LOGIN_REFUSED_CODE = "login_refused"


def login_fields(data):
    """The username and password of a login body, or the Spanish errors of a malformed one."""
    if not isinstance(data, dict):
        return "", "", [app_capture.FieldError("", "Envíe un objeto con username y password.")]
    fields = (
        ("username", 150, "El usuario es obligatorio.", "El usuario no es válido."),
        ("password", 4096, "La contraseña es obligatoria.", "La contraseña no es válida."),
    )
    values, errors = {}, []
    for name, limit, missing, invalid in fields:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append(app_capture.FieldError(name, missing))
        elif len(value) > limit or "\x00" in value:
            errors.append(app_capture.FieldError(name, invalid))
        values[name] = value if isinstance(value, str) else ""
    return values["username"], values["password"], errors


def refused_login():
    """One answer for a wrong password, an unknown user, a deactivated account and an account
    that may not use the app: telling them apart would confirm a password to whoever guessed it."""
    error = app_capture.FieldError("", BAD_CREDENTIALS)
    body = error_body(BAD_CREDENTIALS, [error], code=LOGIN_REFUSED_CODE)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class SessionView(APIView):
    """Log in (a token for an auxiliary) and log out (revoke the token)."""

    parser_classes = [JSONParser, FormParser]

    def logging_in(self):
        # The schema generator builds views without a request.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        # Logging in never looks at an old (perhaps expired) token.
        if self.logging_in():
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.logging_in():
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        if self.logging_in():
            return [SessionThrottle(), AddressThrottle()]
        return super().get_throttles()

    @extend_schema(
        tags=[TAG],
        operation_id="session_create",
        summary="Iniciar sesión",
        description=(
            "Entrega un token a un auxiliar activo. El token vence a las "
            f"{settings.APOYO_API_TOKEN_HOURS} horas (APOYO_API_TOKEN_HOURS) o al cerrar sesión; "
            "solo se guarda su huella SHA-256."
        ),
        request=LoginSerializer,
        responses={
            201: SessionSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Usuario o contraseña incorrectos, o la cuenta no es de un auxiliar activo.",
            ),
            429: ERRORS_429,
        },
        auth=[],
    )
    def post(self, request):
        username, password, errors = login_fields(request.data)
        if errors:
            return refused(errors)
        user = authenticate(request._request, username=username, password=password)
        auxiliary = active_auxiliary(user) if user is not None else None
        if auxiliary is None:
            return refused_login()
        key, token = issue_token(user, address=client_address(request._request))
        update_last_login(None, user)
        body = {
            "token": key,
            "expires_at": iso(token.expires_at),
            "username": user.username,
            "name": auxiliary.name,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        operation_id="session_destroy",
        summary="Cerrar sesión",
        description="Revoca el token con que se hace la solicitud.",
        request=None,
        responses={204: None, 401: ERRORS_401, 429: ERRORS_429},
    )
    def delete(self, request):
        revoke_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileView(APIView):
    """The auxiliary, their aspirant, office, process and collection period."""

    permission_classes = [IsAuthenticated, IsActiveAuxiliary]

    @extend_schema(
        tags=[TAG],
        operation_id="profile_retrieve",
        summary="Perfil del auxiliar",
        description=(
            "Aspirante, cargo, proceso y periodo de obtención de apoyo (fechas en la zona "
            "horaria indicada), plazo de envío, tamaño máximo de cada imagen y los apoyos que el "
            "servidor ha recibido del auxiliar en cada uno de sus últimos días con capturas."
        ),
        responses={200: ProfileSerializer, **AUTHENTICATED_ERRORS},
    )
    def get(self, request):
        auxiliary = request.auxiliary
        aspirant = auxiliary.aspirant
        office = aspirant.office
        process = office.process
        body = {
            "username": request.user.username,
            "name": auxiliary.name,
            "aspirant": {"code": aspirant.code, "name": aspirant.full_name},
            "office": {"code": office.code, "name": office.name},
            "process": {"code": process.code, "name": process.name},
            "period": {
                "start": office.collection_start.isoformat(),
                "end": office.collection_end.isoformat(),
            },
            "grace_hours": settings.APOYO_APP_GRACE_HOURS,
            "time_zone": settings.TIME_ZONE,
            "max_image_bytes": settings.APOYO_APP_IMAGE_MAX_BYTES,
            "daily_totals": [
                {"day": day.isoformat(), "total": total}
                for day, total in own_daily_totals(request.user)
            ],
        }
        return Response(body)


class SupportsView(APIView):
    """Send a capture; list one's own captures and their state."""

    permission_classes = [IsAuthenticated, IsActiveAuxiliary]
    parser_classes = [MultiPartParser, FormParser]

    def get_throttles(self):
        throttles = super().get_throttles()
        if getattr(self.request, "method", None) == "POST":
            throttles.append(SubmitThrottle())
        return throttles

    @extend_schema(
        tags=[TAG],
        operation_id="supports_create",
        summary="Enviar un apoyo",
        description=(
            "Un apoyo capturado en la aplicación, con las cuatro imágenes (JPEG, PNG o WebP "
            "por su contenido, cada una de a lo más max_image_bytes del perfil) y el OCR o el CIC "
            "(uno de los dos). Entra pendiente de revisión a la mesa de control. La fecha de "
            "captura debe caer en el periodo de obtención de apoyo y el envío llegar dentro de "
            "grace_hours. Reenviar el mismo uuid con la misma captura devuelve 200 con el apoyo "
            "ya guardado, sin duplicarlo; es la misma captura si coinciden los campos de "
            "identidad (clave de elector, OCR, CIC, nombre y apellidos, comparados ya "
            "normalizados, con los valores recibidos aunque el OPL los haya corregido después), "
            "el instante de captured_at (sin importar su zona horaria) y cada imagen enviada por "
            "su SHA-256 (una imagen que no se envía no se compara). El mismo uuid con otros datos "
            "responde 409 y no cambia nada; el mismo uuid de otro auxiliar, 400."
        ),
        request={"multipart/form-data": SupportSubmitSerializer},
        responses={
            201: OpenApiResponse(SupportItemSerializer, description="Guardado."),
            200: OpenApiResponse(SupportItemSerializer, description="Ya estaba guardado."),
            400: ERRORS_400,
            409: ERRORS_409,
            **AUTHENTICATED_ERRORS,
        },
    )
    def post(self, request):
        too_large = app_capture.oversized_request(request.META.get("CONTENT_LENGTH"))
        if too_large:
            return refused([too_large])
        result = app_capture.capture_from_app(request.auxiliary, request.data, request.FILES)
        if result.conflict:
            return conflicted(result.conflict, result.errors)
        if result.errors:
            return refused(result.errors)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(support_item(result.support), status=code)

    @extend_schema(
        tags=[TAG],
        operation_id="supports_list",
        summary="Mis apoyos enviados",
        description=(
            "Los apoyos que el auxiliar envió, del más reciente al más antiguo (a lo más "
            f"{settings.APOYO_API_LIST_LIMIT}; count es el total), con su estado: "
            "pending_review, preliminary (motive vacío: aceptado; si no, rechazado "
            "por la mesa de control con el motivo en reason) o withdrawn."
        ),
        parameters=[
            OpenApiParameter(
                "uuid",
                str,
                description="Solo estos identificadores, separados por comas.",
                required=False,
            )
        ],
        responses={200: SupportListSerializer, 400: ERRORS_400, **AUTHENTICATED_ERRORS},
    )
    def get(self, request):
        supports = app_capture.own_supports(request.user)
        wanted = request.query_params.getlist("uuid")
        if wanted:
            uuids, error = app_capture.parse_uuid_list(wanted)
            if error:
                return refused([error])
            supports = supports.filter(client_uuid__in=uuids)
        count = supports.count()
        results = [support_item(s) for s in supports[: settings.APOYO_API_LIST_LIMIT]]
        log_access(request, "listar", "apoyos propios (app)", request.user.pk, f"{count} apoyos")
        return Response({"results": results, "count": count})

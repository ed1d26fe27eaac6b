"""The capture app's API (issue 7), Django REST Framework under /api/v1/.

- POST/DELETE session/: an auxiliary logs in (gets a token) or out (revokes it);
- GET profile/: the auxiliary's aspirant, office, process, collection period and app settings;
- POST supports/: one support with its four photos (multipart), idempotent by the app's uuid;
- GET supports/: the auxiliary's own supports and their state in the mesa de control.

The work is done by services (accounts.tokens, supports.app_capture); these views read the
request, call them and shape the answer. Every error answers {"detail": "...", "errors":
[{"field": "...", "message": "..."}]} in Spanish. The OpenAPI 3 schema (drf-spectacular) is at
/api/schema/ and its documentation page, rendered here without any external asset, at /api/docs/.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from apoyo.accounts.audit import log_access
from apoyo.accounts.models import Role, User
from apoyo.accounts.tokens import issue_token, revoke_token
from apoyo.aspirants.services import active_auxiliary
from apoyo.supports import app_capture
from apoyo.supports.api_throttling import AddressThrottle, SessionThrottle, SubmitThrottle
from apoyo.supports.models import ImageKind, Status

TAG = "Aplicación de captura"
INVALID = "Los datos enviados no son válidos."
BAD_CREDENTIALS = "Usuario o contraseña incorrectos."
ONLY_AUXILIARIES = "Solo los auxiliares de un aspirante usan la aplicación de captura."
NOT_REGISTERED = (
    "Su registro de auxiliar no está activo: consulte al aspirante para el que trabaja."
)
DEACTIVATED = "Su cuenta está desactivada: consulte al aspirante para el que trabaja."


# Errors --------------------------------------------------------------------------------------------


def error_body(detail, errors=()):
    return {
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }


def flatten(detail, field=""):
    """DRF's nested validation detail as a flat list of FieldError."""
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            name = "" if name == "non_field_errors" else name
            found += flatten(value, f"{field}.{name}" if field and name else name or field)
        return found
    if isinstance(detail, list):
        return [error for item in detail for error in flatten(item, field)]
    return [app_capture.FieldError(field, str(detail))]


def spanish_detail(exc, request):
    """A Spanish message for DRF's own exceptions; ours (token, permission) already carry one."""
    if isinstance(exc, exceptions.Throttled):
        wait = f" en {int(exc.wait) + 1} segundos" if exc.wait is not None else " más tarde"
        return f"Demasiadas solicitudes: intente de nuevo{wait}."
    if isinstance(exc, exceptions.NotAuthenticated):
        return "Falta el token: inicie sesión en la aplicación (Authorization: Token <token>)."
    own_message = str(exc.detail) != str(exc.default_detail)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail) if own_message else "El token no es válido. Inicie sesión de nuevo."
    if isinstance(exc, exceptions.PermissionDenied):
        return str(exc.detail) if own_message else "No tiene permiso para esta operación."
    if isinstance(exc, exceptions.NotFound):
        return "No existe."
    method = getattr(request, "method", "")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return f"El método {method} no se admite en esta dirección."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        kind = getattr(request, "content_type", "") or "(ninguno)"
        return f"Tipo de contenido «{kind}» no admitido en esta dirección."
    if isinstance(exc, exceptions.ParseError):
        return "No se pudo leer el cuerpo de la solicitud."
    if isinstance(exc, exceptions.NotAcceptable):
        return "Esta dirección solo responde en JSON."
    return str(exc.detail)


def api_exception_handler(exc, context):
    """DRF's handler, with every error in the {"detail", "errors"} shape and in Spanish."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(INVALID, flatten(exc.detail))
    else:
        response.data = error_body(spanish_detail(exc, context.get("request")))
    return response


def refused(errors):
    """The 400 answer of a refused capture; `detail` joins the messages, for the app to show."""
    detail = " ".join(e.message for e in errors) or INVALID
    return Response(error_body(detail, errors), status=status.HTTP_400_BAD_REQUEST)


# Permission, and the authentication in the schema -------------------------------------------------


class IsActiveAuxiliary(BasePermission):
    """An active user of role auxiliary with an active Auxiliary record; keeps it on the request."""

    message = NOT_REGISTERED

    def has_permission(self, request, view):
        request.auxiliary = active_auxiliary(request.user)
        return request.auxiliary is not None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apoyo.accounts.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "«Token <token>», con el token que entrega POST /api/v1/session/.",
        }


# Serializers: the shapes of requests and answers, for the schema ----------------------------------


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Campo de la API; vacío si es de toda la solicitud.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class SessionSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Se muestra una sola vez; envíelo como «Token <token>»."
    )
    expires_at = serializers.DateTimeField()
    username = serializers.CharField()
    name = serializers.CharField()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class ProfileSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    aspirant = CodeNameSerializer()
    office = CodeNameSerializer()
    process = CodeNameSerializer()
    period = PeriodSerializer()
    grace_hours = serializers.IntegerField()
    time_zone = serializers.CharField()
    max_image_bytes = serializers.IntegerField()


# The multipart form of a capture, for the schema: app_capture validates it.
class SupportSubmitSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="UUID (v4) que la aplicación genera para la captura.")
    captured_at = serializers.DateTimeField(
        help_text="Fecha y hora de captura en ISO 8601 con zona horaria."
    )
    elector_key = serializers.CharField(max_length=40, help_text="Clave de elector (18).")
    ocr = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="13 dígitos; o bien el CIC."
    )
    cic = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="9 dígitos; o bien el OCR."
    )
    name = serializers.CharField(max_length=200)
    paternal_surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    maternal_surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    front = serializers.FileField(help_text="Credencial (frente): JPEG, PNG o WebP.")
    back = serializers.FileField(help_text="Credencial (reverso): JPEG, PNG o WebP.")
    selfie = serializers.FileField(help_text="Fotografía en vivo: JPEG, PNG o WebP.")
    signature = serializers.FileField(help_text="Firma: JPEG, PNG o WebP.")


class SupportItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    captured_at = serializers.DateTimeField()
    elector_key = serializers.CharField()
    name = serializers.CharField()
    motive = serializers.CharField(
        help_text="Clave del tipo de inconsistencia si la mesa de control lo rechazó; vacío si no."
    )
    reason = serializers.CharField(
        help_text="El tipo de inconsistencia y el comentario del revisor, o el motivo del retiro."
    )


class SupportListSerializer(serializers.Serializer):
    results = SupportItemSerializer(many=True)
    count = serializers.IntegerField()


def iso(value):
    return timezone.localtime(value).isoformat()


def support_item(support):
    motive, reason = app_capture.review_outcome(support)
    return {
        "uuid": str(support.client_uuid),
        "status": support.status,
        "status_label": Status(support.status).label,
        "captured_at": iso(support.captured_at),
        "elector_key": support.elector_key,
        "name": support.name,
        "motive": motive,
        "reason": reason,
    }


ERRORS_400 = OpenApiResponse(ErrorSerializer, description="Datos no válidos.")
ERRORS_401 = OpenApiResponse(ErrorSerializer, description="Falta el token, venció o se revocó.")
ERRORS_403 = OpenApiResponse(ErrorSerializer, description="No es un auxiliar activo.")
ERRORS_429 = OpenApiResponse(ErrorSerializer, description="Demasiadas solicitudes.")
AUTHENTICATED_ERRORS = {401: ERRORS_401, 403: ERRORS_403, 429: ERRORS_429}


# Views ---------------------------------------------------------------------------------------------


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
            400: OpenApiResponse(ErrorSerializer, description="Usuario o contraseña incorrectos."),
            403: OpenApiResponse(ErrorSerializer, description="No es un auxiliar activo."),
            429: ERRORS_429,
        },
        auth=[],
    )
    def post(self, request):
        username, password, errors = login_fields(request.data)
        if errors:
            return refused(errors)
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            return self.refuse_login(username, password)
        if user.role != Role.AUXILIARY:
            return Response(error_body(ONLY_AUXILIARIES), status=status.HTTP_403_FORBIDDEN)
        auxiliary = active_auxiliary(user)
        if auxiliary is None:
            return Response(error_body(NOT_REGISTERED), status=status.HTTP_403_FORBIDDEN)
        key, token = issue_token(user, address=request.META.get("REMOTE_ADDR") or None)
        update_last_login(None, user)
        body = {
            "token": key,
            "expires_at": iso(token.expires_at),
            "username": user.username,
            "name": auxiliary.name,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    def refuse_login(self, username, password):
        """Bad credentials are 400; the right password of a deactivated account is 403, so the
        auxiliary learns to ask their aspirant rather than to retype it."""
        candidate = User.objects.filter(username=username).first()
        if candidate is not None and not candidate.is_active and candidate.check_password(password):
            return Response(error_body(DEACTIVATED), status=status.HTTP_403_FORBIDDEN)
        error = app_capture.FieldError("", BAD_CREDENTIALS)
        return Response(error_body(BAD_CREDENTIALS, [error]), status=status.HTTP_400_BAD_REQUEST)

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
            "horaria indicada), plazo de envío y tamaño máximo de cada imagen."
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
            "grace_hours. Reenviar el mismo uuid devuelve 200 con el apoyo ya guardado, sin "
            "duplicarlo."
        ),
        request={"multipart/form-data": SupportSubmitSerializer},
        responses={
            201: OpenApiResponse(SupportItemSerializer, description="Guardado."),
            200: OpenApiResponse(SupportItemSerializer, description="Ya estaba guardado."),
            400: ERRORS_400,
            **AUTHENTICATED_ERRORS,
        },
    )
    def post(self, request):
        too_large = app_capture.oversized_request(request.META.get("CONTENT_LENGTH"))
        if too_large:
            return refused([too_large])
        result = app_capture.capture_from_app(request.auxiliary, request.data, request.FILES)
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


# The documentation page ----------------------------------------------------------------------------


def resolve(schema, spec):
    """A schema with its $ref followed (one level per call)."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if not ref:
        return schema or {}
    name = ref.rsplit("/", 1)[-1]
    return spec["components"]["schemas"].get(name, {})


def type_label(schema, spec):
    """A short human description of a schema's type, e.g. «texto (uuid)», «lista de Error»."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"lista de {type_label(schema.get('items', {}), spec)}"
    names = {
        "string": "texto",
        "integer": "entero",
        "number": "número",
        "boolean": "sí/no",
        "object": "objeto",
    }
    label = names.get(kind, kind or "valor")
    if schema.get("format") == "binary":
        return "archivo"
    if schema.get("format"):
        label += f" ({schema['format']})"
    if schema.get("enum"):
        label += ": " + ", ".join(str(v) for v in schema["enum"] if v)
    return label


def fields_of(schema, spec):
    """The properties of an object schema: name, type, required, description."""
    schema = resolve(schema, spec)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_label(prop, spec),
            "required": name in required,
            "description": prop.get("description", "")
            or resolve(prop, spec).get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def describe_operations(spec):
    """The schema's operations, ready for the documentation template."""
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            media_type, content = next(iter(body.items()), (None, {}))
            responses = []
            for code, answer in operation.get("responses", {}).items():
                schema = next(iter(answer.get("content", {}).values()), {}).get("schema", {})
                responses.append(
                    {
                        "code": code,
                        "description": answer.get("description", ""),
                        "schema": type_label(schema, spec) if schema else "",
                    }
                )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "authenticated": operation.get("security") != [{}]
                    and bool(operation.get("security")),
                    "parameters": operation.get("parameters", []),
                    "media_type": media_type,
                    "fields": fields_of(content.get("schema", {}), spec) if content else [],
                    "responses": responses,
                }
            )
    return operations


class ApiDocsView(View):
    """The API's documentation, rendered on the server from the same OpenAPI schema as
    /api/schema/ (no external scripts or styles)."""

    def get(self, request):
        spec = SchemaGenerator().get_schema(request=None, public=True)
        components = spec.get("components", {}).get("schemas", {})
        context = {
            "info": spec["info"],
            "operations": describe_operations(spec),
            "components": [
                {"name": name, "fields": fields_of(schema, spec)}
                for name, schema in sorted(components.items())
                if schema.get("properties")
            ],
            "image_kinds": ImageKind.choices,
        }
        return render(request, "supports/api_docs.html", context)

"""The shapes of the API's requests and answers, for the OpenAPI schema and the answers."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from apoyo.capture_app import services as app_capture
from apoyo.supports.models import Status
from apoyo.supports.states import SupportState, state_of

TAG = "Aplicación de captura"


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Campo de la API; vacío si es de toda la solicitud.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(
        help_text=(
            "Qué pasó, para el programa: invalid y login_refused (400); not_authenticated, "
            "token_invalid, token_expired y token_revoked (401: inicie sesión de nuevo); "
            "account_deactivated (403: el aspirante desactivó al auxiliar; iniciar sesión no "
            "sirve) y not_auxiliary (403); conflict (409); throttled (429); y los de DRF para "
            "lo demás (not_found, method_not_allowed, unsupported_media_type, parse_error, "
            "not_acceptable)."
        )
    )
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


class DayTotalSerializer(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.IntegerField(
        help_text="Apoyos que el servidor recibió del auxiliar con esa fecha (retirados incluidos)."
    )


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
    daily_totals = DayTotalSerializer(
        many=True,
        help_text="Los últimos días con capturas del auxiliar, del más reciente al más antiguo.",
    )


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
    state = serializers.ChoiceField(
        choices=SupportState.choices,
        help_text="El estado del apoyo, el mismo que ven el portal y el OPL (mesa de control y compulsa).",
    )
    state_label = serializers.CharField(
        help_text="El estado en palabras, con su detalle: tipo de inconsistencia o resultado de la compulsa."
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="Advertencias de captura que no impiden el apoyo (letras o fecha de la clave, clave repetida).",
    )
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
    state = state_of(support)
    return {
        "uuid": str(support.client_uuid),
        "status": support.status,
        "status_label": Status(support.status).label,
        "state": state.state,
        "state_label": str(state),
        "warnings": support.warning_list,
        "captured_at": iso(support.captured_at),
        "elector_key": support.elector_key,
        "name": support.name,
        "motive": motive,
        "reason": reason,
    }


ERRORS_400 = OpenApiResponse(ErrorSerializer, description="Datos no válidos.")
ERRORS_401 = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Falta el token, no es válido, venció o se revocó (code not_authenticated, "
        "token_invalid, token_expired o token_revoked): inicie sesión de nuevo."
    ),
)
ERRORS_403 = OpenApiResponse(
    ErrorSerializer,
    description=(
        "La cuenta fue desactivada (code account_deactivated: el token deja de servir y volver a "
        "iniciar sesión no sirve hasta que el aspirante la reactive) o no es de un auxiliar "
        "(not_auxiliary)."
    ),
)
ERRORS_429 = OpenApiResponse(ErrorSerializer, description="Demasiadas solicitudes.")
ERRORS_409 = OpenApiResponse(
    ErrorSerializer,
    description=(
        "El mismo uuid ya se recibió con otros datos: no se guarda y el apoyo recibido antes no "
        "cambia. detail nombra lo que difiere; cada error, el valor recibido antes."
    ),
)
AUTHENTICATED_ERRORS = {401: ERRORS_401, 403: ERRORS_403, 429: ERRORS_429}

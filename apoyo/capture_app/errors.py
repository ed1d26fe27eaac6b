"""The API's errors, always {"detail": "...", "code": "...", "errors": [{"field": "...", "message":
"..."}]}, the texts in Spanish, whatever raised them (DRF's own exceptions included). `code` says
what to do without reading the text: token_expired (log in again) is not account_deactivated."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apoyo.capture_app import services as app_capture

INVALID = "Los datos enviados no son válidos."
INVALID_CODE = "invalid"
CONFLICT_CODE = "conflict"


def error_body(detail, errors=(), code=INVALID_CODE):
    return {
        "detail": detail,
        "code": code,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }


def code_of(exc):
    """The code a DRF exception was raised with (ours name one), else its class's default."""
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


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
        detail = spanish_detail(exc, context.get("request"))
        response.data = error_body(detail, code=code_of(exc))
    return response


def refused(errors):
    """The 400 answer of a refused capture; `detail` joins the messages, for the app to show."""
    detail = " ".join(e.message for e in errors) or INVALID
    return Response(error_body(detail, errors), status=status.HTTP_400_BAD_REQUEST)


def conflicted(detail, errors):
    """The 409 answer of a uuid already stored with other data: `detail` names what differs,
    each error gives the value received before."""
    body = error_body(detail, errors, code=CONFLICT_CODE)
    return Response(body, status=status.HTTP_409_CONFLICT)

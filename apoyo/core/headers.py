"""Security headers that django-csp and Django's SecurityMiddleware do not send.

Permissions-Policy goes on every response: Apoyo uses one powerful browser feature, the camera (the
capture app photographs the credencial and the citizen), and only from its own pages; every other
feature is off, so a script that got in could not reach the microphone or the location either.

Cache-Control: no-store goes on every response that may carry personal data, so that no browser
cache, shared proxy or "back" button keeps a copy of a citizen's data after the session ends: every
response to a signed-in user (pages, fragments, the API) and every file (exports, reports, scans,
photos), which the browser could otherwise keep even when the person signed out. Static files carry
none and stay cacheable.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.db import DatabaseError
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "hid=()",
        "midi=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        "display-capture=()",
        "screen-wake-lock=()",
        "xr-spatial-tracking=()",
        "browsing-topics=()",
    ]
)


class SecurityHeadersMiddleware:
    """Place it right after SecurityMiddleware, so that it also sees the responses that other
    middleware return early (redirects, CSRF failures)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not is_static(request) and (is_download(response) or signed_in(request)):
            patch_cache_control(response, no_store=True)
        return response


def is_static(request):
    prefix = urlparse(settings.STATIC_URL).path
    return bool(prefix) and request.path.startswith(prefix)


def is_download(response):
    # Exports stream; files (FileResponse) stream and name themselves in Content-Disposition.
    return response.streaming or response.has_header("Content-Disposition")


def signed_in(request):
    # The API's token authentication sets request.user too (DRF writes it through to the request).
    user = getattr(request, "user", None)
    try:
        return bool(user and user.is_authenticated)
    except DatabaseError:
        # The user could not be loaded (the error may be why this response is a 500): no-store is
        # the answer that cannot leak.
        return True

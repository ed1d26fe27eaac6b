"""The security headers' fixture: the CSP and Apoyo's header middleware switched on for a test, as
settings.py switches them on in production."""

import pytest
from csp.constants import NONE, SELF

CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
HEADERS_MIDDLEWARE = "apoyo.core.headers.SecurityHeadersMiddleware"

# The policy settings.py carries. Used only while settings.py has none, so that once it has one
# these tests check that one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
    },
}


@pytest.fixture
def security_headers(settings):
    """Both middleware right after SecurityMiddleware (where settings.py is to put them) unless
    settings.py already lists them."""
    missing = [m for m in (CSP_MIDDLEWARE, HEADERS_MIDDLEWARE) if m not in settings.MIDDLEWARE]
    if missing:
        middleware = list(settings.MIDDLEWARE)
        at = middleware.index("django.middleware.security.SecurityMiddleware") + 1
        settings.MIDDLEWARE = [*middleware[:at], *missing, *middleware[at:]]
    if not getattr(settings, "CONTENT_SECURITY_POLICY", None):
        settings.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
    return settings

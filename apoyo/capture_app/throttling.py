"""Throttles of the capture app's API: per client address and per user.

In a module of their own, free of DRF's views, because DRF imports the default throttle classes
while it defines APIView. Rates come from APOYO_API_THROTTLE_RATES at each request, so settings
overrides apply (DRF's own throttles read theirs once, at import).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApoyoThrottle(SimpleRateThrottle):
    """A rate from APOYO_API_THROTTLE_RATES[scope]; None switches the scope off."""

    def get_rate(self):
        return settings.APOYO_API_THROTTLE_RATES.get(self.scope)


class AddressThrottle(ApoyoThrottle):
    """Every API request, per client address (APOYO_NUM_PROXIES says which one to trust)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(ApoyoThrottle):
    """Every authenticated API request, per user."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class SubmitThrottle(UserThrottle):
    """Supports sent, per user."""

    scope = "submit"


class SessionThrottle(AddressThrottle):
    """Logins, per address (against guessing passwords)."""

    scope = "session"

"""How many lookups the consulta ciudadana answers per client address and per clave de elector
(issue 17: rate-limited by address and by clave), counted in Django's cache like the project's
other throttles (capture_app.throttling), in fixed windows of APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES.

A fixed window is counted with one atomic increment, so concurrent requests never lose a count;
the price is that a burst straddling two windows may reach twice the limit, which still stops
anyone from walking through claves or OCRs. The cache keys hold keyed hashes, never the clave or
the address itself (lookup.key_digest, lookup.address_digest).
"""

import time

from django.conf import settings
from django.core.cache import cache

REFUSED_BY_ADDRESS = "por dirección"
REFUSED_BY_KEY = "por clave de elector"


def window_seconds():
    return max(settings.APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES, 1) * 60


def within_limit(scope, ident, limit, now=None):
    """Count one lookup of `ident` in the current window; whether it is within `limit` (a limit of
    0 or less switches the scope off)."""
    if limit <= 0:
        return True
    window = window_seconds()
    bucket = int((now if now is not None else time.time()) // window)
    key = f"apoyo:citizens:{scope}:{ident}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this is the first lookup of a new window.
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def refusal(address_hash, key_hash):
    """Why this lookup is refused ("por dirección" or "por clave de elector"), or "" when it may
    run. The clave is counted only once its address is within its limit, so one address cannot
    use up the limit of a clave it was already refused for."""
    if not within_limit("address", address_hash, settings.APOYO_CITIZEN_LOOKUPS_PER_ADDRESS):
        return REFUSED_BY_ADDRESS
    if not within_limit("key", key_hash, settings.APOYO_CITIZEN_LOOKUPS_PER_KEY):
        return REFUSED_BY_KEY
    return ""

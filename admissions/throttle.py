"""A per-address limit on the public forms (applying, a referee's letter): enough for a
person who saves often, not for a script."""

from __future__ import annotations

from django.core.cache import cache

LIMIT = 30
WINDOW_SECONDS = 3600


def too_many(request, scope: str) -> bool:
    """Counts this POST against the sender's address; True once over the limit."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"admissions:{scope}:{address}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return False
    return count > LIMIT

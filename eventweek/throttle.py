"""Who the client is behind the reverse proxies, and how often it may do something (fixed windows in Django's cache)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or the one the outermost of TRUSTED_PROXY_COUNT proxies saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    # Each trusted proxy appends the address it received the request from, so the last entries are theirs and the
    # entry the outermost one wrote is the client. Anything left of it was written by the client and is not trusted.
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return forwarded[0] if forwarded else remote
    return forwarded[-proxies]


def allow(scope: str, key: str, rate: tuple[int, int]) -> bool:
    """Count one event for key in the current window of rate (count, seconds); False once the count is exceeded."""
    limit, seconds = rate
    window = int(time.time() // seconds)
    cache_key = f"throttle:{scope}:{key}:{window}"
    # add() is a no-op when the key exists, so concurrent first hits do not reset each other's count; incr() is
    # atomic in Redis and under the local-memory cache's lock.
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit

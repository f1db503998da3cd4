"""A fixed-window counter in Django's cache (Redis when configured, so shared by every
process). Good enough to stop floods; not a precise quota."""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> int:
    """Count one hit; return 0 when allowed, else the seconds until the window resets."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - time.time()))

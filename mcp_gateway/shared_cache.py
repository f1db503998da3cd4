"""Django's cache (rate-limit counters, which process holds a legacy session) from async code.

Django's own async cache methods (``cache.aget`` …) run the sync ones through the one thread the
async ORM queues its queries on, so every request waited behind every audit write for a dict
lookup (docs/performance.md). The in-memory cache is a dict under a lock: it runs on the event
loop. Any other (Redis, shared by every process) is network I/O: it runs on a worker thread of
its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

T = TypeVar("T")


async def cache_run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)``, which uses Django's default cache and nothing else."""
    if isinstance(caches["default"], LocMemCache):
        return function(*args, **kwargs)
    result: T = await sync_to_async(function, thread_sensitive=False)(*args, **kwargs)
    return result

"""Microsoft access tokens, remembered for a few seconds so a Graph call reads no token store.

Reading a person's token is a database query and a decryption; under load it cost a Graph
tool call nearly as much CPU as the Graph request itself (docs/performance.md). The decrypted token
is kept here, in this process's memory only, keyed by the person's id, for at most
``GRAPH_ACCESS_TOKEN_CACHE_SECONDS`` (default 10 s) and never past the point where it should be
refreshed (``REFRESH_MARGIN`` before it expires).

What ends an entry, and how soon:

- any write to any connection (sign-in, refresh, a refresh claim, "needs sign-in",
  revocation, the admin; ``graph_tools.services.token_store_changed``): the writing process
  forgets every entry at once and again after the commit, and every other process when the
  ``connections_changed`` signal reaches it, which the gateway broadcasts over the channel
  layer (writes are rare: sign-ins, hourly refreshes, administrators' actions);
- anything else, including a broadcast that never arrived: the entry's lifetime, the bound.

A read that started before an eviction is not stored (the ``generation`` check), so a request
racing a revocation cannot put the old token back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone

MAX_ENTRIES = 10_000

# Sent after a commit that changed connections: other processes must forget their entries.
connections_changed = Signal()


def cache_seconds() -> float:
    return float(getattr(settings, "GRAPH_ACCESS_TOKEN_CACHE_SECONDS", 10))


@dataclass(frozen=True)
class _Entry:
    token: str
    fresh_until: float  # on the cache's clock
    usable_until: datetime  # when the token must be refreshed instead


class AccessTokenCache:
    """Thread-safe: Graph calls read and fill it on worker threads, writes evict anywhere."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.generation = 0  # bumped by every clear()
        self._entries: dict[int, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, user_id: int) -> str | None:
        with self._lock:
            entry = self._entries.get(user_id)
            if entry is None:
                return None
            if entry.fresh_until > self.clock() and entry.usable_until > timezone.now():
                return entry.token
            del self._entries[user_id]
            return None

    def put(self, user_id: int, token: str, *, usable_until: datetime, generation: int) -> None:
        """Remember a token read since ``generation`` was read (else forget it)."""
        seconds = cache_seconds()
        if seconds <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return  # a write happened while it was being read
            while len(self._entries) >= MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]
            self._entries[user_id] = _Entry(token, self.clock() + seconds, usable_until)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


access_tokens = AccessTokenCache()

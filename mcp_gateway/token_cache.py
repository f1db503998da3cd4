"""Validated bearer tokens, remembered for a few seconds so a request costs no database query.

Every MCP request and WebSocket message carries a bearer token; validating it is a database
round trip (DOT's lookup by checksum, the client's disabled flag, the person). The validated
``Caller`` is kept here, in this process's memory, keyed by the SHA-256 of the token (never
the token itself), for at most ``MCP_TOKEN_CACHE_SECONDS`` (default 10 s).

What ends an entry, and how soon:

- revocation (DOT deletes the token row: the client at /revoke_token/, a refresh replacing it,
  an approval revoked, a client disabled, revoke-all, the person or client deleted): the
  ``post_delete`` receiver evicts it in the revoking process at once, and the channel-layer
  broadcast (``token.revoked``) evicts it in every other process (mcp_gateway.streams);
- a person deactivated, a client disabled: the same, by person or by client (``callers.evict``);
- the token's own expiry: checked on every hit;
- anything else, including a broadcast that never arrived: the entry's lifetime, the stated
  bound. After it the token is validated against the database again.

A validation that started before an eviction is not stored (the ``generation`` check), so a
request racing a revocation cannot put the revoked token back. Refusals are never stored, and
the number of entries is bounded (the oldest go first).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from mcp_gateway import conf
from mcp_gateway.caller import Caller


@dataclass(frozen=True)
class _Entry:
    caller: Caller
    fresh_until: float  # on the cache's clock


def token_key(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class TokenCache:
    """Thread-safe: requests read it on the event loop, revocations evict from worker threads."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.generation = 0  # bumped by every eviction
        self._entries: dict[bytes, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Caller | None:
        key = token_key(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.fresh_until > self.clock() and entry.caller.expires > timezone.now():
                return entry.caller
            del self._entries[key]
            return None

    def put(self, token: str, caller: Caller, *, generation: int) -> None:
        """Remember a caller validated since ``generation`` was read (else forget it)."""
        seconds, limit = conf.token_cache_seconds(), conf.token_cache_max_entries()
        if seconds <= 0 or limit <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return  # an eviction happened while it was being validated
            while len(self._entries) >= limit:
                del self._entries[next(iter(self._entries))]
            self._entries[token_key(token)] = _Entry(caller, self.clock() + seconds)

    def evict(
        self,
        *,
        token_pk: int | None = None,
        person_id: int | None = None,
        client_pk: int | None = None,
    ) -> None:
        """Forget every entry of this token, person or client (any one that matches)."""
        with self._lock:
            self.generation += 1
            self._entries = {
                key: entry
                for key, entry in self._entries.items()
                if entry.caller.token_pk != token_pk
                and entry.caller.person_id != person_id
                and entry.caller.client_pk != client_pk
            }

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


tokens = TokenCache()

"""Writes: the tool-call audit record, the per-person rate limits, revocations."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from mcp_gateway import conf
from mcp_gateway.audit import audit
from mcp_gateway.caller import Caller
from mcp_gateway.models import ToolCall
from mcp_gateway.streams import GROUP
from mcp_gateway.token_cache import tokens


def tool_call_record(
    *,
    caller: Caller,
    tool: str,
    outcome: ToolCall.Outcome,
    duration_ms: int = 0,
    upstream_request_ids: list[str] | None = None,
) -> None:
    """Audit one tool call: the row is written behind the answer (mcp_gateway.audit)."""
    row = ToolCall(
        person_id=caller.person_id,
        client_id=caller.client_pk,
        client_name=caller.client_name[:255],
        tool=tool[:128],
        outcome=outcome,
        duration_ms=max(0, duration_ms),
        upstream_request_id=", ".join(upstream_request_ids or [])[:255],
    )
    audit.submit(row)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds until the current window ends
    # The first refusal of a window is audited; the rest are not, so a flood of refused calls
    # cannot grow the audit table at request speed.
    first_refusal: bool = False


def tool_call_rate_take(*, person_id: int, now: float | None = None) -> RateDecision:
    """Count one tool call against the person's fixed one-minute window."""
    return _window_take(
        key=f"mcp_gateway:tool_calls:{person_id}", limit=conf.tool_calls_per_minute(), now=now
    )


def session_open_rate_take(*, person_id: int, now: float | None = None) -> RateDecision:
    """Count one new legacy session (or /sse stream) against the person's one-minute window."""
    return _window_take(
        key=f"mcp_gateway:sessions:{person_id}", limit=conf.sessions_per_minute(), now=now
    )


def _window_take(*, key: str, limit: int, now: float | None) -> RateDecision:
    """Count one event in a fixed one-minute window.

    The counter lives in Django's cache, which is Redis when REDIS_URL is set, so every server
    process shares it; ``add`` and ``incr`` are each atomic there. Every call but a window's
    first finds the counter: ``incr`` alone counts it (one cache operation on the hot path, not
    two; on Redis one round trip less).
    """
    now = time.time() if now is None else now
    window = conf.RATE_LIMIT_WINDOW_SECONDS
    started = int(now // window) * window
    key = f"{key}:{started}"
    count = _counter_incr(key, timeout=window + 5)
    retry_after = max(1, math.ceil(started + window - now))
    return RateDecision(
        allowed=count <= limit, retry_after=retry_after, first_refusal=count == limit + 1
    )


def _counter_incr(key: str, *, timeout: int) -> int:
    """The counter at ``key`` plus one; a missing counter starts at 1."""
    try:
        return cache.incr(key)
    except ValueError:  # the window's first call (or its counter expired)
        pass
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:  # another call of the same window created it between the two
        return cache.incr(key)
    except ValueError:  # ... and it expired again at once: count this call alone
        cache.add(key, 1, timeout=timeout)
        return 1


def token_revoked(*, token_pk: int, expired: bool) -> None:
    """An access token row is gone (DOT revokes by deleting): refuse it from the next request.

    This process forgets it at once, and again once the deletion commits (a validation that
    read the row before the commit must not keep it); every process is then told, which ends
    its open streams and forgets it there (mcp_gateway.streams). An expired token needs no
    broadcast: its streams ended at its expiry and no cache serves it past then.
    """
    tokens.evict(token_pk=token_pk)
    transaction.on_commit(partial(_token_revoked_committed, token_pk=token_pk, expired=expired))


def _token_revoked_committed(*, token_pk: int, expired: bool) -> None:
    tokens.evict(token_pk=token_pk)
    if not expired:
        token_revocation_broadcast(token_pk=token_pk)


def token_revocation_broadcast(*, token_pk: int) -> None:
    """Tell every process that an access token is gone, so its open streams end there too."""
    _broadcast({"type": "token.revoked", "token": token_pk})


def callers_forget(*, person_id: int | None = None, client_pk: int | None = None) -> None:
    """A person deactivated or a client disabled: their validated tokens are forgotten in every
    process (now, after the commit, and by broadcast), so the next request is validated again
    and refused."""
    tokens.evict(person_id=person_id, client_pk=client_pk)
    transaction.on_commit(partial(_callers_forget_committed, person=person_id, client=client_pk))


def _callers_forget_committed(*, person: int | None, client: int | None) -> None:
    tokens.evict(person_id=person, client_pk=client)
    _broadcast({"type": "callers.forget", "person": person, "client": client})


def microsoft_tokens_forget_broadcast() -> None:
    """Tell every process that a Microsoft connection changed (graph_tools.access_token_cache)."""
    _broadcast({"type": "microsoft_tokens.forget"})


def _broadcast(message: dict[str, Any]) -> None:
    async_to_sync(get_channel_layer().group_send)(GROUP, message)

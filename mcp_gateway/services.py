"""Writes: the tool-call audit record, the per-person rate limits, revocation broadcasts."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from mcp_gateway import conf
from mcp_gateway.caller import Caller
from mcp_gateway.models import ToolCall
from mcp_gateway.streams import GROUP


def tool_call_record(
    *,
    caller: Caller,
    tool: str,
    outcome: ToolCall.Outcome,
    duration_ms: int = 0,
    upstream_request_ids: list[str] | None = None,
) -> ToolCall:
    return ToolCall.objects.create(
        person_id=caller.person_id,
        client_id=caller.client_pk,
        client_name=caller.client_name[:255],
        tool=tool[:128],
        outcome=outcome,
        duration_ms=max(0, duration_ms),
        upstream_request_id=", ".join(upstream_request_ids or [])[:255],
    )


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
    process shares it; ``add`` then ``incr`` are each atomic there.
    """
    now = time.time() if now is None else now
    window = conf.RATE_LIMIT_WINDOW_SECONDS
    started = int(now // window) * window
    key = f"{key}:{started}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this call opens a new window
        cache.add(key, 1, timeout=window + 5)
        count = 1
    retry_after = max(1, math.ceil(started + window - now))
    return RateDecision(
        allowed=count <= limit, retry_after=retry_after, first_refusal=count == limit + 1
    )


def token_revocation_broadcast(*, token_pk: int) -> None:
    """Tell every process that an access token is gone, so its open streams end there too."""
    async_to_sync(get_channel_layer().group_send)(
        GROUP, {"type": "token.revoked", "token": token_pk}
    )

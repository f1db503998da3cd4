"""The gateway's tunables: Django settings with safe defaults, read in one place.

MCP_TOOL_CALLS_PER_MINUTE   tool calls one person may make per minute, all clients and
                            processes together (default 120)
MCP_SESSIONS_PER_MINUTE     legacy sessions and /sse streams one person may open per minute
                            (default 30): the SDK keeps each for 30 idle minutes and refuses
                            everyone's new ones once 10 000 are open in a process
MCP_MAX_REQUEST_BYTES       largest accepted MCP request body (default 32 MiB)
MCP_TOKEN_CACHE_SECONDS     how long a validated bearer token is remembered in a process
                            (default 10; 0 turns the cache off): the bound on a revocation
                            whose broadcast never arrived (mcp_gateway.token_cache)
MCP_TOKEN_CACHE_MAX_ENTRIES how many validated tokens a process remembers (default 10 000)
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

RATE_LIMIT_WINDOW_SECONDS = 60


def tool_calls_per_minute() -> int:
    return int(getattr(settings, "MCP_TOOL_CALLS_PER_MINUTE", 120))


def sessions_per_minute() -> int:
    return int(getattr(settings, "MCP_SESSIONS_PER_MINUTE", 30))


def max_request_bytes() -> int:
    # Most tool arguments are short, but sendEmail's attachments travel in the request as
    # base64 (4/3 of their size): 32 MiB carries about 24 MB of files, Exchange Online's usual
    # message limit. Only authenticated callers get this far (the bearer check runs first),
    # and the per-person rate limit bounds how often.
    return int(getattr(settings, "MCP_MAX_REQUEST_BYTES", 32 * 1024 * 1024))


def token_cache_seconds() -> float:
    return float(getattr(settings, "MCP_TOKEN_CACHE_SECONDS", 10))


def token_cache_max_entries() -> int:
    return int(getattr(settings, "MCP_TOKEN_CACHE_MAX_ENTRIES", 10_000))


def request_state_key() -> bytes:
    """The key that seals MCP ``requestState`` (2026-07-28 MRTR), the same in every process.

    The SDK's default key is random per process, so a round trip that lands on another
    process would fail; deriving it from SECRET_KEY shares it without another secret.
    """
    return hmac.new(
        settings.SECRET_KEY.encode(), b"mcp_gateway.request_state", hashlib.sha256
    ).digest()

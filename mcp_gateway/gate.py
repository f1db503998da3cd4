"""HTTP checks in front of the SDK: Host/Origin, and per-tool-call scope and rate limit.

The scope step-up must be an HTTP 403 with a challenge (MCP authorization, "Runtime
Insufficient Scope Errors"), which only the HTTP layer can answer, so the gate reads the
JSON-RPC body before the SDK does. Anything it does not understand passes through untouched:
the SDK owns every protocol error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mcp_gateway import challenges
from mcp_gateway.authentication import CALLER_SCOPE_KEY
from mcp_gateway.caller import Caller
from mcp_gateway.models import ToolCall
from mcp_gateway.scope_headers import header_value
from mcp_gateway.services import (
    session_open_rate_take,
    tool_call_rate_take,
    tool_call_record,
)
from mcp_gateway.shared_cache import cache_run


class TrimmedHeaderValues:
    """RFC 9110 §5.5: a field value excludes leading and trailing whitespace. h11 strips it,
    httptools (uvicorn[standard]) does not; the SDK compares Mcp-Name and friends verbatim."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = [(name, value.strip(b" \t")) for name, value in scope["headers"]]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


class HostOriginCheck:
    """DNS-rebinding protection before anything else: 421 for a foreign Host, 403 for a
    foreign Origin (MCP transports, "Security Warning"), with the SDK's own check."""

    def __init__(self, app: ASGIApp, security: TransportSecuritySettings) -> None:
        self.app = app
        self.check = TransportSecurityMiddleware(security)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = await self.check.validate_request(Request(scope, receive), is_post=False)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SessionOpenLimit:
    """429 for a person opening legacy sessions or /sse streams faster than allowed: the SDK
    keeps each in memory and, at its per-process cap, refuses everybody's new ones (503)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get(CALLER_SCOPE_KEY)
        if caller is not None and opens_session(scope):
            decision = await cache_run(session_open_rate_take, person_id=caller.person_id)
            if not decision.allowed:
                refusal = challenges.too_many_sessions(retry_after=decision.retry_after)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def opens_session(scope: Scope) -> bool:
    """GET /sse, or a 2025-era request without Mcp-Session-Id (the SDK admits a new session
    for it before reading the body); 2026-07-28 requests are stateless."""
    path = scope["path"]
    if path.endswith("/sse"):
        return bool(scope["method"] == "GET")
    if path.endswith("/messages/") or header_value(scope, b"mcp-session-id") is not None:
        return False
    version = header_value(scope, b"mcp-protocol-version")
    return version is None or version in HANDSHAKE_PROTOCOL_VERSIONS


@dataclass(frozen=True)
class ToolCallRequest:
    request_id: Any
    tool: str


def tool_call_request(body: bytes) -> ToolCallRequest | None:
    """The tools/call in a JSON-RPC body, if that is what it is; otherwise None.

    The body alone decides: the 2025 era ignores the 2026-07-28 routing headers (Mcp-Method,
    Mcp-Name) and runs the body's call, so headers that contradict it must not let it past;
    on the 2026-07-28 leg the SDK refuses the contradiction itself (400).
    """
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or message.get("method") != "tools/call":
        return None
    params = message.get("params")
    name = params.get("name") if isinstance(params, dict) else None
    if not isinstance(name, str) or "id" not in message:
        return None
    return ToolCallRequest(request_id=message["id"], tool=name)


class ToolCallGate:
    """Step-up (403) for a tool whose scope the token lacks, then the per-person rate limit."""

    def __init__(self, app: ASGIApp, *, tool_scopes: Mapping[str, str | None]) -> None:
        self.app = app
        self.tool_scopes = tool_scopes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get(CALLER_SCOPE_KEY)
        if scope["type"] != "http" or scope["method"] != "POST" or caller is None:
            await self.app(scope, receive, send)
            return
        body, replay = await buffered(receive)
        call = tool_call_request(body)
        refusal = await self.refusal(caller, call) if call is not None else None
        if refusal is not None:
            await refusal(scope, replay, send)
            return
        await self.app(scope, replay, send)

    async def refusal(self, caller: Caller, call: ToolCallRequest) -> ASGIApp | None:
        # The rate limit counts every call, refused ones too, so neither 403s nor 429s can be
        # sent (and audited) faster than the limit allows.
        decision = await cache_run(tool_call_rate_take, person_id=caller.person_id)
        if not decision.allowed:
            if decision.first_refusal:
                tool_call_record(
                    caller=caller, tool=call.tool, outcome=ToolCall.Outcome.RATE_LIMITED
                )
            return challenges.rate_limited(
                request_id=call.request_id, retry_after=decision.retry_after
            )
        required = self.tool_scopes.get(call.tool)
        if required is not None and required not in caller.scopes:
            tool_call_record(caller=caller, tool=call.tool, outcome=ToolCall.Outcome.DENIED)
            return challenges.insufficient_scope(
                granted=caller.scopes, required=required, tool=call.tool
            )
        return None


async def buffered(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body (already size-limited upstream) and a receive that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return body, replay

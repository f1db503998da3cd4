"""MCP over WebSocket at /ws (subprotocol ``mcp``): a Channels consumer feeding the same server.

The SDK 2.x ships no WebSocket transport, so this is a thin one: every text frame is one
JSON-RPC message, in both directions, and the SDK's server runs the protocol over the
connection (its dual-era loop: the client's first request decides the era). Authentication is
the handshake's ``Authorization: Bearer`` header (WebSocket MCP clients are not browsers, which
could not send it); the token is validated again before every message, so a revoked token ends
the connection at its next message (close code 4401), and its revocation on any process or its
expiry closes the connection at once (mcp_gateway.streams). Tool calls count against the same
per-person rate limit, and each connection against the per-person limit of new sessions. A
tool whose scope the token lacks cannot be answered with an HTTP 403 here; its call gets the
registry's ``isError`` result asking to reconnect and approve.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import AsyncExitStack
from typing import Any

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone
from mcp.server import MCPServer
from mcp.server.auth.middleware.auth_context import auth_context_var
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.message import SessionMessage
from mcp.types import jsonrpc_message_adapter
from pydantic import ValidationError
from starlette.datastructures import Headers

from mcp_gateway import conf
from mcp_gateway.authentication import bearer_token, caller_authenticate, sdk_user
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.challenges import rate_limited_error
from mcp_gateway.gate import tool_call_request
from mcp_gateway.models import ToolCall
from mcp_gateway.services import (
    session_open_rate_take,
    tool_call_rate_take,
    tool_call_record,
)
from mcp_gateway.shared_cache import cache_run
from mcp_gateway.streams import registry

logger = logging.getLogger(__name__)
SUBPROTOCOL = "mcp"
CLOSE_UNAUTHORIZED = 4401  # the 4000-4999 range is the application's (RFC 6455 §7.4.2)
CLOSE_TOO_BIG = 1009  # RFC 6455 §7.4.1, "message too big"


def handshake_refusal(scope: dict[str, Any], security: TransportSecuritySettings) -> str | None:
    """Why to refuse the handshake, if at all: subprotocol, Host and Origin (DNS rebinding)."""
    headers = Headers(scope=scope)
    if SUBPROTOCOL not in scope.get("subprotocols", []):
        return "the subprotocol must be mcp"
    if headers.get("host") not in security.allowed_hosts:
        return "invalid Host header"
    origin = headers.get("origin")
    if origin is not None and origin not in security.allowed_origins:
        return "invalid Origin header"
    return None


def parse_error() -> str:
    error = {"code": -32700, "message": "Parse error: send one JSON-RPC message per text frame"}
    return json.dumps({"jsonrpc": "2.0", "id": None, "error": error})


class McpWebSocketConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    server: MCPServer
    security: TransportSecuritySettings

    async def connect(self) -> None:
        token, _ = bearer_token(self.scope)
        refusal = handshake_refusal(self.scope, self.security)
        caller = None if refusal else await caller_authenticate(token)
        if caller is not None and not await _session_allowed(caller):
            refusal, caller = "too many new sessions for this person", None
        if caller is None:
            logger.info("MCP WebSocket handshake refused: %s", refusal or "no valid bearer token")
            await self.close()  # before accept: the handshake is refused with 403
            return
        self.token, self.tasks, self.watch = token, [], AsyncExitStack()
        await self.accept(subprotocol=SUBPROTOCOL)
        await self.watch.enter_async_context(registry.watching(caller.token_pk, self.revoked))
        # The server task copies this context: its handlers see this connection's caller.
        CALLER.set(caller)
        auth_context_var.set(sdk_user(caller))
        self.to_server, from_client = anyio.create_memory_object_stream[SessionMessage | Exception](
            32
        )
        to_client, from_server = anyio.create_memory_object_stream[SessionMessage](32)
        lifetime = (caller.expires - timezone.now()).total_seconds()
        self.tasks = [
            asyncio.create_task(self.serve(from_client, to_client)),
            asyncio.create_task(self.forward(from_server)),
            asyncio.create_task(self.expire(lifetime)),
        ]

    async def revoked(self) -> None:
        await self.close(code=CLOSE_UNAUTHORIZED)

    async def expire(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.revoked()

    async def serve(
        self,
        from_client: MemoryObjectReceiveStream[SessionMessage | Exception],
        to_client: MemoryObjectSendStream[SessionMessage],
    ) -> None:
        # MCPServer has no public "serve these streams" method; its own sse_app does this.
        lowlevel = self.server._lowlevel_server
        await lowlevel.run(from_client, to_client, lowlevel.create_initialization_options())

    async def forward(self, from_server: MemoryObjectReceiveStream[SessionMessage]) -> None:
        async for message in from_server:
            text = message.message.model_dump_json(by_alias=True, exclude_unset=True)
            await self.send(text_data=text)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        caller = await caller_authenticate(self.token)
        if caller is None:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        text = (
            text_data if text_data is not None else (bytes_data or b"").decode("utf-8", "replace")
        )
        if len(text.encode()) > conf.max_request_bytes():
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            message = jsonrpc_message_adapter.validate_json(text, by_name=False)
        except ValidationError:
            await self.send(text_data=parse_error())
            return
        if await self.refused(caller, text):
            return
        await self.to_server.send(SessionMessage(message))

    async def refused(self, caller: Caller, text: str) -> bool:
        """Over the per-person rate limit: answer the tools/call with an error, keep the line."""
        call = tool_call_request(text.encode())
        if call is None:
            return False
        decision = await cache_run(tool_call_rate_take, person_id=caller.person_id)
        if decision.allowed:
            return False
        if decision.first_refusal:
            tool_call_record(caller=caller, tool=call.tool, outcome=ToolCall.Outcome.RATE_LIMITED)
        error = rate_limited_error(request_id=call.request_id, retry_after=decision.retry_after)
        await self.send(text_data=json.dumps(error))
        return True

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "tasks", []):
            task.cancel()
        if hasattr(self, "watch"):
            await self.watch.aclose()
        if hasattr(self, "to_server"):
            await self.to_server.aclose()


def websocket_app(server: MCPServer, security: TransportSecuritySettings) -> Any:
    """The ASGI app for /ws, bound to ``server`` (Channels' as_asgi needs class attributes)."""

    class BoundConsumer(McpWebSocketConsumer):
        pass

    BoundConsumer.server, BoundConsumer.security = server, security
    return BoundConsumer.as_asgi()


async def _session_allowed(caller: Caller) -> bool:
    """A connection is a session: it counts against the person's MCP_SESSIONS_PER_MINUTE."""
    return (await cache_run(session_open_rate_take, person_id=caller.person_id)).allowed

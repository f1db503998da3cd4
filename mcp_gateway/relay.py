"""Legacy sessions across processes: a request for a session another process holds is relayed.

A 2025-era session (``Mcp-Session-Id``) and a /sse stream live in the memory of the process
that opened them (the SDK's session managers). Behind a round-robin balancer the next request
of that session usually reaches another process, so each process records the sessions it
opens in the shared cache (session id -> its listener channel, see ``mcp_gateway.streams``);
a process that receives a request for a session it does not hold relays the whole HTTP
exchange over the channel layer to the owner, which runs it through its own SDK app and
streams the ASGI response messages back. The SDK still decides everything: the session's
owner check (the caller travels with the request), 404 for unknown sessions, SSE framing.

2026-07-28 requests carry no session and are served wherever they land.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable
from dataclasses import fields
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.core.cache import cache
from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mcp_gateway.authentication import CALLER_SCOPE_KEY, sdk_user
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.gate import buffered, opens_session
from mcp_gateway.scope_headers import header_value
from mcp_gateway.shared_cache import cache_run
from mcp_gateway.streams import registry

logger = logging.getLogger(__name__)

SESSION_TTL = 30 * 60 + 60  # the SDK's idle timeout, plus a margin; refreshed on every use
FIRST_REPLY_SECONDS = 10  # an owner that does not start answering by then is gone
SSE_ENDPOINT = re.compile(rb"session_id=([0-9a-f]{32})")


def session_key(session_id: str) -> str:
    return f"mcp_gateway:session:{session_id}"


def request_session_id(scope: Scope) -> str | None:
    """The legacy session a request names: Mcp-Session-Id, or /messages/?session_id= (SSE)."""
    header = header_value(scope, b"mcp-session-id")
    if header:
        return header[:128]
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_id")
    return values[0][:128] if values else None


class SessionRelay:
    """Serve a request here, or relay it to the process that holds its session."""

    def __init__(self, app: ASGIApp, *, name: str) -> None:
        self.app, self.name = app, name
        # A relayed request skips BearerAuthentication here, so the SDK's view of the caller
        # (get_access_token(), which requestState binds to) is published the same way.
        self.relayed_app = AuthContextMiddleware(app)
        registry.handlers[f"relay.request.{name}"] = self.serve_relayed
        registry.handlers["relay.response"] = deliver
        registry.handlers["relay.cancel"] = cancel_relayed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get(CALLER_SCOPE_KEY)
        session_id = request_session_id(scope) if scope["type"] == "http" else None
        if session_id is None and not opens_session(scope):
            # A stateless request (2026-07-28): no session to find, none to record.
            await self.app(scope, receive, send)
            return
        here = await registry.listening()
        owner = await cache_run(cache.get, session_key(session_id)) if session_id else None
        if caller is None or owner is None or owner == here:
            if session_id and owner == here:  # recorded already: keep it alive
                await cache_run(cache.touch, session_key(session_id), SESSION_TTL)
                await self.app(scope, receive, send)
                return
            # A new session (or one whose record was lost): record it as the answer names it.
            sse_stream = scope.get("path", "").endswith("/sse")
            await self.app(scope, receive, recording(send, here, sse_stream=sse_stream))
            return
        await relay_to(owner, self.name, caller, scope, receive, send)

    async def serve_relayed(self, message: dict[str, Any]) -> None:
        relayed[message["id"]] = asyncio.get_running_loop().create_task(self.run(message))

    async def run(self, message: dict[str, Any]) -> None:
        caller = await caller_from(message["caller"])
        scope = {**message["scope"], "user": sdk_user(caller), CALLER_SCOPE_KEY: caller}
        reply = message["reply"]
        layer = get_channel_layer()
        body: list[Message] = [
            {"type": "http.request", "body": message["body"], "more_body": False}
        ]

        async def receive() -> Message:
            if body:
                return body.pop()
            await asyncio.Event().wait()  # the relaying process cancels this task instead
            raise AssertionError("unreachable")

        async def send(asgi: Message) -> None:
            await layer.send(reply, {"type": "relay.response", "id": message["id"], "asgi": asgi})

        session_id = request_session_id(scope)
        if session_id:  # in use, through another process: keep the record alive
            await cache_run(cache.touch, session_key(session_id), SESSION_TTL)
        token = CALLER.set(caller)
        try:
            await self.relayed_app(scope, receive, send)
        finally:
            CALLER.reset(token)
            relayed.pop(message["id"], None)


relayed: dict[str, asyncio.Task[None]] = {}  # requests this process serves for others
waiting: dict[str, asyncio.Queue[Message]] = {}  # relayed requests awaiting their answer


async def deliver(message: dict[str, Any]) -> None:
    queue = waiting.get(message["id"])
    if queue is not None:
        queue.put_nowait(message["asgi"])


async def cancel_relayed(message: dict[str, Any]) -> None:
    task = relayed.pop(message["id"], None)
    if task is not None:
        task.cancel()


def recording(send: Send, here: str, *, sse_stream: bool) -> Send:
    """Note in the shared cache each session this process opens, as its answer names it: the
    Mcp-Session-Id header, or for a /sse stream the session_id of its first (endpoint) event."""
    noted = False

    async def send_and_note(message: Message) -> None:
        nonlocal noted
        session_id = None
        if message["type"] == "http.response.start":
            session_id = Headers(raw=message.get("headers", [])).get("mcp-session-id")
        elif message["type"] == "http.response.body" and sse_stream and not noted:
            found = SSE_ENDPOINT.search(message.get("body", b""))
            session_id = found.group(1).decode() if found else None
        if session_id:
            noted = True
            await cache_run(cache.set, session_key(session_id), here, SESSION_TTL)
        await send(message)

    return send_and_note


async def relay_to(
    owner: str, name: str, caller: Caller, scope: Scope, receive: Receive, send: Send
) -> None:
    layer = get_channel_layer()
    relay_id = uuid.uuid4().hex
    queue: asyncio.Queue[Message] = asyncio.Queue()
    waiting[relay_id] = queue
    body, rest = await buffered(receive)
    portable = {
        key: scope[key]
        for key in ("type", "http_version", "method", "scheme", "path", "query_string", "root_path")
        if key in scope
    }
    # The owner trusts the caller this process authenticated: the token itself stays here.
    portable["headers"] = [list(pair) for pair in scope["headers"] if pair[0] != b"authorization"]
    request = {
        "type": f"relay.request.{name}",
        "id": relay_id,
        "reply": await registry.listening(),
        "scope": portable,
        "body": body,
        "caller": caller_fields(caller),
    }
    try:
        await layer.send(owner, request)
        await until_disconnected(rest, stream_back(queue, send, first_within=FIRST_REPLY_SECONDS))
    except TimeoutError:
        logger.warning("MCP session owner %s did not answer; forgetting the session", owner)
        session_id = request_session_id(scope)
        if session_id:
            await cache_run(cache.delete, session_key(session_id))
        await send_not_found(send)
    finally:
        waiting.pop(relay_id, None)
        await layer.send(owner, {"type": "relay.cancel", "id": relay_id})


async def until_disconnected(receive: Receive, answer: Awaitable[None]) -> None:
    """Relay the answer until it ends or the client goes away (a closed GET stream)."""
    relaying = asyncio.ensure_future(answer)
    watching = asyncio.ensure_future(disconnected(receive))
    try:
        await asyncio.wait({relaying, watching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watching.cancel()
        relaying.cancel()
    if relaying.done() and not relaying.cancelled():
        relaying.result()  # re-raise (the owner's silence: TimeoutError)


async def disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def stream_back(queue: asyncio.Queue[Message], send: Send, *, first_within: float) -> None:
    message = await asyncio.wait_for(queue.get(), first_within)
    while True:
        await send(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            return
        message = await queue.get()


async def send_not_found(send: Send) -> None:
    body = b'{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Session not found"}}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def caller_fields(caller: Caller) -> dict[str, Any]:
    values = {field.name: getattr(caller, field.name) for field in fields(caller)}
    del values["person"]
    return {**values, "scopes": sorted(caller.scopes), "expires": caller.expires.isoformat()}


async def caller_from(fields: dict[str, Any]) -> Caller:
    """The caller the relaying process authenticated (processes trust their channel layer)."""
    person = await get_user_model().objects.aget(pk=fields["person_id"])
    values = {**fields, "scopes": frozenset(fields["scopes"])}
    values["expires"] = datetime.fromisoformat(fields["expires"])
    return Caller(person=person, **values)

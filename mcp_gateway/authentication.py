"""Bearer authentication in front of every MCP transport (a pure ASGI middleware).

The SDK's own ``RequireAuthMiddleware`` omits ``scope=`` from its 401 and has no step-up
challenge, so authentication is ours; what the SDK needs from it is preserved:

- ``scope["user"]`` is the SDK's ``AuthenticatedUser``: its session manager binds every legacy
  ``Mcp-Session-Id`` to the (client, issuer, subject) that created it and answers 404 to anyone
  else, and the SDK's ``requestState`` sealing binds to the same principal.
- the SDK's ``AuthContextMiddleware`` publishes that user to ``get_access_token()``, and
  ``mcp_gateway.caller.CALLER`` publishes our richer ``Caller`` to tool handlers.
"""

from __future__ import annotations

import logging

import anyio
from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone
from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from starlette.authentication import AuthCredentials
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mcp_gateway import challenges
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.scope_headers import header_value
from mcp_gateway.selectors import caller_get
from mcp_gateway.streams import registry
from mcp_gateway.token_cache import tokens

CALLER_SCOPE_KEY = "mcp_gateway.caller"
logger = logging.getLogger(__name__)


def bearer_token(scope: Scope) -> tuple[str | None, bool]:
    """(token, whether one was sent) from the Authorization header, never from the query.

    RFC 6750 §2.3 query tokens are refused by the MCP authorization spec ("Token Requirements").
    More than one Authorization header is ambiguous and counts as an invalid token.
    """
    values = [value for name, value in scope["headers"] if name == b"authorization"]
    if not values:
        return None, False
    scheme, _, token = values[0].decode("latin-1").partition(" ")
    if len(values) > 1 or scheme.lower() != "bearer":
        return None, True
    return token.strip() or None, True


async def caller_authenticate(token: str | None) -> Caller | None:
    """The caller a bearer token stands for: from the token cache, else from the database.

    Before an entry is kept, this process listens on the channel layer, so that a revocation
    on any process reaches its cache (mcp_gateway.token_cache states the bound).
    """
    if not token:
        return None
    remembered = tokens.get(token)
    if remembered is not None:
        return remembered
    generation = tokens.generation
    caller: Caller | None = await database_sync_to_async(caller_get)(token=token)
    if caller is not None and await _listening():
        tokens.put(token, caller, generation=generation)
    return caller


async def _listening() -> bool:
    """Whether revocations can reach this process now; if not, nothing is remembered."""
    try:
        await registry.listening()
    except Exception:
        logger.warning("no channel layer: bearer tokens are validated on every request")
        return False
    return True


def sdk_user(caller: Caller) -> AuthenticatedUser:
    """The SDK's view of the caller: a principal, never the bearer token itself."""
    return AuthenticatedUser(
        AccessToken(
            token=f"person:{caller.person_id}",  # an opaque label, not a credential
            client_id=caller.client_id,
            scopes=caller.sorted_scopes(),
            resource=settings.DEPLOYMENT.mcp_resource_url,
            subject=str(caller.person_id),
            claims={"iss": settings.DEPLOYMENT.public_url},
        )
    )


class BearerAuthentication:
    def __init__(self, app: ASGIApp) -> None:
        self.app = AuthContextMiddleware(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token, sent = bearer_token(scope)
        caller = await caller_authenticate(token)
        if caller is None:
            await challenges.unauthorized(token_sent=sent)(scope, receive, send)
            return
        user = sdk_user(caller)
        scope = {
            **scope,
            "user": user,
            "auth": AuthCredentials(user.scopes),
            CALLER_SCOPE_KEY: caller,
        }
        reset = CALLER.set(caller)
        try:
            if long_lived(scope):
                await watched(self.app, caller, scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            CALLER.reset(reset)


def long_lived(scope: Scope) -> bool:
    """A stream rather than one exchange: the legacy GET stream and /sse (both GET), and a
    2026-07-28 subscriptions/listen (its Mcp-Method header). A tool call in flight is never
    cut short by a revocation; its token just cannot be used again."""
    method = header_value(scope, b"mcp-method")
    return bool(scope["method"] == "GET" or method == "subscriptions/listen")


async def watched(app: ASGIApp, caller: Caller, scope: Scope, receive: Receive, send: Send) -> None:
    """Run a stream until it ends, its token expires, or its token is revoked on any process."""
    state = {"started": False, "complete": False}

    async def tracked(message: Message) -> None:
        state["started"] |= message["type"] == "http.response.start"
        state["complete"] |= message["type"] == "http.response.body" and not message.get(
            "more_body", False
        )
        await send(message)

    with anyio.CancelScope() as stream:
        stream.deadline = anyio.current_time() + (caller.expires - timezone.now()).total_seconds()

        async def end() -> None:
            stream.cancel()

        async with registry.watching(caller.token_pk, end):
            await app(scope, receive, tracked)
    if stream.cancelled_caught and state["started"] and not state["complete"]:
        # End the response properly: daphne would otherwise keep the connection open.
        await send({"type": "http.response.body", "body": b"", "more_body": False})

"""Long-lived streams, and the one channel-layer listener each process runs for them.

Every request and every WebSocket message validates its token again, so a revoked token can
make no further call anywhere. What outlives a revocation are open streams: the legacy GET
stream, a /sse stream, a 2026-07-28 ``subscriptions/listen`` response, a WebSocket. Each is
registered here under its access token; django-oauth-toolkit revokes a token by deleting its
row, and ``token_revocation_broadcast`` (a post_delete receiver) tells every process over the
channel layer (Redis when REDIS_URL is set), whose listener ends the streams of that token.

The same listener forgets revoked tokens, deactivated people and disabled clients in this
process's token cache (mcp_gateway.token_cache), and receives the /sse messages another process
relays (``mcp_gateway.relay``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from channels.layers import get_channel_layer

from graph_tools.access_token_cache import access_tokens
from mcp_gateway.token_cache import tokens

logger = logging.getLogger(__name__)

GROUP = "mcp_gateway.streams"  # every process's listener channel is a member
RECEIVE_SECONDS = 2
REJOIN_SECONDS = 3600  # well inside the channel layer's group expiry (a day by default)

OnRevoke = Callable[[], Awaitable[None]]
Handler = Callable[[dict[str, Any]], Awaitable[None]]


class StreamRegistry:
    """This process's open streams by access token, and its listener on the channel layer."""

    def __init__(self) -> None:
        self.streams: dict[int, set[OnRevoke]] = defaultdict(set)
        self.handlers: dict[str, Handler] = {
            "token.revoked": self.revoked,
            "callers.forget": callers_forgotten,
            "microsoft_tokens.forget": microsoft_tokens_forgotten,
        }
        self.channel = ""
        self._listener: asyncio.Task[None] | None = None
        self._joined = 0.0

    async def listening(self) -> str:
        """This process's channel name, once its listener runs (started on first use)."""
        layer = get_channel_layer()
        if self._listener is None or self._listener.done() or _other_loop(self._listener):
            self.channel = await layer.new_channel()
            self._listener = asyncio.get_running_loop().create_task(self.listen(layer))
            self._joined = 0.0
        if time.monotonic() - self._joined > REJOIN_SECONDS or not self._joined:
            await layer.group_add(GROUP, self.channel)
            self._joined = time.monotonic()
        return self.channel

    async def listen(self, layer: Any) -> None:
        while True:
            try:
                # Bounded waits: under daphne (Twisted's asyncio reactor) a blocking Redis read
                # was seen not to resume on a quiet loop; a timer keeps the listener live.
                # channels_redis keeps a message safe when a receive is cancelled.
                message = await asyncio.wait_for(layer.receive(self.channel), RECEIVE_SECONDS)
            except TimeoutError:
                continue
            handler = self.handlers.get(message.get("type", ""))
            try:
                if handler is not None:
                    await handler(message)
            except Exception:
                logger.exception("MCP stream message %s failed", message.get("type"))

    @asynccontextmanager
    async def watching(self, token_pk: int, on_revoke: OnRevoke) -> AsyncIterator[None]:
        await self.listening()
        self.streams[token_pk].add(on_revoke)
        try:
            yield
        finally:
            self.streams[token_pk].discard(on_revoke)
            if not self.streams[token_pk]:
                del self.streams[token_pk]

    async def revoked(self, message: dict[str, Any]) -> None:
        token_pk = int(message["token"])
        tokens.evict(token_pk=token_pk)
        for on_revoke in list(self.streams.pop(token_pk, ())):
            await on_revoke()


async def callers_forgotten(message: dict[str, Any]) -> None:
    tokens.evict(person_id=message.get("person"), client_pk=message.get("client"))


async def microsoft_tokens_forgotten(message: dict[str, Any]) -> None:
    access_tokens.clear()


def _other_loop(task: asyncio.Task[None]) -> bool:
    return task.get_loop() is not asyncio.get_running_loop()


registry = StreamRegistry()

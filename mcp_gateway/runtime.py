"""Starts the SDK's session manager exactly once per process, whatever the ASGI server.

uvicorn sends the ASGI ``lifespan`` protocol, so the manager starts with the process; daphne
never does, so the first MCP request starts it. Both paths go through ``McpRuntime.start``.
Companions (the in-process token refresh) start and stop with the manager.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from collections.abc import MutableMapping, Sequence
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class SessionManager(Protocol):
    def run(self) -> Any: ...


class Companion(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class McpRuntime:
    def __init__(self, manager: SessionManager, *, companions: Sequence[Companion] = ()) -> None:
        self.manager = manager
        self.companions = companions
        self._ready: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._ready is None:
            self._ready, self._stop = asyncio.Event(), asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._serve())
        await self._ready.wait()
        if self._task is not None and self._task.done():
            self._task.result()  # re-raise why the manager could not start

    async def stop(self) -> None:
        if self._stop is not None and self._task is not None:
            self._stop.set()
            await self._task

    async def _serve(self) -> None:
        assert self._ready is not None
        assert self._stop is not None
        try:
            async with self.manager.run():
                for companion in self.companions:
                    await companion.start()
                heap_freeze()
                self._ready.set()
                try:
                    await self._stop.wait()
                finally:
                    for companion in self.companions:
                        await companion.stop()
        finally:
            self._ready.set()

    async def lifespan(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """The ASGI lifespan protocol (asgi.readthedocs.io, "Lifespan Protocol")."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.start()
                except Exception as exc:
                    logger.exception("MCP session manager failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def wrap(self, app: Any) -> Any:
        """An ASGI app that makes sure the manager runs before ``app`` handles a request."""

        async def started_app(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
            await self.start()
            await app(scope, receive, send)

        return started_app


@functools.cache  # once per process
def heap_freeze() -> None:
    """Leave what start-up built out of every later garbage collection.

    Django, the SDK and the tools' schemas make a heap of about 150,000 objects that live as
    long as the process. A full collection walked all of them, about 0.2 s each, every few
    hundred requests under load: a third of a request's CPU (docs/performance.md).
    ``gc.freeze()`` moves them to a permanent generation the collector skips (Python docs,
    "gc.freeze"); ``gc.collect()`` first, so that no garbage is kept with them.
    """
    gc.collect()
    gc.freeze()

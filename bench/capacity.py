"""Capacity: many open client streams on one server process, and what each one costs.

Opens ``count`` legacy GET SSE streams (each on a 2025-11-25 session of its own) and then
``count`` WebSocket sessions (``initialize`` answered), holds them, and reads the process's
resident memory before, between and after; the caller measures tool calls meanwhile.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.load import Connection, Exchange
from bench.workloads import ACCEPT, LEGACY, Cell, plan

OPENING_AT_ONCE = 32


async def sse_stream_open(
    stack: AsyncExitStack, *, port: int, token: str, gate: asyncio.Semaphore
) -> None:
    """A session, then its standalone GET stream, held until the stack closes."""
    host = f"127.0.0.1:{port}"
    steps = plan(Cell("whoami", LEGACY), path="/mcp", token=token, getemails_arguments={})["setup"]
    async with gate:
        loop = asyncio.get_running_loop()
        transport, connection = await loop.create_connection(Connection, "127.0.0.1", port)
        session = None
        for step in steps:
            response = await connection.exchange(Exchange(**step).wire(host, session))
            session = response.headers.get("mcp-session-id", session)
        transport.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        headers = {
            "Host": host,
            **ACCEPT,
            "Authorization": f"Bearer {token}",
            "Mcp-Session-Id": session or "",
            "MCP-Protocol-Version": LEGACY,
        }
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(f"GET /mcp HTTP/1.1\r\n{head}\r\n".encode("latin-1"))
        status = await reader.readuntil(b"\r\n\r\n")
        if not status.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"the GET stream was refused: {status[:80]!r}")
    stack.callback(writer.close)


async def websocket_open(
    stack: AsyncExitStack, *, port: int, token: str, gate: asyncio.Semaphore
) -> None:
    async with gate:
        ws: ClientConnection = await stack.enter_async_context(
            connect(
                f"ws://127.0.0.1:{port}/ws",
                subprotocols=[Subprotocol("mcp")],
                additional_headers={"Authorization": f"Bearer {token}"},
                ping_interval=None,
                open_timeout=60,
            )
        )
        await ws.send(json.dumps(plan_initialize()))
        answer = json.loads(await ws.recv(decode=True))
        if "result" not in answer:
            raise RuntimeError(f"the WebSocket session was refused: {answer}")
        await ws.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))


def plan_initialize() -> dict[str, Any]:
    setup = plan(Cell("whoami", LEGACY), path="/", token=None, getemails_arguments={})["setup"]
    initialize: dict[str, Any] = json.loads(setup[0]["body"])
    return initialize


@asynccontextmanager
async def held(kind: str, *, count: int, port: int, token: str) -> AsyncIterator[None]:
    """``count`` open streams of ``kind`` ("sse" or "websocket") while the block runs."""
    opener = sse_stream_open if kind == "sse" else websocket_open
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    async with AsyncExitStack() as stack:
        await asyncio.gather(
            *(opener(stack, port=port, token=token, gate=gate) for _ in range(count))
        )
        yield

"""The load generator: a process of its own, driving one target with N keep-alive connections.

    python -m bench.load < plan.json   (prints one JSON line of results)

Each connection is one client: in the 2025-11-25 era it first opens its own session
(``setup``), then it sends the measured request again and again until the time is up. HTTP/1.1
is spoken directly over asyncio with httptools' parser (what uvicorn uses), so the generator
costs little next to the servers it measures: a pure-Python client would be the bottleneck
long before the raw ASGI ceiling is.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any, cast

import httptools

SESSION_HEADER = "mcp-session-id"
TOOL_ERROR = b'"isError":true'


@dataclass(frozen=True)
class Exchange:
    path: str
    headers: dict[str, str]
    body: str
    expect: int = 200

    def wire(self, host: str, session: str | None) -> bytes:
        body = self.body.encode()
        headers = {"Host": host, **self.headers, "Content-Length": str(len(body))}
        if session is not None:
            headers["Mcp-Session-Id"] = session
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return f"POST {self.path} HTTP/1.1\r\n{head}\r\n".encode("latin-1") + body


@dataclass
class Response:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection; ``exchange`` sends a request and reads its answer."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.response = Response()
        self.done: asyncio.Future[Response] | None = None
        self._name = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(exc or ConnectionError("the server closed the connection"))

    def _fail(self, exc: Exception) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_exception(exc)

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.response.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.response.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self.response.body += body

    def on_message_complete(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(self.response)

    async def exchange(self, request: bytes) -> Response:
        assert self.transport is not None
        self.response = Response()
        self.done = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.done


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def check(self, response: Response, expect: int) -> None:
        if response.status != expect or TOOL_ERROR in response.body:
            self.errors += 1
            self.first_error = (
                self.first_error or f"{response.status} {bytes(response.body)[:200]!r}"
            )


async def client(plan: dict[str, Any], tally: Tally, start: float, stop: float) -> None:
    loop = asyncio.get_running_loop()
    host = f"{plan['host']}:{plan['port']}"
    _, connection = await loop.create_connection(Connection, plan["host"], plan["port"])
    session = None
    for step in plan.get("setup", []):
        exchange = Exchange(**step)
        response = await connection.exchange(exchange.wire(host, session))
        tally.check(response, exchange.expect)
        session = response.headers.get(SESSION_HEADER, session)
    measured = Exchange(**plan["request"])
    request = measured.wire(host, session)
    while (now := time.perf_counter()) < stop:
        response = await connection.exchange(request)
        if now >= start:
            tally.latencies.append(time.perf_counter() - now)
            tally.check(response, measured.expect)
    assert connection.transport is not None
    connection.transport.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000 if ordered else 0.0


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    tally = Tally()
    start = time.perf_counter() + plan.get("warmup", 0.5)
    stop = start + plan["duration"]
    await asyncio.gather(*(client(plan, tally, start, stop) for _ in range(plan["concurrency"])))
    count = len(tally.latencies)
    return {
        "requests": count,
        "errors": tally.errors,
        "first_error": tally.first_error,
        "rps": count / plan["duration"],
        "p50": percentile(tally.latencies, 0.50),
        "p95": percentile(tally.latencies, 0.95),
        "p99": percentile(tally.latencies, 0.99),
    }


def main() -> None:
    import uvloop  # uvicorn[standard] brings it

    plan = json.load(sys.stdin)
    print(json.dumps(uvloop.run(run(plan))), flush=True)


if __name__ == "__main__":
    main()

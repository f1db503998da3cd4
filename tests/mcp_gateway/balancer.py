"""A round-robin TCP balancer for tests: each new connection goes to the next backend.

Clients that open one connection per request (no keep-alive) are thereby spread request by
request, like behind a load balancer without session affinity.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from tests.processes import free_port


class RoundRobin:
    def __init__(self) -> None:
        self.backends: Iterator[int] = iter(())
        self.connections: Counter[int] = Counter()
        self.last = 0  # the backend of the latest connection
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def route(self, backends: list[int]) -> None:
        self.backends = itertools.cycle(backends)

    async def serve(self, started: threading.Event, stop: asyncio.Event) -> None:
        server = await asyncio.start_server(self.forward, "127.0.0.1", self.port)
        started.set()
        async with server:
            await stop.wait()

    async def forward(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        backend = self.last = next(self.backends)
        self.connections[backend] += 1
        backend_in, backend_out = await asyncio.open_connection("127.0.0.1", backend)
        await asyncio.gather(pipe(client_in, backend_out), pipe(backend_in, client_out))


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with suppress(ConnectionError):
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
    with suppress(ConnectionError, RuntimeError):
        sink.close()


@contextmanager
def round_robin() -> Iterator[RoundRobin]:
    """Run the balancer on its own thread and event loop; ``route`` it to the backends."""
    balancer, started = RoundRobin(), threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(balancer.serve(started, stop))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield balancer
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)

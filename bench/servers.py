"""Measure uvicorn against daphne for this application, to choose the run command's default.

    .venv/bin/python -m bench.servers [--requests 2000] [--concurrency 16]

Starts the real server under each ASGI server on 127.0.0.1 (SQLite, as `make run` does),
drives it from this separate process with an asyncio HTTP client (the MCP request with a token
stored as the authorization server stores one), and prints a table of
throughput and latency per workload. Nothing is asserted: the numbers are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx2

from tests.processes import database_url, mint_token, running_server

MODERN_HEADERS = {
    "content-type": "application/json",
    "accept": "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": "server/discover",
}
DISCOVER = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "server/discover",
    "params": {
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
        }
    },
}


async def drive(
    base: str, token: str, workload: str, requests: int, concurrency: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one() -> None:
            if workload == "healthz":
                response = await client.get("/healthz")
            else:
                headers = {**MODERN_HEADERS, "Authorization": f"Bearer {token}"}
                response = await client.post("/mcp", json=DISCOVER, headers=headers)
            response.raise_for_status()

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                await one()
                latencies.append(time.perf_counter() - started)

        for _ in range(concurrency):  # warm-up
            await one()
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, latencies


def percentile(values: list[float], fraction: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * fraction))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    rows = []
    for server in ("uvicorn", "daphne"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_server(
                server=server, database=Path(tmp) / "db.sqlite3", env={"LOG_LEVEL": "warning"}
            ) as base,
        ):
            env = {"DATABASE_URL": database_url(Path(tmp) / "db.sqlite3")}
            token = mint_token(server_url=base, env=env, person="bench")
            for workload in ("healthz", "mcp server/discover"):
                rate, latencies = asyncio.run(
                    drive(base, token, workload, args.requests, args.concurrency)
                )
                rows.append(
                    (
                        server,
                        workload,
                        rate,
                        statistics.median(latencies) * 1000,
                        percentile(latencies, 0.99),
                    )
                )
    print(f"\n{args.requests} requests per workload, concurrency {args.concurrency}\n")
    print("| server | workload | req/s | p50 ms | p99 ms | vs uvicorn |")
    print("|---|---|---:|---:|---:|---:|")
    baseline = {workload: rate for server, workload, rate, *_ in rows if server == "uvicorn"}
    for server, workload, rate, p50, p99 in rows:
        print(
            f"| {server} | {workload} | {rate:.0f} | {p50:.1f} | {p99:.1f} | "
            f"{rate / baseline[workload]:.2f} |"
        )


if __name__ == "__main__":
    main()

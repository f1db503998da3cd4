"""CPU per request, without the network: ours and the peer called as ASGI apps in-process.

    .venv/bin/python -m bench.inprocess [--requests 3000] [--clients 16] [--era 2026-07-28]

Each target runs in a process of its own (ours freezes its heap when it starts, which would
spare the peer's collections too), on a temporary SQLite database, with a token written
straight into it. Each sends ``whoami`` calls through the whole ASGI application and reports
the process's CPU time per call (all threads) and what the garbage collector cost, by
generation. No sockets, no load generator and no other process share the measurement, so the
figures repeat to a few percent on a busy machine, where the HTTP benchmark's move by 20 %.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.targets import SETTINGS, manage
from bench.workloads import ERAS, MODERN, Cell, plan
from tests.processes import mint_token, server_env

Asgi = Any
HOST, PORT = "127.0.0.1", 8765  # never listened on: requests go straight to the app
URL = f"http://{HOST}:{PORT}"


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--era", choices=ERAS, default=MODERN)
    parser.add_argument("--target", choices=("ours", "peer"), help="measure one, print JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    if args.target:
        print(json.dumps(asyncio.run(measured(args))))
        return
    print(f"whoami, {args.era}, {args.clients} at a time, {args.requests} calls")
    print("| target | CPU ms per call | GC ms per call | collections (gen 0/1/2) |")
    print("|---|---:|---:|---|")
    for target in ("peer", "ours"):
        row = one_target(target, args)
        counts = "/".join(str(row["collections"].get(str(g), 0)) for g in range(3))
        print(f"| {target} | {row['cpu_ms']:.2f} | {row['gc_ms']:.2f} | {counts} |")


def one_target(target: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.inprocess", "--target", target]
    command += ["--requests", str(args.requests), "--clients", str(args.clients)]
    with tempfile.TemporaryDirectory() as directory:
        env = {"DATABASE_URL": f"sqlite:///{Path(directory) / 'db.sqlite3'}", "PUBLIC_URL": URL}
        if target == "ours":
            manage("migrate", "--noinput", "-v", "0", env=env)
            env["BENCH_TOKEN"] = mint_token(server_url=URL, env=env, person="alice")
        done = subprocess.run(
            [*command, "--era", args.era],
            env=server_env({**SETTINGS, **env}),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{target} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


async def measured(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    app, token = await asgi_app(args.target)
    async with Lifespan(app):
        request = plan(Cell("whoami", args.era), path="/mcp", token=token, getemails_arguments={})
        # As in the HTTP benchmark, each client of a 2025-11-25 cell has a session of its own
        # (requests of one session share its ids).
        sessions = [await opened(app, request["setup"]) for _ in range(args.clients)]
        for _ in range(100):  # warm-up: first-call caches, the SDK's lazy schemas
            await exchange(app, request["request"], sessions[0])
        pauses: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        started: dict[int, float] = {}

        def timed(phase: str, info: dict[str, int]) -> None:
            generation = info["generation"]
            if phase == "start":
                started[generation] = time.perf_counter()
            else:
                pauses[generation] += time.perf_counter() - started.pop(generation)
                counts[generation] += 1

        gc.callbacks.append(timed)
        cpu = time.process_time()
        for _ in range(args.requests // args.clients):
            calls = (exchange(app, request["request"], session) for session in sessions)
            await asyncio.gather(*calls)
        cpu = time.process_time() - cpu
        gc.callbacks.remove(timed)
    calls = args.requests // args.clients * args.clients
    return {
        "cpu_ms": cpu * 1000 / calls,
        "gc_ms": sum(pauses.values()) * 1000 / calls,
        "collections": counts,
    }


async def asgi_app(target: str) -> tuple[Asgi, str | None]:
    if target == "peer":
        from bench.peer import peer_server
        from mcp_gateway.tools import Identity

        who = Identity(name="Alice", username="alice", client="bench", scopes=["mail.read"])
        return peer_server(who, "").streamable_http_app(), None
    from config.asgi import application

    return application, os.environ["BENCH_TOKEN"]


class Lifespan:
    """The ASGI lifespan protocol around the measurement, as a server would drive it."""

    def __init__(self, app: Asgi) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def __aenter__(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.ensure_future(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        await self.outbox.get()

    async def __aexit__(self, *exc: object) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self.outbox.get()
        await self.task


async def opened(app: Asgi, setup: list[dict[str, Any]]) -> str | None:
    """The session the setup steps open (None in the 2026-07-28 era, which has none)."""
    session = None
    for step in setup:
        session = (await exchange(app, step, session)).get("mcp-session-id", session)
    return session


async def exchange(app: Asgi, step: dict[str, Any], session: str | None) -> dict[str, str]:
    """One request through the app; its response headers (the body is read and dropped)."""
    body = step["body"].encode()
    headers = {**step["headers"], "Host": f"{HOST}:{PORT}", "Content-Length": str(len(body))}
    if session:
        headers["Mcp-Session-Id"] = session
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": step["path"],
        "raw_path": step["path"].encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5555),
        "server": (HOST, PORT),
    }
    answered = asyncio.Event()
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    response: dict[str, str] = {}

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            response.update((k.decode(), v.decode()) for k, v in message["headers"])
            if message["status"] != step["expect"]:
                raise RuntimeError(f"answered {message['status']}, expected {step['expect']}")
        elif not message.get("more_body", False):
            answered.set()

    await app(scope, receive, send)
    return response


if __name__ == "__main__":
    main()

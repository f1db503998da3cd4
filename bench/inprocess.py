"""CPU per request, without the network: ours and the peer called as ASGI apps in-process.

    .venv/bin/python -m bench.inprocess [--requests 3000] [--clients 16] [--era 2026-07-28]
                                        [--workload whoami|getEmails]

Each target runs in a process of its own (ours freezes its heap when it starts, which would
spare the peer's collections too), on a temporary SQLite database, with a token written
straight into it. Each sends tool calls through the whole ASGI application and reports the
process's CPU time per call (all threads) and what the garbage collector cost, by generation.
No sockets to the application, no load generator and no other busy process share the
measurement, so the figures repeat to a few percent on a busy machine, where the HTTP
benchmark's move by 20 %. ``getEmails`` calls the fake of Microsoft (bench.fake_graph, its own
process, whose CPU is not counted) through the Graph client, with a Microsoft token stored for
ours as a sign-in would store it and held directly by the peer.
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

import uvloop

from bench.fake_graph import GRAPH_PERMISSIONS, FakeProcess, fake_process
from bench.load import TOOL_ERROR
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
    parser.add_argument("--workload", choices=("whoami", "getEmails"), default="whoami")
    parser.add_argument("--target", choices=("ours", "peer"), help="measure one, print JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    if args.target:
        # The event loop uvicorn's loop="auto" picks, as `manage.py serve` runs the targets.
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            print(json.dumps(runner.run(measured(args))))
        return
    print(f"{args.workload}, {args.era}, {args.clients} at a time, {args.requests} calls")
    print("| target | CPU ms per call | GC ms per call | collections (gen 0/1/2) |")
    print("|---|---:|---:|---|")
    with fake_process() as fake:
        rows = [(target, one_target(target, args, fake)) for target in ("peer", "ours")]
    for target, row in rows:
        counts = "/".join(str(row["collections"].get(str(g), 0)) for g in range(3))
        print(f"| {target} | {row['cpu_ms']:.2f} | {row['gc_ms']:.2f} | {counts} |")


def one_target(target: str, args: argparse.Namespace, fake: FakeProcess) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.inprocess", "--target", target]
    command += ["--requests", str(args.requests), "--clients", str(args.clients)]
    command += ["--era", args.era, "--workload", args.workload]
    issued = fake.issue_tokens("alice", GRAPH_PERMISSIONS)
    folder = fake.folder_id(issued["access_token"], "Newsletters")
    with tempfile.TemporaryDirectory() as directory:
        env = {
            **fake.env(),
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'db.sqlite3'}",
            "PUBLIC_URL": URL,
            "BENCH_FOLDER": folder,
            "BENCH_GRAPH_TOKEN": issued["access_token"],
        }
        if target == "ours":
            manage("migrate", "--noinput", "-v", "0", env=env)
            env["BENCH_TOKEN"] = mint_token(server_url=URL, env={**SETTINGS, **env}, person="alice")
            connect(env, issued)
        done = subprocess.run(
            command,
            env=server_env({**SETTINGS, **env}),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{target} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


CONNECT = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from graph_tools.services import connection_store
issued = json.loads(sys.argv[1])
connection_store(user=User.objects.get(username="alice"), tenant_id="bench-tenant",
                 object_id="bench-alice", username="alice@contoso.example",
                 display_name="Alice", token_response=issued,
                 granted_permissions=issued["scope"].split())
"""


def connect(env: dict[str, str], issued: dict[str, Any]) -> None:
    """Store alice's Microsoft tokens in ours' database, as her sign-in would."""
    subprocess.run(
        [sys.executable, "-c", CONNECT, json.dumps(issued)],
        env=server_env({**SETTINGS, **env}),
        check=True,
        timeout=60,
    )


async def measured(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    app, token = await asgi_app(args.target)
    async with Lifespan(app):
        arguments = {"count": 10, "folder": os.environ["BENCH_FOLDER"], "timeZone": "UTC"}
        cell = Cell(args.workload, args.era)
        request = plan(cell, path="/mcp", token=token, getemails_arguments=arguments)
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
        return peer_server(who, os.environ["BENCH_GRAPH_TOKEN"]).streamable_http_app(), None
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
        else:
            if TOOL_ERROR in message.get("body", b""):  # an error is no measurement of a call
                raise RuntimeError(f"a tool error: {message['body'][:300]!r}")
            if not message.get("more_body", False):
                answered.set()

    await app(scope, receive, send)
    return response


if __name__ == "__main__":
    main()

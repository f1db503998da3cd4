"""The benchmark: the gateway against a bare mcp SDK server and a raw ASGI ceiling.

    .venv/bin/python -m bench            # `make bench`: every cell, short runs (< 5 minutes)
    .venv/bin/python -m bench --full     # `make bench-full`: longer runs per cell
    .venv/bin/python -m bench --quick    # seconds: proves the pipeline works (tests use it)

Everything runs on 127.0.0.1: the fake of Microsoft (a process of its own, answering from
memory: bench.fake_graph), the real server (`manage.py serve`, under
uvicorn and under daphne, each on a database of its own) with a token from the real OAuth flow,
the peer (bench.peer), the ceiling (bench.ceiling), and for each cell a load generator process
(bench.load); each cell is measured for every target in turn. It prints the
tables and writes them with a chart to bench/results/ (git-ignored). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bench import capacity, targets
from bench.fake_graph import GRAPH_PERMISSIONS, FakeProcess, fake_process
from bench.load import TOOL_ERROR, Connection, Exchange
from bench.report import CEILING, OURS, PEER, Results, write
from bench.workloads import ERAS, MODERN, WORKLOADS, Cell, plan
from tests.e2e.conftest import LiveServer
from tests.e2e.m365_session import sign_in
from tests.fakes.microsoft import FakeMicrosoft
from tests.processes import REPO, database_url, free_port

RESULTS = REPO / "bench" / "results"
STEPS = ("initialize", "initialized", "request")


@dataclass(frozen=True)
class Options:
    duration: float
    warmup: float
    concurrency: tuple[int, ...]
    servers: tuple[str, ...]
    streams: int
    results: Path


def options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="tiny: a fraction of a second a cell")
    size.add_argument("--full", action="store_true", help="10 s a cell")
    parser.add_argument("--duration", type=float, help="seconds measured per cell")
    parser.add_argument("--streams", type=int, help="open SSE streams and WebSockets each")
    parser.add_argument("--servers", help="comma-separated: uvicorn,daphne")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    quick = args.quick
    return Options(
        duration=args.duration or (0.2 if quick else 10.0 if args.full else 1.5),
        warmup=0.05 if quick else 2.0 if args.full else 0.4,
        concurrency=(1, 4) if quick else (1, 16, 64),
        servers=tuple((args.servers or ("uvicorn" if quick else "uvicorn,daphne")).split(",")),
        streams=args.streams if args.streams is not None else (10 if quick else 1000),
        results=args.results,
    )


def measure(
    port: int, load_plan: dict[str, Any], concurrency: int, opts: Options
) -> dict[str, Any]:
    """One cell, driven by a load generator process of its own."""
    full = {"host": "127.0.0.1", "port": port, "concurrency": concurrency, **load_plan}
    full |= {"duration": opts.duration, "warmup": opts.warmup}
    done = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        input=json.dumps(full),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=opts.duration * 4 + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


PlanFor = Callable[[Cell], dict[str, Any]]


@dataclass(frozen=True)
class Contestant:
    name: str
    target: targets.Target
    plan_for: PlanFor
    token: str | None = None


def cells_run(contestants: list[Contestant], results: Results, opts: Options) -> None:
    """Every cell for every target in turn, so that a change in the machine's load meanwhile
    (other work on a shared machine) touches them alike and their ratios hold."""
    for era in ERAS:
        for workload in WORKLOADS:
            for concurrency in opts.concurrency:
                for one in contestants:
                    cell_plan = one.plan_for(Cell(workload, era))
                    cell = measure(one.target.port, cell_plan, concurrency, opts)
                    results.cells[(one.name, era, workload, concurrency)] = cell
                    print(
                        f"{one.name:18} {era} {workload:10} x{concurrency:<3} "
                        f"{cell['rps']:8.0f} req/s  p50 {cell['p50']:7.2f} ms  "
                        f"p99 {cell['p99']:7.2f} ms  errors {cell['errors']} "
                        f"{cell['first_error'][:120]}",
                        flush=True,
                    )


async def responses(port: int, load_plan: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each step's answer, once: (step, status + headers + body), for the ceiling to repeat."""
    host = f"127.0.0.1:{port}"
    transport, connection = await asyncio.get_running_loop().create_connection(
        Connection, "127.0.0.1", port
    )
    answers, session = [], None
    setup = load_plan["setup"]
    named = [*zip(STEPS, setup, strict=False), ("request", load_plan["request"])]
    for step, raw in named:
        exchange = Exchange(**raw)
        response = await connection.exchange(exchange.wire(host, session))
        if response.status != exchange.expect or TOOL_ERROR in response.body:
            raise RuntimeError(f"{step} answered {response.status}: {bytes(response.body)[:300]!r}")
        session = response.headers.get("mcp-session-id", session)
        keep = {
            k: v for k, v in response.headers.items() if k in ("content-type", "mcp-session-id")
        }
        answers.append(
            (step, {"status": response.status, "headers": keep, "body": response.body.decode()})
        )
    transport.close()
    return answers


def canned_write(port: int, plan_for: PlanFor, path: Path) -> dict[str, Any]:
    """The real server's answers by ceiling path, and whoami's structured result."""
    canned: dict[str, Any] = {"/healthz": {"status": 200, "headers": {}, "body": "ok"}}
    for era in ERAS:
        for workload in WORKLOADS:
            cell = Cell(workload, era)
            for step, answer in asyncio.run(responses(port, plan_for(cell))):
                canned[f"/c/{cell.slug}/{step}"] = answer
    path.write_text(json.dumps(canned))
    whoami = json.loads(canned[f"/c/{Cell('whoami', MODERN).slug}/request"]["body"])
    identity: dict[str, Any] = whoami["result"]["structuredContent"]
    return identity


async def capacity_run(
    ours: targets.Target, token: str, plan_for: PlanFor, opts: Options
) -> list[dict[str, Any]]:
    async def row(label: str, base_kib: int | None) -> dict[str, Any]:
        rss = ours.rss_kib()
        calls = {
            workload: await asyncio.to_thread(
                measure, ours.port, plan_for(Cell(workload, MODERN)), 16, opts
            )
            for workload in ("whoami", "getEmails")
        }
        per = (rss - base_kib) / opts.streams if base_kib is not None and opts.streams else None
        print(f"capacity: {label}: RSS {rss / 1024:.0f} MiB", flush=True)
        return {"label": label, "rss_kib": rss, "kib_per_stream": per, **calls}

    rows = [await row("none", None)]
    count, port = opts.streams, ours.port
    async with capacity.held("sse", count=count, port=port, token=token):
        rows.append(await row(f"{count} legacy GET SSE streams", rows[0]["rss_kib"]))
        async with capacity.held("websocket", count=count, port=port, token=token):
            rows.append(await row(f"and {count} WebSocket sessions", rows[1]["rss_kib"]))
    return rows


def main(argv: list[str] | None = None) -> None:
    opts = options(argv)
    results = Results(
        settings={
            "seconds per cell": opts.duration,
            "warm-up s": opts.warmup,
            "clients": "/".join(map(str, opts.concurrency)),
            "streams": opts.streams,
        }
    )
    with (
        tempfile.TemporaryDirectory() as directory,
        fake_process() as fake,
        ExitStack() as running,
    ):
        tmp = Path(directory)
        graph_token = fake.issue_tokens("alice", GRAPH_PERMISSIONS)["access_token"]
        newsletters = fake.folder_id(graph_token, "Newsletters")
        arguments = {"count": 10, "folder": newsletters, "timeZone": "UTC"}
        ours = [
            running.enter_context(ours_signed_in(server, fake, tmp, arguments))
            for server in opts.servers
        ]
        identity = canned_write(ours[0].target.port, ours[0].plan_for, tmp / "canned.json")
        peer = running.enter_context(
            targets.peer(
                port=free_port(),
                identity=json.dumps(identity),
                graph_token=graph_token,
                env={**fake.env(), "DATABASE_URL": database_url(tmp / "peer.sqlite3")},
                log=tmp / "peer.log",
            )
        )
        ceiling = running.enter_context(
            targets.ceiling(port=free_port(), canned=tmp / "canned.json", log=tmp / "ceiling.log")
        )
        contestants = [
            Contestant(CEILING, ceiling, _planner(None, arguments, ceiling=True)),
            Contestant(PEER, peer, _planner(None, arguments)),
            *ours,
        ]
        cells_run(contestants, results, opts)
        if opts.streams:
            first = ours[0]
            assert first.token is not None
            results.capacity = asyncio.run(
                capacity_run(first.target, first.token, first.plan_for, opts)
            )
    text = write(results, opts.results)
    print("\n" + text)
    print(f"Written to {opts.results}/summary.md and {opts.results}/throughput.png")
    failed = [key for key, cell in results.cells.items() if cell["errors"]]
    if failed:  # a figure made of failed requests is no figure: say so, loudly
        sys.exit(f"{len(failed)} cells had failed requests, first {failed[0]}: see the table")


@contextmanager
def ours_signed_in(
    server: str, fake: FakeProcess, tmp: Path, arguments: dict[str, Any]
) -> Iterator[Contestant]:
    """The real server on a database of its own, and alice's token from the real OAuth flow."""
    env = {**fake.env(), "DATABASE_URL": database_url(tmp / f"{server}.sqlite3")}
    port = free_port()
    with targets.ours(server, port=port, env=env, log=tmp / f"{server}.log") as target:
        fake.register_redirect_uri(f"{target.url}/oauth/microsoft/callback")
        # sign_in drives the fake through url and sign_in_as only, which the process has too.
        token = sign_in(LiveServer(target.url, cast(FakeMicrosoft, fake), env), "alice")
        yield Contestant(f"{OURS} ({server})", target, _planner(token, arguments), token)


def _planner(token: str | None, arguments: dict[str, Any], *, ceiling: bool = False) -> PlanFor:
    def planned(cell: Cell) -> dict[str, Any]:
        paths = {step: f"/c/{cell.slug}/{step}" for step in STEPS} if ceiling else None
        return plan(cell, path="/mcp", token=token, getemails_arguments=arguments, paths=paths)

    return planned


if __name__ == "__main__":
    main()

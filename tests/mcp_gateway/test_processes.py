"""Two server processes behind a round-robin balancer (shared database and Redis).

Every client generation works request by request on whichever process it reaches: modern
clients need nothing shared; legacy sessions and /sse streams are relayed to the process that
holds them (mcp_gateway.relay); revoking a token ends its streams on both processes
(mcp_gateway.streams). Runs in the PostgreSQL + Redis leg (REDIS_URL set).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import httpx2
import pytest
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from websockets.asyncio.client import connect

from tests.mcp_gateway.balancer import RoundRobin, round_robin
from tests.mcp_gateway.conftest import ACCEPT, INITIALIZE, Served
from tests.mcp_gateway.test_revocation import stream_ends
from tests.mcp_gateway.test_websocket import MCP, opened, ws_url
from tests.processes import database_url as server_database_url
from tests.processes import running_server, server_env

CALLS = 50


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[Served, RoundRobin]]:
    redis = os.environ.get("REDIS_URL", "")
    if not redis:  # as tests/conftest.py's redis_url, for a module-scoped fixture
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("needs REDIS_URL (runs in the PostgreSQL + Redis leg of .ci/run)")
    database = Path(tmp_path_factory.mktemp("db")) / "db.sqlite3"
    database_url = server_database_url(database)
    with round_robin() as balancer:
        env = {"PUBLIC_URL": balancer.url, "REDIS_URL": redis, "DATABASE_URL": database_url}
        with (
            running_server(env=env, database=database) as first,
            running_server(env=env, database=database) as second,
        ):
            balancer.route([int(urlsplit(url).port or 0) for url in (first, second)])
            yield Served(balancer.url, server_env(env)), balancer


def one_connection_per_request(token: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        limits=httpx2.Limits(max_keepalive_connections=0),
        timeout=30,
    )


@pytest.mark.parametrize(("mode", "person"), [("legacy", "lena"), ("auto", "mo")])
async def test_it_serves_every_call_of_a_client(cluster, mode, person) -> None:
    served, balancer = cluster
    before = dict(balancer.connections)
    token = served.token_for(person)
    async with (
        one_connection_per_request(token) as http,
        Client(streamable_http_client(f"{served.url}/mcp", http_client=http), mode=mode) as client,
    ):
        for _ in range(CALLS):
            result = await client.call_tool("whoami", {})
            assert not result.is_error
            assert result.structured_content["username"] == person
    spread = {port: count - before.get(port, 0) for port, count in balancer.connections.items()}
    assert len(spread) == 2
    assert min(spread.values()) >= CALLS / 2  # both processes served the session's requests


async def test_it_serves_a_sse_client(cluster) -> None:
    served, _ = cluster
    token = served.token_for("sid")

    def factory(
        headers: dict[str, str] | None = None,
        timeout: httpx2.Timeout | None = None,
        auth: httpx2.Auth | None = None,
    ) -> httpx2.AsyncClient:
        no_reuse = httpx2.Limits(max_keepalive_connections=0)
        return httpx2.AsyncClient(headers=headers, timeout=timeout, auth=auth, limits=no_reuse)

    transport = sse_client(
        f"{served.url}/sse",
        headers={"Authorization": f"Bearer {token}"},
        httpx_client_factory=factory,
    )
    async with Client(transport, mode="legacy") as client:
        for _ in range(10):
            result = await client.call_tool("whoami", {})
            assert result.structured_content["username"] == "sid"


async def test_revoking_ends_the_streams_on_both_processes(cluster) -> None:
    served, balancer = cluster
    token = served.token_for("rita")
    headers = {"Authorization": f"Bearer {token}"}
    before = dict(balancer.connections)
    async with (
        httpx2.AsyncClient(base_url=served.url, headers=headers, timeout=30) as first,
        httpx2.AsyncClient(base_url=served.url, headers=headers, timeout=30) as second,
        first.stream("GET", "/sse") as one,
        second.stream("GET", "/sse") as other,
        connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws,
        connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws2,
    ):
        assert (one.status_code, other.status_code) == (200, 200)
        await opened(ws)
        await opened(ws2)
        opened_on = [count - before.get(port, 0) for port, count in balancer.connections.items()]
        assert opened_on == [2, 2]  # a stream and a WebSocket on each process
        served.revoke(token)  # through the balancer: one of the two processes
        await stream_ends(one)
        await stream_ends(other)
        with anyio.fail_after(15):
            await ws.wait_closed()
            await ws2.wait_closed()
    assert (ws.close_code, ws2.close_code) == (4401, 4401)
    whoami = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}}
    after = httpx2.post(f"{served.url}/mcp", json=whoami, headers=headers)
    assert after.status_code == 401
    assert json.loads(after.text)["error"] == "invalid_token"


async def test_revoking_ends_a_relayed_legacy_stream(cluster) -> None:
    served, balancer = cluster
    token = served.token_for("ravi")
    headers = {**ACCEPT, "Authorization": f"Bearer {token}"}
    async with one_connection_per_request(token) as http:
        opening = await http.post(f"{served.url}/mcp", json=INITIALIZE, headers=headers)
        owner = balancer.last  # the process that holds the session
        session = {**headers, "Mcp-Session-Id": opening.headers["mcp-session-id"]}
        session["MCP-Protocol-Version"] = "2025-11-25"
        initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        await http.post(f"{served.url}/mcp", json=initialized, headers=session)  # other process
        await http.get(f"{served.url}/healthz")  # so that the stream lands on the other process
        async with http.stream("GET", f"{served.url}/mcp", headers=session) as stream:
            assert stream.status_code == 200
            assert balancer.last != owner  # relayed to the session's owner
            served.revoke(token)
            await stream_ends(stream)
        ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
        after = await http.post(f"{served.url}/mcp", json=ping, headers=session)
    assert after.status_code == 401

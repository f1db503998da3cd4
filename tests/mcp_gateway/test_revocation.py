"""Revoking a token (deleting its row, as django-oauth-toolkit does) ends every stream it
opened, at once: the legacy GET stream, a /sse stream and a WebSocket. Here the client revokes
its token at the RFC 7009 endpoint; test_processes.py does it across two processes."""

from __future__ import annotations

import json

import anyio
import httpx2
from websockets.asyncio.client import connect

from tests.mcp_gateway.conftest import ACCEPT, INITIALIZE
from tests.mcp_gateway.test_websocket import MCP, opened, ws_url

ENDS_WITHIN = 15  # seconds; a hard deadline for "at once", not a timing measurement


async def stream_ends(response: httpx2.Response) -> None:
    with anyio.fail_after(ENDS_WITHIN):
        try:
            async for _ in response.aiter_raw():
                pass
        except (httpx2.RemoteProtocolError, httpx2.ReadError):
            pass  # the server cut the stream: also an end


async def test_it_ends_the_legacy_get_stream(served) -> None:
    carol = served.token_for("carol")
    headers = {**ACCEPT, "Authorization": f"Bearer {carol}"}
    async with httpx2.AsyncClient(base_url=served.url, timeout=30) as http:
        opening = await http.post("/mcp", json=INITIALIZE, headers=headers)
        session = {**headers, "Mcp-Session-Id": opening.headers["mcp-session-id"]}
        session["MCP-Protocol-Version"] = "2025-11-25"
        initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        await http.post("/mcp", json=initialized, headers=session)
        async with http.stream("GET", "/mcp", headers=session) as stream:
            assert stream.status_code == 200
            served.revoke(carol)
            await stream_ends(stream)
        after = await http.post(
            "/mcp", json={"jsonrpc": "2.0", "id": 9, "method": "ping"}, headers=session
        )
        assert after.status_code == 401


async def test_it_ends_a_sse_stream(served) -> None:
    dave = served.token_for("dave")
    headers = {"Authorization": f"Bearer {dave}"}
    async with (
        httpx2.AsyncClient(base_url=served.url, timeout=30) as http,
        http.stream("GET", "/sse", headers=headers) as stream,
    ):
        assert stream.status_code == 200
        served.revoke(dave)
        await stream_ends(stream)


async def test_it_closes_a_websocket(served) -> None:
    erin = served.token_for("erin")
    headers = {"Authorization": f"Bearer {erin}"}
    async with connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws:
        await opened(ws)
        served.revoke(erin)
        with anyio.fail_after(ENDS_WITHIN):
            await ws.wait_closed()
    assert ws.close_code == 4401


async def test_it_leaves_other_people_alone(served) -> None:
    frank, grace = served.token_for("frank"), served.token_for("grace")
    headers = {"Authorization": f"Bearer {frank}"}
    async with connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws:
        await opened(ws)
        served.revoke(grace)
        whoami = {"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "whoami"}}
        await ws.send(json.dumps(whoami))
        answer = json.loads(await ws.recv(decode=True))
    assert answer["result"]["structuredContent"]["username"] == "frank"

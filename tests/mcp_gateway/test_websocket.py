"""MCP over WebSocket (/ws, subprotocol mcp): authenticated by the handshake's Authorization
header and served by the same server (its end on revocation: test_revocation.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from tests.mcp_gateway.conftest import INITIALIZE

MCP = Subprotocol("mcp")


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://") + "/ws"


async def rpc(ws: ClientConnection, message: dict[str, Any]) -> dict[str, Any]:
    await ws.send(json.dumps(message))
    while True:
        answer = json.loads(await ws.recv(decode=True))
        if answer.get("id") == message["id"]:
            return dict(answer)


async def opened(ws: ClientConnection) -> None:
    assert (await rpc(ws, INITIALIZE))["result"]["protocolVersion"] == "2025-11-25"
    await ws.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))


WHOAMI = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami"}}


async def test_it_serves_whoami(served) -> None:
    headers = {"Authorization": f"Bearer {served.alice_token}"}
    async with connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws:
        assert ws.subprotocol == "mcp"
        await opened(ws)
        result = (await rpc(ws, WHOAMI))["result"]
    assert result["structuredContent"]["username"] == "alice"


@pytest.mark.parametrize(
    ("subprotocols", "headers"),
    [
        ([MCP], {}),
        ([MCP], {"Authorization": "Bearer forged"}),
        ([Subprotocol("graphql-ws")], None),
        ([MCP], {"Origin": "https://evil.example"}),
    ],
    ids=["no-token", "invalid-token", "other-subprotocol", "foreign-origin"],
)
async def test_it_refuses_the_handshake(served, subprotocols, headers) -> None:
    if headers is None or "Origin" in headers:
        headers = {"Authorization": f"Bearer {served.alice_token}", **(headers or {})}
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            ws_url(served.url), subprotocols=subprotocols, additional_headers=headers
        ):
            pass
    assert refused.value.response.status_code == 403

"""MCP over WebSocket (/ws, subprotocol mcp): authenticated by the handshake's Authorization
header, served by the same server, and closed once the token stops being valid."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from tests.mcp_gateway.conftest import INITIALIZE

REVOKE_BOB = """
from oauth2_provider.models import AccessToken
AccessToken.objects.filter(user__username="bob").delete()
"""


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


async def test_it_closes_when_the_token_is_revoked(served) -> None:
    headers = {"Authorization": f"Bearer {served.bob_token}"}
    async with connect(ws_url(served.url), subprotocols=[MCP], additional_headers=headers) as ws:
        await opened(ws)
        served.manage("shell", "-c", REVOKE_BOB)
        with pytest.raises(ConnectionClosed) as closed:
            await rpc(ws, WHOAMI)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401

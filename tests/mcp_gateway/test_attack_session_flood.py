"""Attack: one person opening legacy sessions without end.

The SDK holds each 2025-era session in memory for 30 idle minutes and refuses new ones to
everybody (503) once 10 000 are open per process, so one person opening sessions in a loop
would lock every other person out. New sessions are limited per person (429 + Retry-After),
and WebSocket connections (each its own session) count against the same limit.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from mcp_gateway.server import build_server, transport_security
from mcp_gateway.websocket import websocket_app
from tests.mcp_gateway.conftest import INITIALIZE, bearer, modern_headers, modern_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _two_sessions_a_minute(settings) -> None:
    settings.MCP_SESSIONS_PER_MINUTE = 2


async def open_session(gateway, token: str):
    return await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))


async def test_it_refuses_new_sessions_over_the_limit(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    assert [(await open_session(gateway, token)).status_code for _ in range(2)] == [200, 200]
    response = await open_session(gateway, token)
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["error"]["message"].startswith("Too many new sessions; try again in ")


async def test_it_leaves_other_people_and_open_sessions_alone(
    gateway, alice, bob, issue_token
) -> None:
    alices, bobs = await issue_token(alice), await issue_token(bob)
    first = await open_session(gateway, alices)
    await open_session(gateway, alices)
    assert (await open_session(gateway, alices)).status_code == 429
    assert (await open_session(gateway, bobs)).status_code == 200
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    session = {**bearer(alices), "Mcp-Session-Id": first.headers["mcp-session-id"]}
    assert (await gateway.post("/mcp", json=ping, headers=session)).status_code == 200


async def test_it_does_not_count_stateless_requests(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    listing, headers = modern_request("tools/list"), modern_headers(token, method="tools/list")
    for _ in range(3):
        assert (await gateway.post("/mcp", json=listing, headers=headers)).status_code == 200


async def test_it_limits_new_websocket_connections_alike(tools, alice, bob, issue_token) -> None:
    await sync_to_async(cache.clear)()
    app = websocket_app(build_server(tools), transport_security())
    alices, bobs = await issue_token(alice), await issue_token(bob)

    async def connect(token: str) -> WebsocketCommunicator:
        headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {token}".encode())]
        communicator = WebsocketCommunicator(app, "/ws", headers=headers, subprotocols=["mcp"])
        opened.append((communicator, (await communicator.connect())[0]))
        return communicator

    opened: list[tuple[WebsocketCommunicator, bool]] = []
    for token in (alices, alices, alices, bobs):
        await connect(token)
    try:
        assert [accepted for _, accepted in opened] == [True, True, False, True]
    finally:
        for communicator, accepted in opened:
            if accepted:
                await communicator.disconnect()

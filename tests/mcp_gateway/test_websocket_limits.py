"""The WebSocket transport bounds what a connection may send: one JSON-RPC message per frame,
the request size limit, and the per-person rate limit of tool calls (in-process)."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from mcp_gateway.audit import audit
from mcp_gateway.models import ToolCall
from mcp_gateway.server import build_server, transport_security
from mcp_gateway.websocket import websocket_app
from tests.mcp_gateway.conftest import INITIALIZE

pytestmark = pytest.mark.django_db(transaction=True)

WHOAMI = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami"}}


@pytest.fixture
async def connected(tools, alice, issue_token, settings):
    settings.MCP_TOOL_CALLS_PER_MINUTE = 1
    settings.MCP_MAX_REQUEST_BYTES = 2048
    await sync_to_async(cache.clear)()
    app = websocket_app(build_server(tools), transport_security())
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"authorization", f"Bearer {await issue_token(alice)}".encode()),
    ]
    communicator = WebsocketCommunicator(app, "/ws", headers=headers, subprotocols=["mcp"])
    connected, subprotocol = await communicator.connect()
    assert (connected, subprotocol) == (True, "mcp")
    await communicator.send_to(text_data=json.dumps(INITIALIZE))
    assert "result" in json.loads(await communicator.receive_from(timeout=10))
    yield communicator
    await communicator.disconnect()


async def test_it_answers_a_parse_error_and_keeps_the_line(connected) -> None:
    await connected.send_to(text_data="[1, 2]")
    error = json.loads(await connected.receive_from(timeout=10))
    assert (error["id"], error["error"]["code"]) == (None, -32700)


async def test_it_limits_tool_calls_per_person(connected) -> None:
    await connected.send_to(
        text_data=json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    await connected.send_to(text_data=json.dumps(WHOAMI))
    assert "result" in json.loads(await connected.receive_from(timeout=10))
    await connected.send_to(text_data=json.dumps({**WHOAMI, "id": 3}))
    refused = json.loads(await connected.receive_from(timeout=10))
    assert refused["id"] == 3
    assert refused["error"]["code"] == -32000
    assert 1 <= refused["error"]["data"]["retryAfter"] <= 60
    await audit.flush()  # the rows are written behind the answers
    outcomes = [call.outcome async for call in ToolCall.objects.order_by("id")]
    assert outcomes == ["ok", "rate_limited"]


async def test_it_closes_on_an_oversized_message(connected) -> None:
    await connected.send_to(text_data=json.dumps({**WHOAMI, "params": {"name": "x" * 4096}}))
    closed = await connected.receive_output(timeout=10)
    assert closed == {"type": "websocket.close", "code": 1009}

"""Hostile or broken requests get an exact, clear refusal and change nothing stored.

Protocol errors are the SDK's (both eras); authentication, scope, size and origin refusals are
ours. Every test here ends by checking that no stored row changed; the one addition allowed is
the audit trail's "denied" record of a refused tool call (every tool call is audited).
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from oauth2_provider.models import AccessToken, Application

from mcp_gateway.models import ToolCall
from tests.mcp_gateway.conftest import (
    ACCEPT,
    INITIALIZE,
    bearer,
    legacy_call,
    legacy_session,
    modern_call,
    modern_headers,
    modern_request,
    sse_json,
)

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> list[object]:
    tokens = AccessToken.objects.order_by("pk").values_list("pk", "scope", "expires", "updated")
    return [
        list(tokens),
        Application.objects.count(),
        ToolCall.objects.exclude(outcome="denied").count(),
    ]


@pytest.fixture
async def alice_token(alice, issue_token):
    return await issue_token(alice, scope="mail.read")


@pytest.fixture
async def bob_token(bob, issue_token):
    return await issue_token(bob)


@pytest.fixture
async def elsewhere_token(alice, issue_token):
    return await issue_token(alice, resource=["https://elsewhere.example/mcp"])


@pytest.fixture(autouse=True)
async def _nothing_changes(alice_token, bob_token, elsewhere_token):
    before = await sync_to_async(snapshot)()
    yield
    assert await sync_to_async(snapshot)() == before


def jsonrpc_error(response) -> tuple[int, int, str]:
    body = response.json()
    return response.status_code, body["error"]["code"], body["error"]["message"]


async def test_it_refuses_malformed_json(gateway, alice_token) -> None:
    legacy = await gateway.post("/mcp", content=b"{not json", headers=bearer(alice_token))
    assert jsonrpc_error(legacy) == (
        400,
        -32700,
        "Parse error: key must be a string at line 1 column 2",
    )
    modern = await gateway.post(
        "/mcp", content=b"{not json", headers=modern_headers(alice_token, "whoami")
    )
    assert jsonrpc_error(modern) == (400, -32700, "Parse error")


async def test_it_refuses_a_batch(gateway, alice_token) -> None:
    batch = json.dumps([modern_call("whoami"), modern_call("whoami")]).encode()
    modern = await gateway.post(
        "/mcp", content=batch, headers=modern_headers(alice_token, "whoami")
    )
    assert jsonrpc_error(modern) == (
        400,
        -32600,
        "Body must be a single JSON-RPC request or notification object",
    )
    legacy = await gateway.post("/mcp", content=batch, headers=bearer(alice_token))
    status, code, message = jsonrpc_error(legacy)
    assert (status, code) == (400, -32602)
    assert message.startswith("Validation error: ")


async def test_it_refuses_an_unknown_method(gateway, alice_token) -> None:
    modern = await gateway.post(
        "/mcp",
        json=modern_request("mail/teleport"),
        headers=modern_headers(alice_token, method="mail/teleport"),
    )
    assert jsonrpc_error(modern) == (404, -32601, "Method not found")
    headers = await legacy_session(gateway, alice_token)
    legacy = await gateway.post(
        "/mcp", json={"jsonrpc": "2.0", "id": 5, "method": "mail/teleport"}, headers=headers
    )
    assert legacy.status_code == 200  # legacy errors travel in the response stream
    assert sse_json(legacy)["error"] == {
        "code": -32601,
        "message": "Method not found",
        "data": "mail/teleport",
    }


async def test_it_refuses_an_unsupported_protocol_version(gateway, alice_token) -> None:
    headers = {
        **modern_headers(alice_token, method="tools/list"),
        "MCP-Protocol-Version": "2099-01-01",
    }
    body = modern_request("tools/list")
    body["params"]["_meta"] = {
        **body["params"]["_meta"],
        "io.modelcontextprotocol/protocolVersion": "2099-01-01",
    }
    response = await gateway.post("/mcp", json=body, headers=headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (-32022, "Unsupported protocol version")
    assert "2026-07-28" in error["data"]["supported"]


async def test_it_refuses_a_header_that_contradicts_the_body(gateway, alice_token) -> None:
    version = await gateway.post(
        "/mcp",
        json=modern_call("whoami"),
        headers={**modern_headers(alice_token, "whoami"), "MCP-Protocol-Version": "1999-01-01"},
    )
    assert jsonrpc_error(version) == (
        400,
        -32020,
        "mcp-protocol-version header does not match the request envelope's protocol version",
    )
    name = await gateway.post(
        "/mcp", json=modern_call("whoami"), headers=modern_headers(alice_token, "note_send")
    )
    assert jsonrpc_error(name) == (
        400,
        -32020,
        "mcp-name header does not match the request body's 'name' parameter",
    )


@pytest.fixture
def one_mebibyte_limit(settings) -> None:
    settings.MCP_MAX_REQUEST_BYTES = 1024 * 1024


async def test_it_refuses_an_oversized_body_before_reading_it(
    one_mebibyte_limit, gateway, alice_token
) -> None:
    body = b"[" + b" " * (1024 * 1024) + b"]"
    response = await gateway.post("/mcp", content=body, headers=modern_headers(alice_token))
    assert (response.status_code, response.text) == (413, "Request body too large")


async def test_it_refuses_the_wrong_content_type(gateway, alice_token) -> None:
    headers = {**bearer(alice_token), "Content-Type": "text/plain"}
    response = await gateway.post("/mcp", content=json.dumps(INITIALIZE), headers=headers)
    assert (response.status_code, response.text) == (400, "Invalid Content-Type header")


async def test_it_refuses_an_unknown_or_foreign_session(gateway, alice_token, bob_token) -> None:
    headers = await legacy_session(gateway, alice_token)
    unknown = await gateway.post(
        "/mcp", json=legacy_call("whoami"), headers={**headers, "Mcp-Session-Id": "f" * 32}
    )
    assert jsonrpc_error(unknown) == (404, -32600, "Session not found")
    bobs = {**headers, **bearer(bob_token)}
    foreign = await gateway.post("/mcp", json=legacy_call("whoami"), headers=bobs)
    assert jsonrpc_error(foreign) == (404, -32600, "Session not found")


async def test_it_refuses_an_invalid_token(gateway) -> None:
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer("forged"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


async def test_it_refuses_a_token_for_another_resource(gateway, elsewhere_token) -> None:
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(elsewhere_token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


async def test_it_refuses_a_missing_scope_with_the_scope_list(gateway, alice_token) -> None:
    response = await gateway.post(
        "/mcp", json=modern_call("note_send"), headers=modern_headers(alice_token, "note_send")
    )
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="insufficient_scope", scope="mail.read mail.send"')
    assert await ToolCall.objects.filter(outcome="denied", tool="note_send").acount() == 1


async def test_it_refuses_a_foreign_origin_or_host(gateway, alice_token) -> None:
    origin = await gateway.post(
        "/mcp", json=INITIALIZE, headers={**bearer(alice_token), "Origin": "https://evil.example"}
    )
    assert (origin.status_code, origin.text) == (403, "Invalid Origin header")
    anonymous = await gateway.post(
        "/mcp", json=INITIALIZE, headers={**ACCEPT, "Origin": "https://evil.example"}
    )
    assert anonymous.status_code == 403  # rebinding is refused before authentication
    host = await gateway.post(
        "/mcp", json=INITIALIZE, headers={**bearer(alice_token), "Host": "evil.example"}
    )
    assert (host.status_code, host.text) == (421, "Invalid Host header")

"""A legacy session belongs to the person (and client) that opened it: anyone else gets 404.

The SDK's session manager compares the principal our authentication puts on the request
(client id, issuer, person) with the one that created the session and answers exactly as if
the session did not exist (MCP security best practices, "Session Hijacking").
"""

from __future__ import annotations

import pytest
from oauth2_provider.models import Application

from tests.mcp_gateway.conftest import bearer, legacy_call, legacy_session, sse_json

pytestmark = pytest.mark.django_db(transaction=True)

NOT_FOUND = {
    "jsonrpc": "2.0",
    "id": None,
    "error": {"code": -32600, "message": "Session not found"},
}


def hijacked(headers: dict[str, str], token: str) -> dict[str, str]:
    return {**headers, **bearer(token)}


async def test_it_serves_the_session_to_its_owner(gateway, alice, issue_token) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=headers)
    assert response.status_code == 200
    assert sse_json(response)["result"]["structuredContent"]["username"] == "alice"


@pytest.mark.parametrize("method", ["POST", "GET", "DELETE"])
async def test_it_hides_alices_session_from_bob(gateway, alice, bob, issue_token, method) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    stolen = hijacked(headers, await issue_token(bob))
    body = legacy_call("whoami") if method == "POST" else None
    response = await gateway.request(method, "/mcp", json=body, headers=stolen)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    # Alice's session is untouched (bob's DELETE did not end it).
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=headers)
    assert response.status_code == 200


async def test_it_hides_a_session_from_another_client_of_the_same_person(
    gateway, alice, issue_token
) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    other = await Application.objects.acreate(
        name="Other Assistant",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    )
    stolen = hijacked(headers, await issue_token(alice, application=other))
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=stolen)
    assert response.status_code == 404


async def test_it_keeps_the_session_across_a_refreshed_token(gateway, alice, issue_token) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    refreshed = hijacked(headers, await issue_token(alice))
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=refreshed)
    assert response.status_code == 200


async def test_it_answers_404_to_an_unknown_session(gateway, alice, issue_token) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    headers["Mcp-Session-Id"] = "0" * 32
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=headers)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND

"""Every request needs a bearer token from our authorization server, bound to this resource.

Missing or invalid → 401 with an RFC 6750 challenge naming the RFC 9728 metadata URL and the
default scopes; the error code appears only when a token was sent (RFC 6750 §3.1).
"""

from __future__ import annotations

import pytest

from tests.mcp_gateway.conftest import ACCEPT, INITIALIZE, MCP_URL, PUBLIC_URL, bearer

pytestmark = pytest.mark.django_db(transaction=True)

METADATA = f'resource_metadata="{PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"'
SCOPE = 'scope="mail.read calendar.read contacts.read people.read"'
INVALID = (
    'Bearer error="invalid_token", error_description="The access token is invalid, expired, '
    f'revoked or not for this server.", {METADATA}, {SCOPE}'
)


async def test_it_challenges_a_request_without_a_token(gateway) -> None:
    response = await gateway.post("/mcp", json=INITIALIZE, headers=ACCEPT)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f"Bearer {METADATA}, {SCOPE}"
    assert response.json()["error"] == "unauthorized"


async def test_it_challenges_every_method(gateway) -> None:
    for method in ("GET", "DELETE"):
        response = await gateway.request(method, "/mcp", headers=ACCEPT)
        assert response.status_code == 401


async def test_it_refuses_an_unknown_token(gateway, alice) -> None:
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer("not-a-real-token"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID
    assert response.json()["error"] == "invalid_token"


async def test_it_refuses_an_expired_token(gateway, alice, issue_token) -> None:
    token = await issue_token(alice, expires_in=-1)
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID


async def test_it_refuses_a_revoked_token(gateway, alice, issue_token) -> None:
    from oauth2_provider.models import AccessToken

    token = await issue_token(alice)
    assert (await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))).status_code == 200
    await AccessToken.objects.filter(user=alice).adelete()  # DOT's revoke() deletes the row
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID


@pytest.mark.parametrize(
    "resource",
    [[], ["https://other.example/mcp"], [f"{MCP_URL}/extra"], [MCP_URL, "https://other.example"]],
    ids=["none", "another-server", "a-sub-path", "also-another-server"],
)
async def test_it_refuses_a_token_for_another_resource(
    gateway, alice, issue_token, resource
) -> None:
    token = await issue_token(alice, resource=resource)
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID


async def test_it_refuses_a_token_of_a_deactivated_person(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    alice.is_active = False
    await alice.asave()
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))
    assert response.status_code == 401


async def test_it_never_takes_a_token_from_the_query(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    response = await gateway.post(f"/mcp?access_token={token}", json=INITIALIZE, headers=ACCEPT)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f"Bearer {METADATA}, {SCOPE}"


@pytest.mark.parametrize(
    "authorization", ["Basic YWxpY2U6cGFzc3dvcmQ=", "Bearer", "Bearer a b", "Bearer " + "x" * 600]
)
async def test_it_refuses_a_malformed_authorization(gateway, alice, authorization) -> None:
    headers = {**ACCEPT, "Authorization": authorization}
    response = await gateway.post("/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID


async def test_it_accepts_a_valid_token_with_any_scheme_case(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    headers = {**ACCEPT, "Authorization": f"bearer {token}"}
    response = await gateway.post("/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == 200
    assert response.headers["mcp-session-id"]

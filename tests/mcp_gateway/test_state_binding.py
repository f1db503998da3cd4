"""A 2026-07-28 requestState (the stateless era's state handle) is bound to its person.

The SDK seals every requestState and binds it to the principal our authentication supplies;
replayed with another person's token it is refused, never honoured (MCP security best
practices, "State Handle Hijacking"). The input-required fixture of the conformance suite is
served here behind authentication to exercise it.
"""

from __future__ import annotations

import pytest

from mcp_gateway.conformance import fixtures_add
from tests.mcp_gateway.conftest import modern_call, modern_headers, sse_json

pytestmark = pytest.mark.django_db(transaction=True)

TOOL = "test_input_required_result_request_state"
CONFIRMED = {"confirm": {"action": "accept", "content": {"ok": True}}}


@pytest.fixture
def extra_setup():
    return fixtures_add


async def call(gateway, token: str, **params):
    body = modern_call(TOOL)
    body["params"].update(params)
    response = await gateway.post("/mcp", json=body, headers=modern_headers(token, TOOL))
    return response.status_code, sse_json(response)


async def test_it_honours_the_state_for_its_owner(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    _, first = await call(gateway, token)
    assert first["result"]["resultType"] == "input_required"
    state = first["result"]["requestState"]
    assert state != "state-nonce"  # sealed: the client never sees the plaintext
    status, second = await call(gateway, token, inputResponses=CONFIRMED, requestState=state)
    assert status == 200
    assert second["result"]["content"][0]["text"] == "state-ok: the echoed request state verified."


async def test_it_refuses_alices_state_to_bob(gateway, alice, bob, issue_token) -> None:
    _, first = await call(gateway, await issue_token(alice))
    state = first["result"]["requestState"]
    status, replay = await call(
        gateway, await issue_token(bob), inputResponses=CONFIRMED, requestState=state
    )
    assert "result" not in replay
    assert (status, replay["error"]["code"]) == (400, -32602)

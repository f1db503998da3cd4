"""Attack: routing headers that contradict the body must not steer a tools/call past the gate.

The 2025 era ignores Mcp-Method and Mcp-Name (they are 2026-07-28 headers) and runs the
body's tools/call, so the gate must judge the body, whatever those headers say.
"""

from __future__ import annotations

import pytest

from mcp_gateway.models import ToolCall
from tests.mcp_gateway.conftest import legacy_call, legacy_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("header", [{"Mcp-Name": "whoami"}, {"Mcp-Method": "tools/list"}])
async def test_it_challenges_a_legacy_call_whatever_its_routing_headers_say(
    gateway, alice, issue_token, header
) -> None:
    token = await issue_token(alice, scope="mail.read")
    headers = {**await legacy_session(gateway, token), **header}
    response = await gateway.post("/mcp", json=legacy_call("note_send"), headers=headers)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_it_rate_limits_a_legacy_call_whatever_its_routing_headers_say(
    gateway, alice, issue_token, settings
) -> None:
    settings.MCP_TOOL_CALLS_PER_MINUTE = 1
    token = await issue_token(alice)
    headers = await legacy_session(gateway, token)
    assert (
        await gateway.post("/mcp", json=legacy_call("whoami"), headers=headers)
    ).status_code == 200
    disguised = {**headers, "Mcp-Name": "tools_that_do_not_exist"}
    response = await gateway.post("/mcp", json=legacy_call("whoami"), headers=disguised)
    assert response.status_code == 429
    outcomes = [call.outcome async for call in ToolCall.objects.order_by("id")]
    assert outcomes == ["ok", "rate_limited"]

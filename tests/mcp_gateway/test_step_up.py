"""A tools/call for a tool whose scope the token lacks is a 403 step-up challenge.

The challenge names every scope the call needs (the granted ones plus the missing one) in one
go, with the metadata URL (MCP authorization, "Runtime Insufficient Scope Errors"), and is
decided before the SDK runs, on both protocol eras.
"""

from __future__ import annotations

import pytest

from graph_tools import catalog
from mcp_gateway.models import ToolCall
from oauth_bridge.scopes import SCOPE_NAMES
from tests.mcp_gateway.conftest import (
    PUBLIC_URL,
    legacy_call,
    legacy_session,
    modern_call,
    modern_headers,
    sse_json,
)

pytestmark = pytest.mark.django_db(transaction=True)

CHALLENGE = (
    'Bearer error="insufficient_scope", scope="calendar.read mail.read mail.send", '
    f'resource_metadata="{PUBLIC_URL}/.well-known/oauth-protected-resource/mcp", '
    'error_description="The tool note_send needs the mail.send scope."'
)


async def test_it_challenges_on_the_legacy_leg(gateway, alice, issue_token) -> None:
    token = await issue_token(alice, scope="mail.read calendar.read")
    headers = await legacy_session(gateway, token)
    response = await gateway.post("/mcp", json=legacy_call("note_send"), headers=headers)
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == CHALLENGE
    assert response.json()["scope"] == ["calendar.read", "mail.read", "mail.send"]
    call = await ToolCall.objects.aget()
    assert (call.tool, call.outcome) == ("note_send", "denied")


async def test_it_challenges_on_the_modern_leg(gateway, alice, issue_token) -> None:
    token = await issue_token(alice, scope="mail.read calendar.read")
    response = await gateway.post(
        "/mcp", json=modern_call("note_send"), headers=modern_headers(token, "note_send")
    )
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == CHALLENGE


async def test_it_runs_the_tool_once_the_scope_is_granted(gateway, alice, issue_token) -> None:
    token = await issue_token(alice, scope="mail.read calendar.read mail.send")
    response = await gateway.post(
        "/mcp",
        json=modern_call("note_send", {"text": "hello"}),
        headers=modern_headers(token, "note_send"),
    )
    assert response.status_code == 200
    result = sse_json(response)["result"]
    assert result["structuredContent"] == {"id": "note-for-alice"}
    call = await ToolCall.objects.aget()
    assert (call.outcome, call.upstream_request_id) == ("ok", "graph-request-1")


async def test_it_needs_no_scope_for_whoami(gateway, alice, issue_token) -> None:
    token = await issue_token(alice, scope="")
    response = await gateway.post(
        "/mcp", json=modern_call("whoami"), headers=modern_headers(token, "whoami")
    )
    assert response.status_code == 200
    assert sse_json(response)["result"]["structuredContent"]["scopes"] == []


@pytest.mark.parametrize("tool", catalog.ALL_TOOLS, ids=lambda tool: tool.name)
async def test_it_challenges_for_every_microsoft_365_tool(
    gateway, alice, issue_token, tool
) -> None:
    others = " ".join(scope for scope in SCOPE_NAMES if scope != tool.scope)
    token = await issue_token(alice, scope=others)
    response = await gateway.post(
        "/mcp", json=modern_call(tool.name), headers=modern_headers(token, tool.name)
    )
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert f"The tool {tool.name} needs the {tool.scope} scope." in challenge

"""Attack: JSON shapes that might make the gate and the SDK disagree about the tool called.

The gate parses the body itself; whatever spelling reaches the SDK as a tools/call must reach
the gate as the same call (same tool), and a form the gate lets pass must not run a tool.
"""

from __future__ import annotations

import pytest

from mcp_gateway.models import ToolCall
from tests.mcp_gateway.conftest import legacy_session

pytestmark = pytest.mark.django_db(transaction=True)

SPELLINGS = {
    "escaped method": '{"jsonrpc":"2.0","id":3,"method":"tools\\u002fcall",'
    '"params":{"name":"note_send","arguments":{"text":"x"}}}',
    "escaped name": '{"jsonrpc":"2.0","id":3,"method":"tools/call",'
    '"params":{"name":"note\\u005fsend","arguments":{"text":"x"}}}',
    "duplicate name": '{"jsonrpc":"2.0","id":3,"method":"tools/call",'
    '"params":{"name":"whoami","name":"note_send","arguments":{"text":"x"}}}',
    "duplicate method": '{"jsonrpc":"2.0","id":3,"method":"ping","method":"tools/call",'
    '"params":{"name":"note_send","arguments":{"text":"x"}}}',
}


@pytest.mark.parametrize("body", SPELLINGS.values(), ids=SPELLINGS.keys())
async def test_it_challenges_every_spelling_of_a_call(gateway, alice, issue_token, body) -> None:
    headers = await legacy_session(gateway, await issue_token(alice, scope="mail.read"))
    response = await gateway.post("/mcp", content=body, headers=headers)
    assert response.status_code == 403


async def test_it_runs_no_tool_for_a_call_sent_as_a_notification(
    gateway, alice, issue_token
) -> None:
    headers = await legacy_session(gateway, await issue_token(alice, scope="mail.read mail.send"))
    notification = {"jsonrpc": "2.0", "method": "tools/call", "params": {"name": "note_send"}}
    response = await gateway.post("/mcp", json=notification, headers=headers)
    assert response.status_code == 202
    ping = {"jsonrpc": "2.0", "id": 4, "method": "ping"}  # answered after the notification
    assert (await gateway.post("/mcp", json=ping, headers=headers)).status_code == 200
    assert not await ToolCall.objects.aexists()

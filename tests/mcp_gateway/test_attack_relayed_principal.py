"""Attack: a request relayed to its session's owner runs as its caller, principal included.

Anyone can make their request relayed (send their own session id to a process that does not
hold it), so the owner must give the SDK the same authenticated principal as a direct request:
its ``requestState`` sealing binds to ``get_access_token()``, and a state sealed without a
principal would be honoured for any other person's relayed request.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from mcp.server.auth.middleware.auth_context import get_access_token

from mcp_gateway.relay import SessionRelay, caller_fields
from mcp_gateway.selectors import caller_get
from mcp_gateway.streams import registry

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_runs_a_relayed_request_with_its_callers_principal(
    alice, issue_token, monkeypatch
) -> None:
    caller = await sync_to_async(caller_get)(token=await issue_token(alice))
    assert caller is not None
    seen: list[Any] = []

    async def sdk_app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(get_access_token())

    monkeypatch.setattr(registry, "handlers", dict(registry.handlers))  # the probe's, undone
    relay = SessionRelay(sdk_app, name="attack-probe")
    scope = {"type": "http", "method": "POST", "path": "/mcp", "query_string": b"", "headers": []}
    reply = await get_channel_layer().new_channel()
    message = {
        "id": "r1",
        "reply": reply,
        "scope": scope,
        "body": b"",
        "caller": caller_fields(caller),
    }
    await relay.run(message)
    (token,) = seen
    assert token is not None
    assert (token.client_id, token.subject) == (caller.client_id, str(alice.pk))

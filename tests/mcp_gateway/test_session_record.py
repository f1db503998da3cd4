"""Each process records the legacy sessions it holds (mcp_gateway.relay), so that a request
landing on another process can be relayed to it: recorded when the session opens, kept alive
by every use, and written again if the record was lost."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from mcp_gateway.relay import session_key
from mcp_gateway.streams import registry
from tests.mcp_gateway.conftest import legacy_call, legacy_session, sse_json

pytestmark = pytest.mark.django_db(transaction=True)


async def recorded_owner(headers: dict[str, str]) -> str | None:
    owner: str | None = await sync_to_async(cache.get)(session_key(headers["Mcp-Session-Id"]))
    return owner


async def test_it_records_a_session_as_it_opens(gateway, alice, issue_token) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    assert await recorded_owner(headers) == await registry.listening()


async def test_it_records_a_session_again_when_the_record_was_lost(
    gateway, alice, issue_token
) -> None:
    headers = await legacy_session(gateway, await issue_token(alice))
    await sync_to_async(cache.delete)(session_key(headers["Mcp-Session-Id"]))
    answer = await gateway.post("/mcp", json=legacy_call("whoami"), headers=headers)
    assert "result" in sse_json(answer)
    assert await recorded_owner(headers) == await registry.listening()

"""Tool calls are limited per person (all clients and processes together): 429 + Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from mcp_gateway.models import ToolCall
from mcp_gateway.services import tool_call_rate_take
from tests.mcp_gateway.conftest import modern_call, modern_headers, modern_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _two_calls_a_minute(settings) -> None:
    settings.MCP_TOOL_CALLS_PER_MINUTE = 2


async def call_whoami(gateway, token: str):
    return await gateway.post(
        "/mcp", json=modern_call("whoami"), headers=modern_headers(token, "whoami")
    )


async def test_it_refuses_the_call_over_the_limit(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    assert [(await call_whoami(gateway, token)).status_code for _ in range(2)] == [200, 200]
    response = await call_whoami(gateway, token)
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    body = response.json()
    assert body["id"] == 7
    assert body["error"]["code"] == -32000
    assert body["error"]["message"].startswith("Too many tool calls; try again in ")
    outcomes = [call.outcome async for call in ToolCall.objects.order_by("id")]
    assert outcomes == ["ok", "ok", "rate_limited"]


async def test_it_audits_one_refusal_per_window_however_many_come(
    gateway, alice, issue_token
) -> None:
    token = await issue_token(alice)
    statuses = [(await call_whoami(gateway, token)).status_code for _ in range(8)]
    assert statuses == [200, 200, 429, 429, 429, 429, 429, 429]
    outcomes = [call.outcome async for call in ToolCall.objects.order_by("id")]
    assert outcomes == ["ok", "ok", "rate_limited"]


async def test_it_counts_every_client_of_a_person_together(
    gateway, alice, issue_token, assistant
) -> None:
    first, second = await issue_token(alice), await issue_token(alice)
    assert (await call_whoami(gateway, first)).status_code == 200
    assert (await call_whoami(gateway, second)).status_code == 200
    assert (await call_whoami(gateway, first)).status_code == 429


async def test_it_limits_each_person_separately(gateway, alice, bob, issue_token) -> None:
    alices, bobs = await issue_token(alice), await issue_token(bob)
    for _ in range(2):
        await call_whoami(gateway, alices)
    assert (await call_whoami(gateway, alices)).status_code == 429
    assert (await call_whoami(gateway, bobs)).status_code == 200


async def test_it_does_not_count_other_requests(gateway, alice, issue_token) -> None:
    token = await issue_token(alice)
    listing, headers = modern_request("tools/list"), modern_headers(token, method="tools/list")
    for _ in range(3):
        assert (await gateway.post("/mcp", json=listing, headers=headers)).status_code == 200
    assert (await call_whoami(gateway, token)).status_code == 200


def test_it_opens_a_new_window_every_minute(alice) -> None:
    cache.clear()
    assert tool_call_rate_take(person_id=alice.pk, now=120.0).allowed
    assert tool_call_rate_take(person_id=alice.pk, now=150.0).allowed
    refused = tool_call_rate_take(person_id=alice.pk, now=170.5)
    assert (refused.allowed, refused.retry_after) == (False, 10)
    assert tool_call_rate_take(person_id=alice.pk, now=180.0).allowed


def test_it_counts_a_call_whose_window_another_call_opened_meanwhile(alice, monkeypatch) -> None:
    """Two first calls of a window at once: the one whose ``add`` loses still counts."""
    cache.clear()
    real_add = cache.add

    def add_after_a_rival(key, value, timeout=None):
        real_add(key, 1, timeout=timeout)  # the rival call's add lands first
        return real_add(key, value, timeout=timeout)

    monkeypatch.setattr(cache, "add", add_after_a_rival)
    assert tool_call_rate_take(person_id=alice.pk, now=120.0).allowed
    monkeypatch.undo()
    refused = tool_call_rate_take(person_id=alice.pk, now=121.0)
    assert refused.allowed is False  # the rival's call, this call, then this: 3 of 2

"""Revoking a token takes effect on the next request, within the token cache's stated bound.

A validated token is remembered for MCP_TOKEN_CACHE_SECONDS (mcp_gateway.token_cache). Every
way access ends evicts it at once (revocation, deactivation, a disabled client); when the
eviction never arrives (a lost broadcast), the bound passes and the token is refused. The
cache's clock is controlled here: no test sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from oauth2_provider.models import AccessToken

from mcp_gateway import conf
from mcp_gateway.selectors import caller_get
from mcp_gateway.token_cache import TokenCache, tokens
from oauth_bridge.services import client_disable
from tests.mcp_gateway.conftest import MCP_URL, modern_call, modern_headers

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Iterator[Clock]:
    clock = Clock()
    monkeypatch.setattr(tokens, "clock", clock)
    tokens.clear()
    yield clock
    tokens.clear()


async def whoami(gateway, token: str) -> int:
    response = await gateway.post(
        "/mcp", json=modern_call("whoami"), headers=modern_headers(token, "whoami")
    )
    return int(response.status_code)


async def test_it_refuses_a_revoked_token_on_the_next_request(gateway, clock, alice, issue_token):
    token = await issue_token(alice)
    assert await whoami(gateway, token) == 200
    access_token = await AccessToken.objects.aget(user=alice)
    await sync_to_async(access_token.revoke)()
    assert await whoami(gateway, token) == 401


async def test_it_refuses_once_the_bound_passes_when_the_eviction_is_lost(
    gateway, clock, alice, issue_token
):
    token = await issue_token(alice)
    assert await whoami(gateway, token) == 200
    # Gone without any notice, as when another process's broadcast never arrived.
    rows = AccessToken.objects.filter(user=alice)
    await sync_to_async(rows._raw_delete)(rows.db)
    clock.now += conf.token_cache_seconds() - 0.5
    assert await whoami(gateway, token) == 200  # still remembered, within the bound
    clock.now += 0.5
    assert await whoami(gateway, token) == 401


async def test_it_refuses_a_deactivated_person_on_the_next_request(
    gateway, clock, alice, issue_token
):
    token = await issue_token(alice)
    assert await whoami(gateway, token) == 200
    alice.is_active = False
    await alice.asave()
    assert await whoami(gateway, token) == 401


async def test_it_refuses_a_disabled_clients_token_on_the_next_request(
    gateway, clock, alice, issue_token, assistant
):
    token = await issue_token(alice)
    assert await whoami(gateway, token) == 200
    await sync_to_async(client_disable)(application=assistant)
    assert await whoami(gateway, token) == 401


async def test_it_leaves_other_people_remembered(gateway, clock, alice, bob, issue_token):
    alice_token, bob_token = await issue_token(alice), await issue_token(bob)
    assert await whoami(gateway, alice_token) == 200
    assert await whoami(gateway, bob_token) == 200
    bob.is_active = False
    await bob.asave()
    assert len(tokens) == 1
    assert await whoami(gateway, alice_token) == 200


async def test_it_never_remembers_a_refusal(gateway, clock, alice, issue_token):
    token = await issue_token(alice)
    rows = AccessToken.objects.filter(user=alice)
    await rows.aupdate(resource=[])  # not for this server: refused
    assert await whoami(gateway, token) == 401
    await rows.aupdate(resource=[MCP_URL])
    assert await whoami(gateway, token) == 200


async def test_it_keys_entries_by_a_hash_of_the_token(gateway, clock, alice, issue_token):
    token = await issue_token(alice)
    assert await whoami(gateway, token) == 200
    (key,) = tokens._entries
    assert token.encode() not in key
    assert len(key) == 32  # SHA-256


async def test_it_refuses_a_remembered_token_past_its_expiry(alice, issue_token):
    token = await issue_token(alice)
    caller = await sync_to_async(caller_get)(token=token)
    assert caller is not None
    cache = TokenCache()
    expired = replace(caller, expires=timezone.now() - timedelta(seconds=1))
    cache.put(token, expired, generation=cache.generation)
    assert cache.get(token) is None


async def test_it_drops_a_validation_that_raced_an_eviction(alice, issue_token):
    token = await issue_token(alice)
    caller = await sync_to_async(caller_get)(token=token)
    assert caller is not None
    cache = TokenCache()
    started = cache.generation
    cache.evict(token_pk=caller.token_pk)  # the revocation lands while it is being validated
    cache.put(token, caller, generation=started)
    assert cache.get(token) is None


async def test_it_holds_a_bounded_number_of_entries(settings, alice, issue_token):
    settings.MCP_TOKEN_CACHE_MAX_ENTRIES = 2
    cache = TokenCache()
    issued = [await issue_token(alice) for _ in range(3)]
    for token in issued:
        caller = await sync_to_async(caller_get)(token=token)
        assert caller is not None
        cache.put(token, caller, generation=cache.generation)
    assert len(cache) == 2
    assert cache.get(issued[0]) is None
    assert cache.get(issued[2]) is not None

"""A Microsoft access token is read from the store once, then remembered for a bounded time,
and forgotten the moment any connection changes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from graph_tools.access_token_cache import AccessTokenCache, access_tokens, connections_changed
from graph_tools.errors import ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import (
    access_token_get,
    connection_refresh,
    connection_revoke,
    connections_sign_in_require,
)
from tests.graph_tools.conftest import connect


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_it_reads_the_store_once_within_the_bound(alice, django_assert_num_queries) -> None:
    assert access_token_get(user=alice) == "alice-access-1"
    with django_assert_num_queries(0):
        assert access_token_get(user=alice) == "alice-access-1"


def test_it_keeps_each_persons_token_apart(alice, bob, outsider) -> None:
    assert access_token_get(user=alice) == "alice-access-1"
    assert access_token_get(user=bob) == "bob-access-1"
    assert access_token_get(user=alice) == "alice-access-1"
    with pytest.raises(ReauthRequired):
        access_token_get(user=outsider)


def test_it_forgets_a_token_when_an_administrator_asks_for_sign_in(alice) -> None:
    access_token_get(user=alice)
    connections_sign_in_require(user_ids=[alice.pk])
    with pytest.raises(ReauthRequired, match="administrator asked"):
        access_token_get(user=alice)


def test_it_forgets_a_token_when_the_connection_is_revoked(alice) -> None:
    access_token_get(user=alice)
    connection_revoke(user=alice)
    with pytest.raises(ReauthRequired, match="no Microsoft sign-in"):
        access_token_get(user=alice)


def test_it_forgets_a_token_when_the_row_is_saved_or_deleted_elsewhere(alice, bob) -> None:
    access_token_get(user=alice)
    connection = MicrosoftConnection.objects.get(user=alice)
    connection.needs_sign_in, connection.needs_sign_in_reason = True, "marked in the admin"
    connection.save()
    with pytest.raises(ReauthRequired, match="marked in the admin"):
        access_token_get(user=alice)
    access_token_get(user=bob)
    MicrosoftConnection.objects.get(user=bob).delete()
    with pytest.raises(ReauthRequired):
        access_token_get(user=bob)


def test_it_serves_the_new_token_after_a_refresh(alice, entra) -> None:
    access_token_get(user=alice)
    entra.refreshes(access_token="alice-access-2")
    assert connection_refresh(user=alice) == "alice-access-2"
    assert access_token_get(user=alice) == "alice-access-2"


def test_it_serves_the_new_token_after_a_new_sign_in(alice) -> None:
    access_token_get(user=alice)
    connect(alice, access_token="alice-access-9")
    assert access_token_get(user=alice) == "alice-access-9"


def test_it_never_serves_a_token_that_is_due_for_refresh(alice, entra) -> None:
    connect(alice, expires_in=4 * 60)  # inside the five-minute refresh margin
    entra.refreshes(access_token="alice-access-2")
    assert access_token_get(user=alice) == "alice-access-2"
    cache = AccessTokenCache()
    cache.put(alice.pk, "old", usable_until=timezone.now() - timedelta(seconds=1), generation=0)
    assert cache.get(alice.pk) is None


def test_it_rereads_the_store_once_the_bound_passes(alice, settings) -> None:
    settings.GRAPH_ACCESS_TOKEN_CACHE_SECONDS = 10
    clock = Clock()
    cache = AccessTokenCache(clock=clock)
    later = timezone.now() + timedelta(hours=1)
    cache.put(alice.pk, "alice-access-1", usable_until=later, generation=cache.generation)
    clock.now += 9.9
    assert cache.get(alice.pk) == "alice-access-1"
    clock.now += 0.1
    assert cache.get(alice.pk) is None


def test_it_drops_a_read_that_raced_a_write(alice) -> None:
    generation = access_tokens.generation
    connections_sign_in_require(user_ids=[alice.pk])  # lands while the read was in flight
    later = timezone.now() + timedelta(hours=1)
    access_tokens.put(alice.pk, "alice-access-1", usable_until=later, generation=generation)
    with pytest.raises(ReauthRequired):
        access_token_get(user=alice)


def test_it_remembers_nothing_when_turned_off(alice, settings, django_assert_num_queries):
    settings.GRAPH_ACCESS_TOKEN_CACHE_SECONDS = 0
    access_token_get(user=alice)
    with django_assert_num_queries(1):
        access_token_get(user=alice)


def test_it_tells_other_processes_once_the_change_is_committed(
    alice, django_capture_on_commit_callbacks
) -> None:
    heard: list[object] = []

    def receiver(sender: object, **kwargs: object) -> None:
        heard.append(sender)

    connections_changed.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            connections_sign_in_require(user_ids=[alice.pk])
            assert heard == []
        assert heard == [MicrosoftConnection]
    finally:
        connections_changed.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_it_forgets_every_token_when_another_process_says_so(alice) -> None:
    from mcp_gateway.services import microsoft_tokens_forget_broadcast
    from mcp_gateway.streams import registry

    await registry.listening()
    assert await sync_to_async(access_token_get)(user=alice) == "alice-access-1"
    assert len(access_tokens) == 1
    await sync_to_async(microsoft_tokens_forget_broadcast)()  # as another process would
    for _ in range(100):
        if not len(access_tokens):
            break
        await asyncio.sleep(0.02)
    assert len(access_tokens) == 0

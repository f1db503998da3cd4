"""Security review: one person never reaches another's data through a cursor, a cached value,
a resource URI or a shared worker thread."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import quote

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from mcp.server.mcpserver.exceptions import ResourceError

from graph_tools.client import GraphClient, _session
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.models import ToolCall
from mcp_gateway.server import build_server
from oauth_bridge.scopes import SCOPE_NAMES
from tests.graph_tools.attack_support import MESSAGE_ID, MESSAGE_URL, text
from tests.graph_tools.scenarios import GRAPH, ZONE

pytestmark = pytest.mark.django_db(transaction=True)
INBOX = f"{GRAPH}/me/mailFolders/inbox/messages"


async def alices_cursor(call_tool, graph) -> str:
    link = f"{INBOX}?%24top=1&%24skip=1"
    graph.get(INBOX, json={"value": [], "@odata.nextLink": link})
    result = await call_tool("getEmails", {"timeZone": "UTC"})
    cursor = result.structured_content["nextCursor"]
    assert isinstance(cursor, str)
    return cursor


async def test_alices_cursor_does_not_work_for_bob(call_tool, graph, bob) -> None:
    cursor = await alices_cursor(call_tool, graph)
    result = await call_tool("getEmails", {"cursor": cursor, "timeZone": "UTC"}, person=bob)
    assert text(result).startswith("The cursor is not valid here")
    assert len(graph.calls) == 1


async def test_the_mailbox_zone_is_remembered_per_person(
    call_tool, graph, mailbox_zone, bob
) -> None:
    graph.get(f"{GRAPH}/me/mailboxSettings/timeZone", json={"value": "Pacific Standard Time"})
    graph.get(f"{GRAPH}/me/calendarView", json={"value": []})
    result = await call_tool("getCalendarEvents", {}, person=bob)
    assert result.structured_content["timeZone"] == "Pacific Standard Time"
    assert [c.request.headers["Authorization"] for c in graph.calls] == ["Bearer bob-access-1"] * 2
    assert cache.get(f"graph_tools:mailbox-time-zone:{bob.pk}") == "Pacific Standard Time"
    graph.get(f"{GRAPH}/me/calendarView", json={"value": []})
    result = await call_tool("getCalendarEvents", {})  # alice: still her own zone
    assert result.structured_content["timeZone"] == ZONE


def caller(person) -> Caller:
    return Caller(
        person=person,
        person_id=person.pk,
        person_name=person.username,
        username=person.username,
        client_pk=0,
        client_id="test",
        client_name="Test",
        scopes=frozenset(SCOPE_NAMES),
        token_pk=0,
        expires=timezone.now() + timedelta(hours=1),
    )


async def test_an_attachment_uri_is_read_as_whoever_reads_it(alice, bob, graph) -> None:
    # Alice's getAttachment URI, read by Bob: Graph is asked with Bob's token and says 404.
    attachment = "AAMkAGI2att="
    graph.get(f"{MESSAGE_URL}/attachments/{quote(attachment, safe='')}", status=404, json={})
    uri = (
        f"microsoft://mail/messages/{quote(MESSAGE_ID, safe='')}"
        f"/attachments/{quote(attachment, safe='')}"
    )
    server = build_server([], resources=True)
    reset = CALLER.set(caller(bob))
    try:
        with pytest.raises(ResourceError, match="could not find that item"):
            await server.read_resource(uri)
    finally:
        CALLER.reset(reset)
    assert [c.request.headers["Authorization"] for c in graph.calls] == ["Bearer bob-access-1"]


async def test_parallel_calls_of_two_people_keep_their_own_tokens(
    call_tool, graph, alice, bob
) -> None:
    for folder in ("alicefolder", "bobfolder"):
        for _ in range(6):
            graph.get(f"{GRAPH}/me/mailFolders/{folder}/messages", json={"value": []})
    calls = [
        call_tool("getEmails", {"folder": f"{who.username}folder", "timeZone": "UTC"}, person=who)
        for _ in range(6)
        for who in (alice, bob)
    ]
    results = await asyncio.gather(*calls)
    assert not any(result.is_error for result in results)
    for call in graph.calls:
        owner = "alice" if "/alicefolder/" in str(call.request.url) else "bob"
        assert call.request.headers["Authorization"] == f"Bearer {owner}-access-1"
    # channels' wrapper closes the worker thread's connection (PostgreSQL drops the test
    # database at the end only when no session is left open).
    rows = await database_sync_to_async(
        lambda: list(ToolCall.objects.values_list("person_id", flat=True))
    )()
    assert sorted(rows) == sorted([alice.pk, bob.pk] * 6)


# --- F11: one pooled requests.Session per thread carries cookies between people ------------


def test_a_cookie_set_for_alice_is_not_sent_with_bobs_request(
    alice: User, bob: User, graph
) -> None:
    _session().cookies.clear()
    graph.get(f"{GRAPH}/me", json={}, headers={"Set-Cookie": "X-BackEndCookie=alice-mailbox"})
    graph.get(f"{GRAPH}/me", json={})
    try:
        GraphClient(user=alice, request_ids=[]).get("/me")
        GraphClient(user=bob, request_ids=[]).get("/me")
        assert "Cookie" not in graph.calls[1].request.headers
    finally:
        _session().cookies.clear()

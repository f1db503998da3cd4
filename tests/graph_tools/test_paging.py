"""Opaque cursors: bound to the person and the listing, signed, and only ever under Graph."""

from __future__ import annotations

import pytest
from django.core import signing

from graph_tools.client import GraphClient
from graph_tools.errors import GraphError, InvalidCursor
from graph_tools.paging import SALT, cursor_open, cursor_seal, page_get
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db
MESSAGES = f"{GRAPH}/me/messages"


def client_for(user) -> GraphClient:
    return GraphClient(user=user, request_ids=[])


def test_it_turns_the_next_link_into_a_cursor_and_follows_it(alice, graph) -> None:
    next_link = f"{MESSAGES}?%24top=2&%24skip=2"
    graph.get(MESSAGES, json={"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": next_link})
    first = page_get(
        client_for(alice), "/me/messages", listing="m", cursor=None, params={"$top": "2"}
    )
    assert [item["id"] for item in first.items] == ["1", "2"]
    assert first.next_cursor
    assert "skip" not in first.next_cursor
    graph.get(next_link, json={"value": [{"id": "3"}]})
    second = page_get(client_for(alice), "/me/messages", listing="m", cursor=first.next_cursor)
    assert [item["id"] for item in second.items] == ["3"]
    assert second.next_cursor is None
    assert graph.calls[1].request.url == next_link


def test_it_refuses_another_persons_cursor(alice, bob) -> None:
    cursor = cursor_seal(f"{MESSAGES}?$skip=10", graph=client_for(bob), listing="m")
    with pytest.raises(InvalidCursor):
        cursor_open(cursor, graph=client_for(alice), listing="m")


def test_it_refuses_a_cursor_from_another_listing(alice) -> None:
    cursor = cursor_seal(f"{MESSAGES}?$skip=10", graph=client_for(alice), listing="m:inbox")
    with pytest.raises(InvalidCursor):
        cursor_open(cursor, graph=client_for(alice), listing="contacts")


@pytest.mark.parametrize("cursor", ["", "x" * 5000, "not-a-cursor", "a:b:c"])
def test_it_refuses_a_made_up_cursor(alice, cursor) -> None:
    with pytest.raises(InvalidCursor):
        cursor_open(cursor or "x", graph=client_for(alice), listing="m")


def test_it_refuses_a_next_link_to_another_host(alice, graph) -> None:
    graph.get(MESSAGES, json={"value": [], "@odata.nextLink": "https://evil.example/v1.0/me"})
    with pytest.raises(GraphError):
        page_get(client_for(alice), "/me/messages", listing="m", cursor=None)


def test_it_refuses_a_forged_cursor_even_with_a_valid_signature_elsewhere(alice) -> None:
    forged = signing.dumps({"u": "@evil.example/x", "p": alice.pk, "l": "m"}, salt=SALT)
    with pytest.raises(GraphError):
        cursor_open(forged, graph=client_for(alice), listing="m")


@pytest.mark.parametrize(
    "body",
    [{"value": "nope"}, {"value": [1, 2]}, {"items": []}, [], {"value": [], "@odata.nextLink": 5}],
)
def test_it_reports_a_page_it_cannot_read(alice, graph, body) -> None:
    graph.get(MESSAGES, json=body)
    with pytest.raises(GraphError) as raised:
        page_get(client_for(alice), "/me/messages", listing="m", cursor=None)
    assert "could not read" in raised.value.tool_message

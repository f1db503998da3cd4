"""moveEmail and deleteEmail: POST move (201) with the destination; delete goes to Deleted
Items, never a hard DELETE."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import MESSAGE_ID, MESSAGE_URL, MOVED, MOVED_ID

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_moves_a_message_and_returns_its_new_id(call_tool, graph) -> None:
    graph.post(f"{MESSAGE_URL}/move", status=201, json=MOVED)
    result = await call_tool("moveEmail", {"messageId": MESSAGE_ID, "destinationFolder": "archive"})
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", f"{MESSAGE_URL}/move", {})
    assert request.body == {"destinationId": "archive"}
    assert result.structured_content == {"id": MOVED_ID, "folder": "archive"}
    assert text(result) == f"Moved to archive; new id {MOVED_ID}."


async def test_it_deletes_by_moving_to_deleted_items(call_tool, graph) -> None:
    graph.post(f"{MESSAGE_URL}/move", status=201, json=MOVED)
    result = await call_tool("deleteEmail", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert [c.request.method for c in graph.calls] == ["POST"]  # no DELETE: recoverable
    assert sent(graph).body == {"destinationId": "deleteditems"}
    assert result.structured_content == {"id": MOVED_ID, "folder": "deleteditems"}
    assert text(result) == (f"Moved to Deleted Items (not permanently deleted); new id {MOVED_ID}.")


async def test_it_needs_a_destination(call_tool, graph) -> None:
    result = await call_tool("moveEmail", {"messageId": MESSAGE_ID})
    assert result.is_error
    assert "Invalid arguments for moveEmail: destinationFolder" in text(result)
    assert len(graph.calls) == 0

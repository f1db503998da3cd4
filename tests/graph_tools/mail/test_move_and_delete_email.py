"""moveEmail and deleteEmail: POST move (201) with the destination; delete goes to Deleted
Items, never a hard DELETE; moving there is a delete too, so moveEmail leaves it to deleteEmail,
which asks the person first."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import all_sent, sent, text
from tests.graph_tools.scenarios import GRAPH
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


DELETED_ITEMS_ID = "AAMkAGI2TG93AAAuAAAAAAC4ofQ+deleted=AQ=="
OTHER_FOLDER_ID = "AAMkAGI2TG93AAAuAAAAAAC4ofQ+projects=AQ=="
REFUSED = (
    "Nothing was moved: moving a message there deletes it. Use deleteEmail instead, which "
    "asks the person first."
)


@pytest.mark.parametrize(
    "folder",
    [
        "deleteditems",
        "DeletedItems",
        "recoverableitemsdeletions",
        "RecoverableItemsPurges",
        "recoverableitemsroot",
        "recoverableitemsversions",
        "archivedeleteditems",
    ],
)
async def test_it_leaves_moves_to_a_deletion_folder_to_delete_email(
    call_tool, graph, folder
) -> None:
    result = await call_tool("moveEmail", {"messageId": MESSAGE_ID, "destinationFolder": folder})
    assert result.is_error
    assert text(result) == REFUSED
    assert len(graph.calls) == 0


async def test_it_leaves_a_move_to_deleted_items_by_id_to_delete_email(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/mailFolders/deleteditems", json={"id": DELETED_ITEMS_ID})
    arguments = {"messageId": MESSAGE_ID, "destinationFolder": DELETED_ITEMS_ID}
    result = await call_tool("moveEmail", arguments)
    assert result.is_error
    assert text(result) == REFUSED
    read = sent(graph)
    assert (read.method, read.path, read.query) == (
        "GET",
        "/me/mailFolders/deleteditems",
        {"$select": "id"},
    )


async def test_it_moves_to_a_folder_id_after_reading_deleted_items_once_an_hour(
    call_tool, graph
) -> None:
    graph.get(f"{GRAPH}/me/mailFolders/deleteditems", json={"id": DELETED_ITEMS_ID})
    graph.post(f"{MESSAGE_URL}/move", status=201, json=MOVED)
    arguments = {"messageId": MESSAGE_ID, "destinationFolder": OTHER_FOLDER_ID}
    first = await call_tool("moveEmail", arguments)
    again = await call_tool("moveEmail", arguments)
    assert not first.is_error, text(first)
    assert again.structured_content == {"id": MOVED_ID, "folder": OTHER_FOLDER_ID}
    assert [(s.method, s.path) for s in all_sent(graph)] == [
        ("GET", "/me/mailFolders/deleteditems"),
        ("POST", f"{MESSAGE_URL.removeprefix(GRAPH)}/move"),
        ("POST", f"{MESSAGE_URL.removeprefix(GRAPH)}/move"),
    ]
    assert sent(graph).body == {"destinationId": OTHER_FOLDER_ID}


async def test_it_reads_deleted_items_for_each_person(call_tool, graph, alice, bob) -> None:
    graph.get(f"{GRAPH}/me/mailFolders/deleteditems", json={"id": DELETED_ITEMS_ID})
    graph.get(f"{GRAPH}/me/mailFolders/deleteditems", json={"id": OTHER_FOLDER_ID})
    graph.post(f"{MESSAGE_URL}/move", status=201, json=MOVED)
    arguments = {"messageId": MESSAGE_ID, "destinationFolder": OTHER_FOLDER_ID}
    assert not (await call_tool("moveEmail", arguments, person=alice)).is_error
    # bob's Deleted Items is the folder alice may move to: his move is refused.
    refused = await call_tool("moveEmail", arguments, person=bob)
    assert text(refused) == REFUSED
    tokens = [c.request.headers["Authorization"] for c in graph.calls]
    assert tokens == ["Bearer alice-access-1", "Bearer alice-access-1", "Bearer bob-access-1"]


async def test_it_reports_a_deleted_items_reply_without_an_id(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/mailFolders/deleteditems", json={"displayName": "Deleted Items"})
    arguments = {"messageId": MESSAGE_ID, "destinationFolder": OTHER_FOLDER_ID}
    result = await call_tool("moveEmail", arguments)
    assert result.is_error
    assert "could not read" in text(result)
    assert [c.request.method for c in graph.calls] == ["GET"]  # nothing moved

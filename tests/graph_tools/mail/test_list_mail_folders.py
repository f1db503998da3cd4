"""listMailFolders: top-level folders or one folder's subfolders, with counts and paging."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.mail import FOLDERS

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = "id,displayName,unreadItemCount,totalItemCount,childFolderCount"
INBOX = {
    "id": "AAMkAGI2inbox=",
    "displayName": "Inbox",
    "unreadItemCount": 3,
    "totalItemCount": 12,
    "childFolderCount": 1,
}


async def test_it_lists_the_top_level_folders(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/mailFolders", json=FOLDERS)
    result = await call_tool("listMailFolders")
    request = sent(graph)
    assert (request.method, request.url) == ("GET", f"{GRAPH}/me/mailFolders")
    assert request.query == {"$top": "50", "$select": FIELDS}
    assert result.structured_content == {"folders": [INBOX], "nextCursor": None}
    assert text(result) == "1 folders:\n- AAMkAGI2inbox= | Inbox (3 unread of 12)"


async def test_it_lists_a_folders_subfolders(call_tool, graph) -> None:
    url = f"{GRAPH}/me/mailFolders/AAMkAGI2inbox%3D/childFolders"
    link = f"{url}?$top=50&$skip=50"
    graph.get(url, json={"value": [INBOX], "@odata.nextLink": link})
    result = await call_tool("listMailFolders", {"parentFolder": "AAMkAGI2inbox="})
    assert sent(graph).url == url
    assert text(result).endswith("More: call again with cursor=nextCursor.")
    graph.get(url, json={"value": []})
    more = await call_tool(
        "listMailFolders",
        {"parentFolder": "AAMkAGI2inbox=", "cursor": result.structured_content["nextCursor"]},
    )
    assert graph.calls[-1].request.url == link
    assert more.structured_content == {"folders": [], "nextCursor": None}


async def test_it_refuses_a_top_level_cursor_for_subfolders(call_tool, graph) -> None:
    link = f"{GRAPH}/me/mailFolders?$top=50&$skip=50"
    graph.get(f"{GRAPH}/me/mailFolders", json={"value": [INBOX], "@odata.nextLink": link})
    first = await call_tool("listMailFolders")
    result = await call_tool(
        "listMailFolders",
        {"parentFolder": "inbox", "cursor": first.structured_content["nextCursor"]},
    )
    assert result.is_error
    assert "cursor is not valid here" in text(result)

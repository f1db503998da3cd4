"""getEmails: the exact list request, summaries, paging with cursors bound to their listing."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.mail import LIST_PAGE, MESSAGE_ID, NEXT_LINK, SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)
INBOX_URL = f"{GRAPH}/me/mailFolders/inbox/messages"
FIELDS = "id,subject,from,receivedDateTime,isRead,hasAttachments,flag,bodyPreview"
FIRST = {
    "id": MESSAGE_ID,
    "subject": "Q3 budget review",
    "from": "Bob Baker <bob@contoso.com>",
    "receivedDateTime": "2026-11-20T16:30:00+01:00",
    "isRead": False,
    "hasAttachments": True,
    "flag": "flagged",
    "bodyPreview": "Hi Alice, the Q3 numbers are attached.",
}


async def test_it_lists_the_newest_inbox_messages(call_tool, graph, mailbox_zone) -> None:
    graph.get(INBOX_URL, json=LIST_PAGE)
    result = await call_tool("getEmails", {"count": 2})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", INBOX_URL)
    assert request.query == {"$top": "2", "$select": FIELDS, "$orderby": "receivedDateTime desc"}
    assert "Prefer" not in request.headers  # message times are UTC whatever Prefer says
    assert len(graph.calls) == 1  # the mailbox zone is known (cached): converted here
    cursor = result.structured_content["nextCursor"]
    assert isinstance(cursor, str)
    assert "graph.microsoft.com" not in cursor
    assert result.structured_content == {
        "messages": [
            FIRST,
            {
                "id": "AAMkAGI2second=",
                "subject": "Lunch?",
                "from": "Anna Lindqvist <anna@contoso.com>",
                "receivedDateTime": "2026-11-20T16:30:00+01:00",
                "isRead": True,
                "hasAttachments": False,
                "flag": "notFlagged",
                "bodyPreview": "Thursday at 12?",
            },
        ],
        "nextCursor": cursor,
        "timeZone": ZONE,
    }
    assert text(result) == (
        f"2 messages (times {ZONE}):\n"
        f"- {MESSAGE_ID} | 2026-11-20T16:30:00+01:00 | Bob Baker <bob@contoso.com> | "
        "Q3 budget review [unread]\n"
        "- AAMkAGI2second= | 2026-11-20T16:30:00+01:00 | Anna Lindqvist <anna@contoso.com> | "
        "Lunch?\n"
        "More: call again with cursor=nextCursor."
    )


async def test_it_follows_the_cursor_to_graphs_next_link(call_tool, graph, mailbox_zone) -> None:
    graph.get(INBOX_URL, json=LIST_PAGE)
    first = await call_tool("getEmails", {"count": 2})
    graph.get(INBOX_URL, json={"value": [SUMMARY]})
    second = await call_tool("getEmails", {"cursor": first.structured_content["nextCursor"]})
    assert graph.calls[-1].request.url == NEXT_LINK
    assert second.structured_content["nextCursor"] is None
    assert second.structured_content["messages"] == [FIRST]
    assert text(second) == (
        f"1 messages (times {ZONE}):\n"
        f"- {MESSAGE_ID} | 2026-11-20T16:30:00+01:00 | Bob Baker <bob@contoso.com> | "
        "Q3 budget review [unread]"
    )


async def test_it_refuses_a_cursor_from_another_folder(call_tool, graph, mailbox_zone) -> None:
    graph.get(INBOX_URL, json=LIST_PAGE)
    first = await call_tool("getEmails", {"count": 2})
    cursor = first.structured_content["nextCursor"]
    result = await call_tool("getEmails", {"folder": "archive", "cursor": cursor})
    assert result.is_error
    assert "cursor is not valid here" in text(result)
    assert len(graph.calls) == 1


async def test_it_encodes_a_folder_id_into_one_path_segment(call_tool, graph, mailbox_zone) -> None:
    url = f"{GRAPH}/me/mailFolders/AAMkAD%2Ffolder%2B1%3D/messages"
    graph.get(url, json={"value": []})
    result = await call_tool("getEmails", {"folder": "AAMkAD/folder+1="})
    assert sent(graph).url == url
    assert sent(graph).query["$top"] == "10"
    assert result.structured_content == {"messages": [], "nextCursor": None, "timeZone": ZONE}
    assert text(result) == f"0 messages (times {ZONE})."


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"count": 51}, "count"), ({"count": 0}, "count"), ({"folder": "my inbox"}, "folder")],
)
async def test_it_rejects_bad_arguments(call_tool, graph, arguments, field) -> None:
    result = await call_tool("getEmails", arguments)
    assert result.is_error
    assert f"Invalid arguments for getEmails: {field}" in text(result)
    assert len(graph.calls) == 0


async def test_it_copes_with_missing_and_odd_fields(call_tool, graph, mailbox_zone) -> None:
    graph.get(
        INBOX_URL,
        json={"value": [{"id": "AAMk=", "from": None, "subject": 5, "receivedDateTime": "soon"}]},
    )
    result = await call_tool("getEmails")
    assert result.structured_content["messages"] == [
        {
            "id": "AAMk=",
            "subject": "",
            "from": "",
            "receivedDateTime": "",
            "isRead": False,
            "hasAttachments": False,
            "flag": "",
            "bodyPreview": "",
        }
    ]

"""searchEmails: KQL in a double-quoted $search, no $orderby, paging bound to the query."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.mail import MESSAGE_ID, SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)
MESSAGES_URL = f"{GRAPH}/me/messages"
FIELDS = "id,subject,from,receivedDateTime,isRead,hasAttachments,flag,bodyPreview"


async def test_it_searches_every_folder_with_kql(call_tool, graph, mailbox_zone) -> None:
    graph.get(MESSAGES_URL, json={"value": [SUMMARY]})
    result = await call_tool("searchEmails", {"query": "from:bob subject:budget", "count": 5})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", MESSAGES_URL)
    # Graph refuses $orderby with $search (SearchWithOrderBy) and sorts by itself.
    assert request.query == {
        "$search": '"from:bob subject:budget"',
        "$top": "5",
        "$select": FIELDS,
    }
    assert "ConsistencyLevel" not in request.headers  # not for Outlook messages
    assert result.structured_content == {
        "messages": [
            {
                "id": MESSAGE_ID,
                "subject": "Q3 budget review",
                "from": "Bob Baker <bob@contoso.com>",
                "receivedDateTime": "2026-11-20T16:30:00+01:00",
                "isRead": False,
                "hasAttachments": True,
                "flag": "flagged",
                "bodyPreview": "Hi Alice, the Q3 numbers are attached.",
            }
        ],
        "nextCursor": None,
        "timeZone": ZONE,
    }
    assert text(result) == (
        f"1 messages (times {ZONE}):\n"
        f"- {MESSAGE_ID} | 2026-11-20T16:30:00+01:00 | Bob Baker <bob@contoso.com> | "
        "Q3 budget review [unread]"
    )


async def test_it_escapes_quotes_and_backslashes(call_tool, graph, mailbox_zone) -> None:
    graph.get(MESSAGES_URL, json={"value": []})
    await call_tool("searchEmails", {"query": 'subject:"Q3 plan" C:\\temp'})
    assert sent(graph).query["$search"] == '"subject:\\"Q3 plan\\" C:\\\\temp"'


async def test_it_binds_a_cursor_to_its_query(call_tool, graph, mailbox_zone) -> None:
    link = f"{MESSAGES_URL}?$search=%22budget%22&$top=1&$skip=1"
    graph.get(MESSAGES_URL, json={"value": [SUMMARY], "@odata.nextLink": link})
    first = await call_tool("searchEmails", {"query": "budget", "count": 1})
    cursor = first.structured_content["nextCursor"]
    other = await call_tool("searchEmails", {"query": "lunch", "cursor": cursor})
    assert other.is_error
    assert "cursor is not valid here" in text(other)
    graph.get(MESSAGES_URL, json={"value": []})
    same = await call_tool("searchEmails", {"query": "budget", "cursor": cursor})
    assert not same.is_error
    assert graph.calls[-1].request.url == link


@pytest.mark.parametrize("query", ["", "x" * 501])
async def test_it_rejects_an_empty_or_huge_query(call_tool, graph, query) -> None:
    result = await call_tool("searchEmails", {"query": query})
    assert result.is_error
    assert "Invalid arguments for searchEmails: query" in text(result)
    assert len(graph.calls) == 0

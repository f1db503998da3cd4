"""Message times (UTC at Graph) shown in the zone asked for, else the mailbox's, with the
result saying which; a zone this server cannot convert to gives UTC, never an error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graph_tools.conftest import all_sent, sent, text
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.mail import LIST_PAGE, MESSAGE, MESSAGE_ID, MESSAGE_URL, SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)
INBOX_URL = f"{GRAPH}/me/mailFolders/inbox/messages"
ZONE_URL = f"{GRAPH}/me/mailboxSettings/timeZone"
SUMMER = {**SUMMARY, "receivedDateTime": "2026-07-01T08:00:00Z"}


def times(result: Any) -> list[str]:
    out = result.structured_content
    if "messages" in out:
        return [m["receivedDateTime"] for m in out["messages"]]
    return [out["sentDateTime"], out["receivedDateTime"]]


@pytest.mark.parametrize(
    ("tool", "arguments", "url", "reply", "expected"),
    [
        (
            "getEmails",
            {"timeZone": "Tokyo Standard Time"},
            INBOX_URL,
            {"value": [SUMMARY]},
            ["2026-11-21T00:30:00+09:00"],
        ),
        (
            "searchEmails",
            {"query": "budget", "timeZone": "America/New_York"},
            f"{GRAPH}/me/messages",
            {"value": [SUMMARY]},
            ["2026-11-20T10:30:00-05:00"],
        ),
        (
            "getEmail",
            {"messageId": MESSAGE_ID, "timeZone": "India Standard Time"},
            MESSAGE_URL,
            MESSAGE,
            ["2026-11-20T20:59:58+05:30", "2026-11-20T21:00:00+05:30"],
        ),
    ],
)
async def test_it_shows_times_in_the_zone_asked_for(
    call_tool, graph, tool, arguments, url, reply, expected
) -> None:
    graph.get(url, json=reply)
    result = await call_tool(tool, arguments)
    assert not result.is_error, text(result)
    assert times(result) == expected
    assert result.structured_content["timeZone"] == arguments["timeZone"]
    assert [sent(graph, i).url for i in range(len(graph.calls))] == [url]  # no mailbox look-up
    assert "Prefer" not in sent(graph).headers  # message times are UTC whatever Prefer says


async def test_it_reads_the_mailbox_zone_once_and_keeps_it(call_tool, graph) -> None:
    graph.get(INBOX_URL, json=LIST_PAGE)
    graph.get(ZONE_URL, json={"value": "Pacific Standard Time"})
    first = await call_tool("getEmails", {"count": 2})
    second = await call_tool("getEmails", {"count": 2})
    requests = all_sent(graph)
    # The list first (a failed read costs no look-up), then the zone, cached for the next call.
    assert [(r.method, r.url, r.query) for r in requests[:2]] == [
        ("GET", INBOX_URL, requests[0].query),
        ("GET", ZONE_URL, {}),
    ]
    assert [r.url for r in requests[2:]] == [INBOX_URL]
    for result in (first, second):
        assert times(result) == ["2026-11-20T07:30:00-08:00", "2026-11-20T07:30:00-08:00"]
        assert result.structured_content["timeZone"] == "Pacific Standard Time"
    assert text(first).startswith(
        "2 messages (times Pacific Standard Time):\n"
        f"- {MESSAGE_ID} | 2026-11-20T07:30:00-08:00 | Bob Baker <bob@contoso.com> |"
    )


async def test_it_follows_daylight_saving_time(call_tool, graph, mailbox_zone) -> None:
    graph.get(INBOX_URL, json={"value": [SUMMER, SUMMARY]})
    result = await call_tool("getEmails")
    assert times(result) == ["2026-07-01T10:00:00+02:00", "2026-11-20T16:30:00+01:00"]
    assert result.structured_content["timeZone"] == mailbox_zone


@pytest.mark.parametrize(
    ("given", "mailbox"),
    [("Mars Standard Time", None), (None, "Customized Time Zone")],
)
async def test_it_shows_utc_for_a_zone_it_cannot_convert_to(
    call_tool, graph, given, mailbox
) -> None:
    graph.get(INBOX_URL, json={"value": [SUMMARY]})
    graph.get(ZONE_URL, json={"value": mailbox})
    result = await call_tool("getEmails", {"timeZone": given} if given else {})
    assert not result.is_error, text(result)
    assert times(result) == ["2026-11-20T15:30:00+00:00"]
    assert result.structured_content["timeZone"] == "UTC"
    assert text(result).startswith("1 messages (times UTC):")


async def test_it_asks_for_no_zone_when_the_read_fails(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, status=404, json={"error": {"code": "ErrorItemNotFound"}})
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID})
    assert result.is_error
    assert [call.request.url.split("?")[0] for call in graph.calls] == [MESSAGE_URL]


@pytest.mark.parametrize("zone", ['UTC"; x', "", "x" * 65])
async def test_it_rejects_a_zone_name_that_cannot_be_one(call_tool, graph, zone) -> None:
    result = await call_tool("getEmails", {"timeZone": zone})
    assert result.is_error
    assert "Invalid arguments for getEmails: timeZone" in text(result)
    assert len(graph.calls) == 0

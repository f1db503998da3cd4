"""getChannelMessages, listChats and getChatMessages: exact requests, bodies as text, paging."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graph_tools.conftest import all_sent
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.teams import (
    CHANNEL,
    CHANNEL_MESSAGES_URL,
    CHAT,
    CHAT_MESSAGES_URL,
    TEAM,
    chat_message,
)

pytestmark = pytest.mark.django_db(transaction=True)
# chat_message's 2021-03-28T21:11:12.395Z in alice's mailbox zone, summer time since 01:00 UTC.
LOCAL = "2021-03-28T23:11:12+02:00"


def mention(index: int, name: str) -> dict[str, Any]:
    return {"id": index, "mentionText": name, "mentioned": {"user": {"displayName": name}}}


async def test_it_reads_channel_messages_as_text(call_tool, graph, mailbox_zone) -> None:
    graph.get(
        CHANNEL_MESSAGES_URL,
        json={
            "value": [
                chat_message(
                    "1616990032035",
                    '<p><at id="0">Bob Baker</at> the <b>draft</b> is&nbsp;ready</p>',
                    mentions=[mention(0, "Bob Baker")],
                ),
                {
                    **chat_message(
                        "1616990000000",
                        "<systemEventMessage/>",
                        messageType="unknownFutureValue",
                        eventDetail={
                            "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"
                        },
                    ),
                    "from": None,
                },
                chat_message("1616980000000", "", deletedDateTime="2021-03-28T22:00:00Z"),
            ]
        },
    )
    result = await call_tool("getChannelMessages", {"teamId": TEAM, "channelId": CHANNEL})
    assert not result.is_error, result.content[0].text
    [request] = all_sent(graph)
    assert (request.method, request.url, request.query) == (
        "GET",
        CHANNEL_MESSAGES_URL,
        {"$top": "20"},
    )
    assert result.structured_content == {
        "messages": [
            {
                "id": "1616990032035",
                "from": "Robin Kline",
                "createdDateTime": LOCAL,
                "body": "Bob Baker the draft is ready",
                "mentions": ["Bob Baker"],
            },
            {
                "id": "1616990000000",
                "from": None,
                "createdDateTime": LOCAL,
                "body": "[system event: membersAdded]",
                "mentions": [],
            },
            {
                "id": "1616980000000",
                "from": "Robin Kline",
                "createdDateTime": LOCAL,
                "body": "[deleted]",
                "mentions": [],
            },
        ],
        "nextCursor": None,
        "timeZone": ZONE,
    }
    assert result.content[0].text == (
        f"Times in {ZONE}:\n"
        f"{LOCAL} Robin Kline: Bob Baker the draft is ready (id 1616990032035)\n"
        f"{LOCAL} -: [system event: membersAdded] (id 1616990000000)\n"
        f"{LOCAL} Robin Kline: [deleted] (id 1616980000000)"
    )


async def test_it_trims_long_bodies_with_a_marker(call_tool, graph, mailbox_zone) -> None:
    graph.get(CHANNEL_MESSAGES_URL, json={"value": [chat_message(content="x" * 2500)]})
    result = await call_tool("getChannelMessages", {"teamId": TEAM, "channelId": CHANNEL})
    body = result.structured_content["messages"][0]["body"]
    assert body == "x" * 2000 + "\n[… trimmed: 500 more characters]"


async def test_it_names_a_bot_as_the_sender(call_tool, graph, mailbox_zone) -> None:
    bot = {"application": {"displayName": "Build Bot"}, "device": None, "user": None}
    graph.get(CHANNEL_MESSAGES_URL, json={"value": [{**chat_message(), "from": bot}]})
    result = await call_tool("getChannelMessages", {"teamId": TEAM, "channelId": CHANNEL})
    assert result.structured_content["messages"][0]["from"] == "Build Bot"


async def test_it_pages_channel_messages_with_the_skiptoken_link(
    call_tool, graph, mailbox_zone
) -> None:
    link = f"{CHANNEL_MESSAGES_URL}?$top=2&$skiptoken=c2tpcDoy"
    graph.get(
        CHANNEL_MESSAGES_URL,
        json={"value": [chat_message("3"), chat_message("2")], "@odata.nextLink": link},
    )
    graph.get(link, json={"value": [chat_message("1")]})
    arguments = {"teamId": TEAM, "channelId": CHANNEL, "count": 2}
    first = await call_tool("getChannelMessages", arguments)
    cursor = first.structured_content["nextCursor"]
    assert first.content[0].text.endswith("\nMore: call again with nextCursor.")
    second = await call_tool("getChannelMessages", {**arguments, "cursor": cursor})
    assert [m["id"] for m in second.structured_content["messages"]] == ["1"]
    assert second.structured_content["nextCursor"] is None
    assert [r.query for r in all_sent(graph)] == [
        {"$top": "2"},
        {"$top": "2", "$skiptoken": "c2tpcDoy"},
    ]
    other_channel = await call_tool(
        "getChannelMessages", {**arguments, "channelId": "19:other@thread.tacv2", "cursor": cursor}
    )
    assert other_channel.is_error


async def test_it_reports_a_message_it_cannot_read(call_tool, graph, mailbox_zone) -> None:
    graph.get(CHANNEL_MESSAGES_URL, json={"value": [{"id": 5, "body": None}]})
    result = await call_tool("getChannelMessages", {"teamId": TEAM, "channelId": CHANNEL})
    assert result.is_error
    assert "could not read" in result.content[0].text


async def test_it_lists_chats_with_members_latest_first(call_tool, graph, mailbox_zone) -> None:
    one_on_one = "19:335d0471-d65d-4500-aa54-a5999aa9d5c6_b20db37d@unq.gbl.spaces"
    graph.get(
        f"{GRAPH}/me/chats",
        json={
            "value": [
                {
                    "id": CHAT,
                    "topic": "Launch prep",
                    "createdDateTime": "2020-12-03T19:41:07.054Z",
                    "lastUpdatedDateTime": "2020-12-08T23:53:11.012Z",
                    "chatType": "group",
                    "members": [
                        {"displayName": "Alice Archer", "userId": "335d", "email": "a@x"},
                        {"displayName": "Bob Baker", "userId": "b20d", "email": "b@x"},
                    ],
                },
                {
                    "id": one_on_one,
                    "topic": None,
                    "lastUpdatedDateTime": "2020-12-07T10:00:00Z",
                    "chatType": "oneOnOne",
                    "members": [{"displayName": "Alice Archer"}, {"displayName": None}],
                },
            ]
        },
    )
    result = await call_tool("listChats", {"count": 5})
    assert not result.is_error, result.content[0].text
    [request] = all_sent(graph)
    assert (request.url, request.query) == (
        f"{GRAPH}/me/chats",
        {
            "$expand": "members",
            "$top": "5",
            "$orderby": "lastMessagePreview/createdDateTime desc",
        },
    )
    assert result.structured_content == {
        "chats": [
            {
                "id": CHAT,
                "topic": "Launch prep",
                "chatType": "group",
                "members": ["Alice Archer", "Bob Baker"],
                "lastUpdatedDateTime": "2020-12-09T00:53:11+01:00",
            },
            {
                "id": one_on_one,
                "topic": None,
                "chatType": "oneOnOne",
                "members": ["Alice Archer"],
                "lastUpdatedDateTime": "2020-12-07T11:00:00+01:00",
            },
        ],
        "nextCursor": None,
        "timeZone": ZONE,
    }
    assert result.content[0].text == (
        f"Launch prep [group] (id {CHAT})\nAlice Archer [oneOnOne] (id {one_on_one})"
    )


async def test_it_reads_chat_messages_newest_first(call_tool, graph, mailbox_zone) -> None:
    graph.get(CHAT_MESSAGES_URL, json={"value": [chat_message(content="Lunch?", chatId=CHAT)]})
    result = await call_tool("getChatMessages", {"chatId": CHAT, "count": 50})
    [request] = all_sent(graph)
    assert (request.method, request.url, request.query) == (
        "GET",
        CHAT_MESSAGES_URL,
        {"$top": "50", "$orderby": "createdDateTime desc"},
    )
    assert result.structured_content == {
        "messages": [
            {
                "id": "1616965872395",
                "from": "Robin Kline",
                "createdDateTime": LOCAL,
                "body": "Lunch?",
                "mentions": [],
            }
        ],
        "nextCursor": None,
        "timeZone": ZONE,
    }
    assert result.content[0].text == (
        f"Times in {ZONE}:\n{LOCAL} Robin Kline: Lunch? (id 1616965872395)"
    )

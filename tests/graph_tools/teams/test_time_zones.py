"""Teams times (UTC at Graph) shown in the zone asked for, else the mailbox's; the Teams
scopes need not read mailbox settings, so a refusal there means UTC, never a failed call."""

from __future__ import annotations

from typing import Any

import pytest

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
ZONE_URL = f"{GRAPH}/me/mailboxSettings/timeZone"
CHATS_URL = f"{GRAPH}/me/chats"
CHAT_ITEM = {
    "id": CHAT,
    "topic": "Launch",
    "chatType": "group",
    "lastUpdatedDateTime": "2020-12-08T23:53:11.012Z",
    "members": [],
}
REPLIES_URL = f"{CHANNEL_MESSAGES_URL}/1616965872395/replies"
CHANNEL_POST = {"teamId": TEAM, "channelId": CHANNEL, "message": "Hi"}


def times(out: dict[str, Any]) -> list[str]:
    if "chats" in out:
        return [chat["lastUpdatedDateTime"] for chat in out["chats"]]
    if "messages" in out:
        return [message["createdDateTime"] for message in out["messages"]]
    return [out["createdDateTime"]]


def urls(graph: Any) -> list[str]:
    return [str(call.request.url).split("?")[0] for call in graph.calls]


# Tokyo: UTC+9 all year; New York: UTC-5 in December, UTC-4 in March after the 14th.
@pytest.mark.parametrize(
    ("tool", "arguments", "method", "url", "reply", "expected"),
    [
        (
            "getChannelMessages",
            {"teamId": TEAM, "channelId": CHANNEL, "timeZone": "Tokyo Standard Time"},
            "GET",
            CHANNEL_MESSAGES_URL,
            {"value": [chat_message()]},
            "2021-03-29T06:11:12+09:00",
        ),
        (
            "listChats",
            {"timeZone": "America/New_York"},
            "GET",
            CHATS_URL,
            {"value": [CHAT_ITEM]},
            "2020-12-08T18:53:11-05:00",
        ),
        (
            "getChatMessages",
            {"chatId": CHAT, "timeZone": "Eastern Standard Time"},
            "GET",
            CHAT_MESSAGES_URL,
            {"value": [chat_message()]},
            "2021-03-28T17:11:12-04:00",
        ),
        (
            "sendTeamsMessage",
            {**CHANNEL_POST, "timeZone": "Asia/Tokyo"},
            "POST",
            CHANNEL_MESSAGES_URL,
            chat_message(),
            "2021-03-29T06:11:12+09:00",
        ),
        (
            "replyToChannelMessage",
            {**CHANNEL_POST, "messageId": "1616965872395", "timeZone": "Asia/Tokyo"},
            "POST",
            REPLIES_URL,
            chat_message(),
            "2021-03-29T06:11:12+09:00",
        ),
        (
            "sendChatMessage",
            {"chatId": CHAT, "message": "Hi", "timeZone": "Asia/Tokyo"},
            "POST",
            CHAT_MESSAGES_URL,
            chat_message(),
            "2021-03-29T06:11:12+09:00",
        ),
    ],
)
async def test_it_shows_times_in_the_zone_asked_for(
    call_tool, graph, tool, arguments, method, url, reply, expected
) -> None:
    graph.add(method, url, json=reply, status=201 if method == "POST" else 200)
    result = await call_tool(tool, arguments, consent="confirmed")
    assert not result.is_error, result.content[0].text
    assert times(result.structured_content) == [expected]
    assert result.structured_content["timeZone"] == arguments["timeZone"]
    assert urls(graph) == [url]  # no mailbox settings asked for


async def test_it_reads_the_mailbox_zone_after_the_messages_and_keeps_it(call_tool, graph) -> None:
    graph.get(CHAT_MESSAGES_URL, json={"value": [chat_message()]})
    graph.get(ZONE_URL, json={"value": ZONE})
    first = await call_tool("getChatMessages", {"chatId": CHAT})
    second = await call_tool("getChatMessages", {"chatId": CHAT})
    assert urls(graph) == [CHAT_MESSAGES_URL, ZONE_URL, CHAT_MESSAGES_URL]
    for result in (first, second):
        assert times(result.structured_content) == ["2021-03-28T23:11:12+02:00"]
        assert result.structured_content["timeZone"] == ZONE


@pytest.mark.parametrize(
    ("status", "code"),
    [(403, "ErrorAccessDenied"), (404, "MailboxNotEnabledForRESTAPI")],
)
async def test_it_shows_utc_when_the_mailbox_zone_cannot_be_read(
    call_tool, graph, status, code
) -> None:
    # 403: the Teams scopes lack MailboxSettings.Read; the other: no Exchange Online mailbox.
    graph.get(ZONE_URL, status=status, json={"error": {"code": code, "message": "No."}})
    graph.post(CHAT_MESSAGES_URL, status=201, json=chat_message())
    posted = await call_tool(
        "sendChatMessage", {"chatId": CHAT, "message": "Hi"}, consent="confirmed"
    )
    assert not posted.is_error, posted.content[0].text
    assert posted.structured_content["createdDateTime"] == "2021-03-28T21:11:12+00:00"
    assert posted.structured_content["timeZone"] == "UTC"
    graph.get(CHATS_URL, json={"value": [CHAT_ITEM]})
    listed = await call_tool("listChats")
    assert listed.structured_content["timeZone"] == "UTC"
    # The zone before the post (no error can follow a sent message), asked for only once.
    assert urls(graph) == [ZONE_URL, CHAT_MESSAGES_URL, CHATS_URL]


async def test_it_posts_nothing_when_the_mailbox_zone_fails_otherwise(call_tool, graph) -> None:
    graph.get(ZONE_URL, status=400, json={"error": {"code": "BadRequest", "message": "No."}})
    result = await call_tool(
        "sendChatMessage", {"chatId": CHAT, "message": "Hi"}, consent="confirmed"
    )
    assert result.is_error
    assert urls(graph) == [ZONE_URL]


async def test_it_shows_utc_for_a_zone_it_cannot_convert_to(call_tool, graph) -> None:
    graph.get(CHATS_URL, json={"value": [CHAT_ITEM]})
    result = await call_tool("listChats", {"timeZone": "Mars Standard Time"})
    assert times(result.structured_content) == ["2020-12-08T23:53:11+00:00"]
    assert result.structured_content["timeZone"] == "UTC"


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("listChats", {}),
        ("getChatMessages", {"chatId": CHAT}),
        ("sendChatMessage", {"chatId": CHAT, "message": "Hi"}),
    ],
)
async def test_it_rejects_a_zone_name_that_cannot_be_one(call_tool, graph, tool, arguments) -> None:
    result = await call_tool(tool, {**arguments, "timeZone": 'UTC"; x'}, consent="confirmed")
    assert result.is_error
    assert f"Invalid arguments for {tool}: timeZone" in result.content[0].text
    assert len(graph.calls) == 0

"""sendTeamsMessage (with @mentions), replyToChannelMessage and sendChatMessage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graph_tools.conftest import all_sent
from tests.graph_tools.scenarios import ZONE
from tests.graph_tools.scenarios.teams import (
    BATCH_URL,
    BOB_ID,
    CHANNEL,
    CHANNEL_MESSAGES_URL,
    CHAT,
    CHAT_MESSAGES_URL,
    TEAM,
    batch_reply,
    chat_message,
)

pytestmark = pytest.mark.django_db(transaction=True)
CAROL_ID = "0c4b1d6e-7a2f-4f5e-9b3c-1d2e3f4a5b6c"
POSTED = {
    "id": "1616965872395",
    "webUrl": "https://teams.microsoft.com/l/message/1616965872395",
    "createdDateTime": "2021-03-28T23:11:12+02:00",  # in alice's mailbox zone
    "timeZone": ZONE,
}


def mentioned(index: int, user_id: str, name: str) -> dict[str, Any]:
    return {
        "id": index,
        "mentionText": name,
        "mentioned": {"user": {"id": user_id, "displayName": name, "userIdentityType": "aadUser"}},
    }


async def test_it_mentions_people_resolved_in_one_batch(call_tool, graph, mailbox_zone) -> None:
    graph.post(
        BATCH_URL,
        json=batch_reply(
            (200, {"id": BOB_ID, "displayName": "Bob Baker"}),
            (200, {"id": CAROL_ID, "displayName": "Carol <Ops> & Co"}),
        ),
    )
    graph.post(CHANNEL_MESSAGES_URL, status=201, json=chat_message())
    result = await call_tool(
        "sendTeamsMessage",
        {
            "teamId": TEAM,
            "channelId": CHANNEL,
            "message": "Launch is <b>go</b> & on time\nsee you",
            "mentions": ["Bob@Contoso.com", CAROL_ID, "bob@contoso.com"],
        },
        consent="confirmed",
    )
    assert not result.is_error, result.content[0].text
    batch, post = all_sent(graph)
    assert batch.body == {
        "requests": [
            {
                "id": "1",
                "method": "GET",
                "url": "/users/bob%40contoso.com?$select=id,displayName",
                "headers": {},
            },
            {
                "id": "2",
                "method": "GET",
                "url": f"/users/{CAROL_ID}?$select=id,displayName",
                "headers": {},
            },
        ]
    }
    assert (post.method, post.url) == ("POST", CHANNEL_MESSAGES_URL)
    assert post.body == {
        "body": {
            "contentType": "html",
            "content": '<at id="0">Bob Baker</at> <at id="1">Carol &lt;Ops&gt; &amp; Co</at> '
            "Launch is &lt;b&gt;go&lt;/b&gt; &amp; on time<br>see you",
        },
        "mentions": [
            mentioned(0, BOB_ID, "Bob Baker"),
            mentioned(1, CAROL_ID, "Carol <Ops> & Co"),
        ],
    }
    assert result.structured_content == {**POSTED, "mentioned": ["Bob Baker", "Carol <Ops> & Co"]}
    assert result.content[0].text == (
        "Posted message 1616965872395, mentioning Bob Baker, Carol <Ops> & Co.\n"
        "https://teams.microsoft.com/l/message/1616965872395"
    )


async def test_it_keeps_an_html_message_as_written(call_tool, graph, mailbox_zone) -> None:
    graph.post(BATCH_URL, json=batch_reply((200, {"id": BOB_ID, "displayName": "Bob Baker"})))
    graph.post(CHANNEL_MESSAGES_URL, status=201, json=chat_message())
    await call_tool(
        "sendTeamsMessage",
        {
            "teamId": TEAM,
            "channelId": CHANNEL,
            "message": "<p>Ship <b>it</b></p>",
            "contentType": "html",
            "mentions": [BOB_ID],
        },
        consent="confirmed",
    )
    assert all_sent(graph)[1].body["body"] == {
        "contentType": "html",
        "content": '<at id="0">Bob Baker</at> <p>Ship <b>it</b></p>',
    }


async def test_it_posts_plain_text_without_mentions_as_text(call_tool, graph, mailbox_zone) -> None:
    graph.post(CHANNEL_MESSAGES_URL, status=201, json=chat_message())
    result = await call_tool(
        "sendTeamsMessage",
        {"teamId": TEAM, "channelId": CHANNEL, "message": "a < b"},
        consent="confirmed",
    )
    [post] = all_sent(graph)
    assert post.body == {"body": {"contentType": "text", "content": "a < b"}}
    assert result.structured_content == {**POSTED, "mentioned": []}
    assert result.content[0].text == (
        "Posted message 1616965872395.\nhttps://teams.microsoft.com/l/message/1616965872395"
    )


async def test_it_posts_nothing_when_a_mention_is_unknown(call_tool, graph) -> None:
    not_found = {"error": {"code": "Request_ResourceNotFound", "message": "Resource not found."}}
    graph.post(
        BATCH_URL,
        json=batch_reply((200, {"id": BOB_ID, "displayName": "Bob"}), (404, not_found)),
    )
    result = await call_tool(
        "sendTeamsMessage",
        {**base(), "mentions": ["bob@contoso.com", "nobody@contoso.com"]},
        consent="confirmed",
    )
    assert result.is_error
    assert result.content[0].text.startswith(
        "Nothing was posted: nobody in the directory answers to nobody@contoso.com."
    )
    assert [r.url for r in all_sent(graph)] == [BATCH_URL]


async def test_it_says_which_permission_a_refused_lookup_needs(call_tool, graph) -> None:
    denied = {"error": {"code": "Authorization_RequestDenied", "message": "Insufficient."}}
    graph.post(BATCH_URL, json=batch_reply((403, denied)))
    result = await call_tool(
        "sendTeamsMessage", {**base(), "mentions": ["bob@contoso.com"]}, consent="confirmed"
    )
    assert result.is_error
    assert "approve the teams.write permission" in result.content[0].text
    assert len(all_sent(graph)) == 1


def base() -> dict[str, Any]:
    return {"teamId": TEAM, "channelId": CHANNEL, "message": "Hello"}


async def test_it_asks_before_posting(call_tool, graph) -> None:
    arguments = {**base(), "mentions": ["bob@contoso.com"]}
    result = await call_tool("sendTeamsMessage", arguments, consent="not_asked")
    assert result.is_error
    assert (
        f"Post \u201cHello\u201d in channel {CHANNEL} of team {TEAM}, mentioning bob@contoso.com?"
        in result.content[0].text
    )
    declined = await call_tool("sendTeamsMessage", arguments, consent="declined")
    assert declined.is_error
    assert "did not confirm" in declined.content[0].text
    assert len(graph.calls) == 0


async def test_it_posts_once_the_model_passes_confirm(call_tool, graph, mailbox_zone) -> None:
    graph.post(CHANNEL_MESSAGES_URL, status=201, json=chat_message())
    result = await call_tool("sendTeamsMessage", {**base(), "confirm": True}, consent="not_asked")
    assert not result.is_error, result.content[0].text
    assert len(graph.calls) == 1


async def test_it_replies_in_a_thread(call_tool, graph, mailbox_zone) -> None:
    replies = f"{CHANNEL_MESSAGES_URL}/1616965872395/replies"
    graph.post(replies, status=201, json=chat_message("1616965999000", replyToId="1616965872395"))
    arguments = {**base(), "messageId": "1616965872395", "message": "Agreed\n" + "x" * 100}
    asked = await call_tool("replyToChannelMessage", arguments, consent="not_asked")
    assert (
        f"Reply \u201cAgreed {'x' * 72}…\u201d to message 1616965872395 in channel {CHANNEL}?"
        in (asked.content[0].text)
    )
    assert len(graph.calls) == 0
    result = await call_tool("replyToChannelMessage", arguments, consent="confirmed")
    [post] = all_sent(graph)
    assert (post.method, post.url) == ("POST", replies)
    assert post.body == {"body": {"contentType": "text", "content": arguments["message"]}}
    assert result.structured_content == {
        "id": "1616965999000",
        "webUrl": "https://teams.microsoft.com/l/message/1616965999000",
        "createdDateTime": "2021-03-28T23:11:12+02:00",
        "timeZone": ZONE,
    }


async def test_it_sends_a_chat_message(call_tool, graph, mailbox_zone) -> None:
    graph.post(CHAT_MESSAGES_URL, status=201, json=chat_message(webUrl=None, chatId=CHAT))
    arguments = {"chatId": CHAT, "message": "<i>on my way</i>", "contentType": "html"}
    asked = await call_tool("sendChatMessage", arguments, consent="not_asked")
    assert f"Send \u201c<i>on my way</i>\u201d in chat {CHAT}?" in asked.content[0].text
    result = await call_tool("sendChatMessage", arguments, consent="confirmed")
    [post] = all_sent(graph)
    assert (post.method, post.url) == ("POST", CHAT_MESSAGES_URL)
    assert post.body == {"body": {"contentType": "html", "content": "<i>on my way</i>"}}
    assert result.structured_content == {
        "id": "1616965872395",
        "webUrl": None,
        "createdDateTime": "2021-03-28T23:11:12+02:00",
        "timeZone": ZONE,
    }
    assert result.content[0].text == "Posted message 1616965872395."

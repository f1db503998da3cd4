"""Scenarios of the Teams, chat and Teams-meeting tools (see __init__.py), and the Graph
replies the teams tests share (shapes from wire shapes §2A)."""

from __future__ import annotations

from typing import Any

import responses

from tests.graph_tools.scenarios import GRAPH, ZONE, Scenario

TEAM = "172b0cce-e65d-44ce-9a49-91d9f2e8493a"
CHANNEL = "19:561fbdbbfca848a484f0a6f00ce9dbbd@thread.tacv2"
CHAT = "19:561082c0f3f847a58069deb8eb300807@thread.v2"
BOB_ID = "ef1c916a-3135-4417-ba27-8eb7bd084193"
CHANNELS_URL = f"{GRAPH}/teams/{TEAM}/channels"
CHANNEL_MESSAGES_URL = (
    f"{CHANNELS_URL}/19%3A561fbdbbfca848a484f0a6f00ce9dbbd%40thread.tacv2/messages"
)
CHAT_MESSAGES_URL = f"{GRAPH}/chats/19%3A561082c0f3f847a58069deb8eb300807%40thread.v2/messages"
BATCH_URL = f"{GRAPH}/$batch"
JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"


def chat_message(
    message_id: str = "1616965872395",
    content: str = "Hello <b>team</b>",
    *,
    sender: str = "Robin Kline",
    **extra: Any,
) -> dict[str, Any]:
    """A chatMessage as Graph lists or returns it."""
    return {
        "id": message_id,
        "replyToId": None,
        "messageType": "message",
        "createdDateTime": "2021-03-28T21:11:12.395Z",
        "deletedDateTime": None,
        "from": {
            "application": None,
            "device": None,
            "user": {
                "id": "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
                "displayName": sender,
                "userIdentityType": "aadUser",
            },
        },
        "body": {"contentType": "html", "content": content},
        "webUrl": f"https://teams.microsoft.com/l/message/{message_id}",
        "attachments": [],
        "mentions": [],
        "reactions": [],
        **extra,
    }


def batch_reply(*answers: tuple[int, Any]) -> dict[str, Any]:
    """A $batch reply: inner answers in request order, ids "1", "2", …"""
    return {
        "responses": [
            {"id": str(index), "status": status, "headers": {}, "body": body}
            for index, (status, body) in enumerate(answers, start=1)
        ]
    }


def event_reply(**extra: Any) -> dict[str, Any]:
    """POST /me/events' 201 reply for a Teams meeting, in the mailbox zone."""
    return {
        "id": "AAMkAGI1AAAt9AHjAAA=",
        "subject": "Falcon sync",
        "start": {"dateTime": "2025-03-14T15:00:00.0000000", "timeZone": ZONE},
        "end": {"dateTime": "2025-03-14T15:30:00.0000000", "timeZone": ZONE},
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "onlineMeeting": {"joinUrl": JOIN_URL},
        **extra,
    }


def _list_teams(mock: responses.RequestsMock) -> None:
    mock.get(
        f"{GRAPH}/me/joinedTeams",
        json={"value": [{"id": TEAM, "displayName": "Contoso Team", "description": None}]},
    )


def _list_channels(mock: responses.RequestsMock) -> None:
    channel = {"id": CHANNEL, "displayName": "General", "membershipType": "standard"}
    mock.get(CHANNELS_URL, json={"value": [channel]})


def _channel_messages(mock: responses.RequestsMock) -> None:
    mock.get(CHANNEL_MESSAGES_URL, json={"value": [chat_message()]})


def _post_channel_message(mock: responses.RequestsMock) -> None:
    mock.post(CHANNEL_MESSAGES_URL, status=201, json=chat_message())


def _reply(mock: responses.RequestsMock) -> None:
    mock.post(f"{CHANNEL_MESSAGES_URL}/1616965872395/replies", status=201, json=chat_message())


def _list_chats(mock: responses.RequestsMock) -> None:
    chat = {
        "id": CHAT,
        "topic": "Launch",
        "chatType": "group",
        "lastUpdatedDateTime": "2020-12-08T23:53:11.012Z",
        "members": [{"displayName": "Tony Stark"}],
    }
    mock.get(f"{GRAPH}/me/chats", json={"value": [chat]})


def _chat_messages(mock: responses.RequestsMock) -> None:
    mock.get(CHAT_MESSAGES_URL, json={"value": [chat_message()]})


def _post_chat_message(mock: responses.RequestsMock) -> None:
    mock.post(CHAT_MESSAGES_URL, status=201, json=chat_message(webUrl=None, chatId=CHAT))


def _create_meeting(mock: responses.RequestsMock) -> None:
    bob = {"displayName": "Bob Baker", "mail": "bob@contoso.com", "userPrincipalName": "bob@x"}
    mock.post(BATCH_URL, json=batch_reply((200, bob)))
    mock.post(f"{GRAPH}/me/events", status=201, json=event_reply())


MESSAGE = {"teamId": TEAM, "channelId": CHANNEL, "message": "Hello team"}
SCENARIOS: list[Scenario] = [
    Scenario("listTeams", {}, ("GET", f"{GRAPH}/me/joinedTeams"), _list_teams),
    Scenario("listChannels", {"teamId": TEAM}, ("GET", CHANNELS_URL), _list_channels),
    Scenario(
        "getChannelMessages",
        {"teamId": TEAM, "channelId": CHANNEL},
        ("GET", CHANNEL_MESSAGES_URL),
        _channel_messages,
    ),
    Scenario("sendTeamsMessage", MESSAGE, ("POST", CHANNEL_MESSAGES_URL), _post_channel_message),
    Scenario(
        "replyToChannelMessage",
        {**MESSAGE, "messageId": "1616965872395"},
        ("POST", f"{CHANNEL_MESSAGES_URL}/1616965872395/replies"),
        _reply,
    ),
    Scenario("listChats", {}, ("GET", f"{GRAPH}/me/chats"), _list_chats),
    Scenario("getChatMessages", {"chatId": CHAT}, ("GET", CHAT_MESSAGES_URL), _chat_messages),
    Scenario(
        "sendChatMessage",
        {"chatId": CHAT, "message": "Hi"},
        ("POST", CHAT_MESSAGES_URL),
        _post_chat_message,
    ),
    Scenario(
        "createTeamsMeeting",
        {
            "subject": "Falcon sync",
            "startTime": "2025-03-14T15:00:00",
            "endTime": "2025-03-14T15:30:00",
            "attendees": ["bob@contoso.com"],
        },
        ("POST", BATCH_URL),
        _create_meeting,
        extra={"idempotent_post": True},
    ),
]

"""The Teams tools against the in-process fake of Microsoft: real wire shapes end to end."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.fakes.graph_teams_seed import BOB_ERIK, FALCON, FALCON_GENERAL, LAUNCH, MARKETING
from tests.graph_tools.conftest import ConnectToFake

pytestmark = pytest.mark.django_db(transaction=True)
PERMISSIONS = [
    "Team.ReadBasic.All",
    "Channel.ReadBasic.All",
    "ChannelMessage.Read.All",
    "ChannelMessage.Send",
    "Chat.Read",
    "ChatMessage.Send",
    "User.ReadBasic.All",
]


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    """alice, signed in as the fake's alice with the Teams permissions (no mailbox settings)."""
    return connect_to_fake("alice", PERMISSIONS)


def utc(value: str) -> str:
    return datetime.fromisoformat(value).isoformat(timespec="seconds")


async def test_it_posts_a_channel_message_mentioning_bob(call_tool, microsoft_settings) -> None:
    fake = microsoft_settings
    result = await call_tool(
        "sendTeamsMessage",
        {
            "teamId": FALCON,
            "channelId": FALCON_GENERAL,
            "message": "Release notes & demo are ready",
            "mentions": [fake.bob.username],
        },
        consent="confirmed",
    )
    assert not result.is_error, result.content[0].text
    assert result.structured_content["mentioned"] == ["Bob Baker"]
    stored = fake.graph_data("alice")["channelMessages"][-1]
    assert stored["id"] == result.structured_content["id"]
    assert stored["channelIdentity"] == {"teamId": FALCON, "channelId": FALCON_GENERAL}
    assert stored["body"] == {
        "contentType": "html",
        "content": '<at id="0">Bob Baker</at> Release notes &amp; demo are ready',
    }
    assert [m["mentioned"]["user"]["id"] for m in stored["mentions"]] == [fake.bob.oid]
    listed = await call_tool(
        "getChannelMessages", {"teamId": FALCON, "channelId": FALCON_GENERAL, "count": 1}
    )
    assert listed.structured_content["messages"][0] == {
        "id": stored["id"],
        "from": "Alice Archer",
        "createdDateTime": utc(stored["createdDateTime"]),
        "body": "Bob Baker Release notes & demo are ready",
        "mentions": ["Bob Baker"],
    }
    assert listed.structured_content["nextCursor"] is not None
    # The Teams permissions do not read mailbox settings: times in UTC, and the refusal is
    # remembered rather than asked again.
    posted = result.structured_content
    assert (posted["createdDateTime"], posted["timeZone"]) == (
        utc(stored["createdDateTime"]),
        "UTC",
    )
    assert listed.structured_content["timeZone"] == "UTC"
    asked = [r.status for r in fake.graph_requests if r.path == "/me/mailboxSettings/timeZone"]
    assert asked == [403]


async def test_it_posts_nothing_for_an_unknown_mention(call_tool, microsoft_settings) -> None:
    before = len(microsoft_settings.graph_data("alice")["channelMessages"])
    result = await call_tool(
        "sendTeamsMessage",
        {
            "teamId": FALCON,
            "channelId": FALCON_GENERAL,
            "message": "Hi",
            "mentions": ["nobody@contoso.onmicrosoft.com"],
        },
        consent="confirmed",
    )
    assert result.is_error
    assert "nobody@contoso.onmicrosoft.com" in result.content[0].text
    assert len(microsoft_settings.graph_data("alice")["channelMessages"]) == before


async def test_it_lists_alices_teams_and_chats_only(call_tool) -> None:
    teams = await call_tool("listTeams", {})
    assert [t["id"] for t in teams.structured_content["teams"]] == [MARKETING, FALCON]
    chats = await call_tool("listChats", {})
    ids = [c["id"] for c in chats.structured_content["chats"]]
    assert ids[0] == LAUNCH
    assert BOB_ERIK not in ids


async def test_bobs_private_chat_is_out_of_alices_reach(call_tool, microsoft_settings) -> None:
    read = await call_tool("getChatMessages", {"chatId": BOB_ERIK})
    assert read.is_error
    assert "Microsoft 365 refused" in read.content[0].text
    write = await call_tool(
        "sendChatMessage", {"chatId": BOB_ERIK, "message": "hi"}, consent="confirmed"
    )
    assert write.is_error
    for person, count in (("alice", 0), ("bob", 1)):
        messages = microsoft_settings.graph_data(person)["chatMessages"]
        assert [m["chatId"] for m in messages].count(BOB_ERIK) == count


@pytest.fixture
def bob(connect_to_fake: ConnectToFake) -> User:
    """bob, whose permissions also read his mailbox settings."""
    return connect_to_fake("bob", [*PERMISSIONS, "MailboxSettings.Read"])


async def test_it_shows_times_in_the_mailbox_zone_it_may_read(
    call_tool, microsoft_settings, bob
) -> None:
    result = await call_tool("listChats", {}, person=bob)
    assert not result.is_error, result.content[0].text
    berlin = ZoneInfo("Europe/Berlin")  # bob's mailbox: W. Europe Standard Time
    chats = microsoft_settings.graph_data("bob")["chats"]
    assert {c["id"]: c["lastUpdatedDateTime"] for c in result.structured_content["chats"]} == {
        c["id"]: datetime.fromisoformat(c["lastUpdatedDateTime"])
        .astimezone(berlin)
        .isoformat(timespec="seconds")
        for c in chats
    }
    assert result.structured_content["timeZone"] == "W. Europe Standard Time"

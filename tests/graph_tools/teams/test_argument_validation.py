"""Bad arguments are refused before any Graph request, naming the field."""

from __future__ import annotations

import pytest

from tests.graph_tools.scenarios.teams import CHANNEL, CHAT, TEAM

pytestmark = pytest.mark.django_db(transaction=True)
MEETING = {"subject": "Sync", "startTime": "2025-03-14T15:00:00", "endTime": "2025-03-14T16:00:00"}
POST = {"teamId": TEAM, "channelId": CHANNEL, "message": "Hi", "confirm": True}


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("listChannels", {"teamId": "team id"}, "teamId"),
        ("listChannels", {"teamId": ""}, "teamId"),
        ("getChannelMessages", {"teamId": TEAM, "channelId": "19:a b"}, "channelId"),
        ("getChannelMessages", {"teamId": TEAM, "channelId": CHANNEL, "count": 51}, "count"),
        ("listChats", {"count": 0}, "count"),
        ("getChatMessages", {"chatId": CHAT, "cursor": "c" * 5000}, "cursor"),
        ("listTeams", {"top": 5}, "top"),
        ("sendTeamsMessage", {**POST, "message": ""}, "message"),
        ("sendTeamsMessage", {**POST, "message": "x" * 20001}, "message"),
        ("sendTeamsMessage", {**POST, "contentType": "markdown"}, "contentType"),
        ("sendTeamsMessage", {**POST, "mentions": ["Bob Baker"]}, "mentions"),
        (
            "sendTeamsMessage",
            {**POST, "mentions": [f"p{i}@contoso.com" for i in range(21)]},
            "mentions",
        ),
        ("replyToChannelMessage", {**POST, "messageId": "1?2"}, "messageId"),
        ("sendChatMessage", {"chatId": CHAT, "confirm": True}, "message"),
        ("createTeamsMeeting", {**MEETING, "startTime": "tomorrow 3pm"}, "startTime"),
        ("createTeamsMeeting", {**MEETING, "endTime": "2025-02-30T10:00:00"}, "endTime"),
        ("createTeamsMeeting", {**MEETING, "endTime": "2025-03-14T14:00:00"}, "after startTime"),
        ("createTeamsMeeting", {**MEETING, "endTime": "2025-03-14T16:00:00Z"}, "offset"),
        ("createTeamsMeeting", {**MEETING, "attendees": ["bob"]}, "attendees"),
        ("createTeamsMeeting", {**MEETING, "timeZone": 'UTC"; x'}, "timeZone"),
        ("createTeamsMeeting", {**MEETING, "subject": ""}, "subject"),
    ],
)
async def test_it_refuses_bad_arguments(call_tool, graph, tool, arguments, field) -> None:
    result = await call_tool(tool, arguments, consent="confirmed")
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_accepts_one_attendee_as_a_string_and_a_short_time(call_tool, graph) -> None:
    from graph_tools.teams.schemas import CreateTeamsMeetingInput

    parsed = CreateTeamsMeetingInput.model_validate(
        {**MEETING, "startTime": "2025-03-14T15:00", "attendees": "bob@contoso.com"}
    )
    assert (parsed.attendees, parsed.startTime) == (["bob@contoso.com"], "2025-03-14T15:00")

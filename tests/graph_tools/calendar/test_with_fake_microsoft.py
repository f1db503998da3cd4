"""The calendar tools against the in-process fake of Microsoft: real wire shapes end to end."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from tests.fakes.graph_items import outlook_id
from tests.fakes.people import BOB
from tests.graph_tools.conftest import ConnectToFake

pytestmark = pytest.mark.django_db(transaction=True)
PERMISSIONS = ["Calendars.ReadWrite", "MailboxSettings.Read"]
EUROPE = "W. Europe Standard Time"


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    """alice, signed in to the fake with a calendar permission (overrides the conftest's)."""
    return connect_to_fake("alice", PERMISSIONS)


async def test_it_creates_a_teams_meeting_in_the_zone_asked_for(
    call_tool, microsoft_settings
) -> None:
    arguments = {
        "subject": "Design review",
        "start": "2026-12-01T14:00:00",
        "end": "2026-12-01T15:00:00",
        "attendees": [BOB.mail],
        "timeZone": EUROPE,
        "isOnlineMeeting": True,
        "location": "Room 18/3001",
    }
    result = await call_tool("createCalendarEvent", arguments)
    assert not result.is_error, result.content[0].text
    out = result.structured_content
    (stored,) = [
        e for e in microsoft_settings.graph_data("alice")["events"] if e["id"] == out["id"]
    ]
    assert stored["start"] == {"dateTime": "2026-12-01T14:00:00", "timeZone": EUROPE}
    assert stored["end"] == {"dateTime": "2026-12-01T15:00:00", "timeZone": EUROPE}
    assert (stored["isOnlineMeeting"], stored["onlineMeetingProvider"]) == (
        True,
        "teamsForBusiness",
    )
    assert stored["onlineMeeting"]["joinUrl"] == out["joinUrl"]
    assert [a["emailAddress"]["address"] for a in stored["attendees"]] == [BOB.mail]
    assert uuid.UUID(stored["transactionId"]).version == 4
    assert (out["start"], out["end"], out["timeZone"]) == (
        "2026-12-01T14:00:00",
        "2026-12-01T15:00:00",
        EUROPE,
    )
    assert out["attendees"] == [BOB.mail]


async def test_it_lists_events_in_the_mailbox_zone(call_tool) -> None:
    result = await call_tool("getCalendarEvents", {"days": 7})
    assert not result.is_error, result.content[0].text
    out = result.structured_content
    assert out["timeZone"] == "Pacific Standard Time"  # alice's mailbox zone in the fake
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    sync = out["events"][0]
    assert (sync["subject"], sync["start"], sync["end"]) == (
        "Weekly product sync",
        f"{tomorrow}T10:00:00",
        f"{tomorrow}T10:30:00",
    )
    assert sync["joinUrl"].startswith("https://teams.microsoft.com/l/meetup-join/")
    assert [e["subject"] for e in out["events"]] == [
        "Weekly product sync",
        "Dentist",
        "Quarterly planning",
        "Team offsite",
    ]


async def test_it_cannot_reach_bobs_event(call_tool) -> None:
    result = await call_tool("getEvent", {"eventId": outlook_id("bob", "standup-1")})
    assert result.is_error
    assert "could not find that item" in result.content[0].text


async def test_it_declines_an_invitation_and_refuses_to_cancel_it(
    call_tool, microsoft_settings
) -> None:
    planning = outlook_id("alice", "planning")
    refused = await call_tool("cancelEvent", {"eventId": planning}, consent="confirmed")
    assert refused.is_error
    assert "use respondToEvent" in refused.content[0].text
    arguments = {"eventId": planning, "response": "decline", "comment": "On leave."}
    declined = await call_tool("respondToEvent", arguments)
    assert not declined.is_error, declined.content[0].text
    assert microsoft_settings.graph_data("alice")["sentResponses"] == [
        {"eventId": planning, "response": "declined", "comment": "On leave.", "to": BOB.mail}
    ]

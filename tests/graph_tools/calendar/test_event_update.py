"""updateEvent: PATCH only the fields given, times in the stated zone, attendees replaced;
the event's attendees are read first, because the organizer's change is mailed to them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.graph_tools.conftest import sent, text, zone_header
from tests.graph_tools.scenarios import ZONE
from tests.graph_tools.scenarios.calendar import (
    CREATED,
    EVENT_ID,
    EVENT_PATH,
    JOIN_URL,
    ORGANIZED,
    WEB_LINK,
)

pytestmark = pytest.mark.django_db(transaction=True)
MALLORY = {"type": "required", "emailAddress": {"name": "M", "address": "mallory@fabrikam.com"}}


@pytest.fixture
def contoso_only(settings) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)


def invited(graph, *attendees: dict[str, Any], by_me: bool = True) -> None:
    """The event as updateEvent reads it first: who organizes it and who is invited."""
    event = {**ORGANIZED, "isOrganizer": by_me}
    graph.get(EVENT_PATH, json={**event, "attendees": list(attendees or ORGANIZED["attendees"])})


async def test_it_sends_only_the_fields_given(call_tool, graph, mailbox_zone) -> None:
    invited(graph)
    graph.patch(EVENT_PATH, json=CREATED)
    arguments = {"eventId": EVENT_ID, "subject": "Roadmap review", "start": "2026-12-01T14:00"}
    result = await call_tool("updateEvent", arguments)
    assert not result.is_error, result.content[0].text
    read = sent(graph, 0)
    assert (read.method, read.path, read.query) == (
        "GET",
        "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D",
        {"$select": "attendees,isOrganizer"},
    )
    request = sent(graph)
    assert (request.method, request.path, request.query) == (
        "PATCH",
        "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D",
        {},
    )
    assert request.prefer == zone_header(ZONE)
    assert request.body == {
        "subject": "Roadmap review",
        "start": {"dateTime": "2026-12-01T14:00:00", "timeZone": ZONE},
    }
    assert result.structured_content == {
        "id": EVENT_ID,
        "subject": "Roadmap review",
        "start": "2026-12-01T14:00:00",
        "end": "2026-12-01T15:00:00",
        "timeZone": ZONE,
        "joinUrl": JOIN_URL,
        "webLink": WEB_LINK,
        "attendees": ["bob@contoso.com"],
    }
    assert result.content[0].text.startswith('Saved "Roadmap review" 2026-12-01 14:00-15:00')


async def test_it_replaces_attendees_and_the_rest_in_the_given_zone(call_tool, graph) -> None:
    invited(graph)
    graph.patch(EVENT_PATH, json=CREATED)
    arguments = {
        "eventId": EVENT_ID,
        "start": "2026-12-01T09:00:00",
        "end": "2026-12-01T09:30:00",
        "timeZone": "Europe/London",
        "location": "",
        "body": "New agenda",
        "attendees": "bob@contoso.com; carol@contoso.com",
        "isOnlineMeeting": False,
    }
    result = await call_tool("updateEvent", arguments)
    assert not result.is_error, result.content[0].text
    assert [call.request.method for call in graph.calls] == ["GET", "PATCH"]  # no zone lookup
    request = sent(graph)
    assert request.prefer == zone_header("Europe/London")
    assert request.body == {
        "start": {"dateTime": "2026-12-01T09:00:00", "timeZone": "Europe/London"},
        "end": {"dateTime": "2026-12-01T09:30:00", "timeZone": "Europe/London"},
        "attendees": [
            {"emailAddress": {"address": "bob@contoso.com"}, "type": "required"},
            {"emailAddress": {"address": "carol@contoso.com"}, "type": "required"},
        ],
        "body": {"contentType": "text", "content": "New agenda"},
        "location": {"displayName": ""},
        "isOnlineMeeting": False,
    }


async def test_it_adds_a_teams_meeting_and_can_clear_the_attendees(
    call_tool, graph, mailbox_zone
) -> None:
    invited(graph)
    graph.patch(EVENT_PATH, json={**CREATED, "attendees": []})
    arguments = {"eventId": EVENT_ID, "isOnlineMeeting": True, "attendees": []}
    result = await call_tool("updateEvent", arguments)
    assert sent(graph).body == {
        "attendees": [],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
    }
    assert result.structured_content["attendees"] == []


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ({"eventId": EVENT_ID}, "give at least one field to change"),
        ({"eventId": EVENT_ID, "timeZone": "UTC"}, "give at least one field to change"),
        ({"eventId": EVENT_ID, "subject": None}, "give at least one field to change"),
        (
            {"eventId": EVENT_ID, "start": "2026-12-01T10:00", "end": "2026-12-01T09:00"},
            "the end must be after the start",
        ),
        ({"eventId": EVENT_ID, "subject": ""}, "subject"),
        ({"subject": "New"}, "eventId"),
        ({"eventId": EVENT_ID, "attendees": ["not-an-address"]}, "attendees"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, arguments, text
) -> None:
    result = await call_tool("updateEvent", arguments)
    assert result.is_error
    assert text in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_refuses_attendees_outside_the_allowed_domains(
    call_tool, graph, mailbox_zone, settings
) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)
    arguments = {"eventId": EVENT_ID, "attendees": ["eve@evil.example"]}
    result = await call_tool("updateEvent", arguments)
    assert result.is_error
    assert "Nothing was sent" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_refuses_to_mail_an_update_to_attendees_outside(
    call_tool, graph, mailbox_zone, contoso_only
) -> None:
    invited(graph, MALLORY)
    result = await call_tool("updateEvent", {"eventId": EVENT_ID, "body": "The new plan."})
    assert result.is_error
    assert text(result).startswith(
        "Nothing was sent: this server only sends to contoso.com, and mallory@fabrikam.com "
        "is outside it."
    )
    assert [call.request.method for call in graph.calls] == ["GET"]  # read, never changed


async def test_it_refuses_to_replace_attendees_outside_who_would_get_a_cancellation(
    call_tool, graph, mailbox_zone, contoso_only
) -> None:
    invited(graph, MALLORY)
    arguments = {"eventId": EVENT_ID, "attendees": ["bob@contoso.com"]}
    result = await call_tool("updateEvent", arguments)
    assert result.is_error
    assert "mallory@fabrikam.com is outside it" in text(result)
    assert [call.request.method for call in graph.calls] == ["GET"]


async def test_it_updates_when_every_attendee_is_inside(
    call_tool, graph, mailbox_zone, contoso_only
) -> None:
    invited(graph)  # bob@contoso.com
    graph.patch(EVENT_PATH, json=CREATED)
    arguments = {"eventId": EVENT_ID, "attendees": ["bob@contoso.com", "carol@contoso.com"]}
    result = await call_tool("updateEvent", arguments)
    assert not result.is_error, text(result)


async def test_it_lets_an_attendee_change_their_own_copy(
    call_tool, graph, mailbox_zone, contoso_only
) -> None:
    # An attendee's PATCH changes their copy only: nobody, inside or outside, is mailed.
    invited(graph, MALLORY, by_me=False)
    graph.patch(EVENT_PATH, json=CREATED)
    result = await call_tool("updateEvent", {"eventId": EVENT_ID, "location": "Home"})
    assert not result.is_error, text(result)
    assert [call.request.method for call in graph.calls] == ["GET", "PATCH"]

"""updateEvent: PATCH only the fields given, times in the stated zone, attendees replaced."""

from __future__ import annotations

import dataclasses

import pytest

from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import ZONE
from tests.graph_tools.scenarios.calendar import CREATED, EVENT_ID, EVENT_PATH, JOIN_URL, WEB_LINK

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_sends_only_the_fields_given(call_tool, graph, mailbox_zone) -> None:
    graph.patch(EVENT_PATH, json=CREATED)
    arguments = {"eventId": EVENT_ID, "subject": "Roadmap review", "start": "2026-12-01T14:00"}
    result = await call_tool("updateEvent", arguments)
    assert not result.is_error, result.content[0].text
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
    assert len(graph.calls) == 1  # no mailbox zone lookup
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

"""createCalendarEvent: POST /me/events in the stated zone, with a transactionId per call."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.calendar import CREATED, EVENT_ID, JOIN_URL, WEB_LINK

pytestmark = pytest.mark.django_db(transaction=True)
EVENTS = f"{GRAPH}/me/events"
ARGUMENTS = {
    "subject": "Roadmap review",
    "start": "2026-12-01T14:00:00",
    "end": "2026-12-01T15:00",
    "attendees": "bob@contoso.com",
}
SAVED = {
    "id": EVENT_ID,
    "subject": "Roadmap review",
    "start": "2026-12-01T14:00:00",
    "end": "2026-12-01T15:00:00",
    "timeZone": ZONE,
    "joinUrl": JOIN_URL,
    "webLink": WEB_LINK,
    "attendees": ["bob@contoso.com"],
}


def transaction_id(body: dict[str, Any]) -> str:
    value = str(body.pop("transactionId"))
    assert uuid.UUID(value).version == 4
    return value


async def test_it_creates_the_event_in_the_mailbox_zone(call_tool, graph, mailbox_zone) -> None:
    graph.post(EVENTS, status=201, json=CREATED)
    result = await call_tool("createCalendarEvent", ARGUMENTS)
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.query) == ("POST", "/me/events", {})
    assert request.prefer == zone_header(ZONE)
    transaction_id(request.body)
    assert request.body == {
        "subject": "Roadmap review",
        "start": {"dateTime": "2026-12-01T14:00:00", "timeZone": ZONE},
        "end": {"dateTime": "2026-12-01T15:00:00", "timeZone": ZONE},
        "attendees": [{"emailAddress": {"address": "bob@contoso.com"}, "type": "required"}],
    }
    assert result.structured_content == SAVED
    assert result.content[0].text == (
        'Saved "Roadmap review" 2026-12-01 14:00-15:00 (W. Europe Standard Time), invited '
        f"bob@contoso.com; id {EVENT_ID}\nTeams: {JOIN_URL}"
    )


async def test_it_creates_a_teams_meeting_in_the_given_zone(call_tool, graph) -> None:
    # No mailbox zone is cached and none is requested: the given zone is used throughout.
    graph.post(EVENTS, status=201, json=CREATED)
    arguments = {
        **ARGUMENTS,
        "attendees": ["bob@contoso.com", "carol@contoso.com"],
        "timeZone": "Pacific Standard Time",
        "location": "Room 101",
        "body": "Agenda: the Q1 roadmap.",
        "isOnlineMeeting": True,
        "reminderMinutesBeforeStart": 0,
    }
    result = await call_tool("createCalendarEvent", arguments)
    assert not result.is_error, result.content[0].text
    assert len(graph.calls) == 1
    request = sent(graph)
    assert request.prefer == zone_header("Pacific Standard Time")
    transaction_id(request.body)
    assert request.body == {
        "subject": "Roadmap review",
        "start": {"dateTime": "2026-12-01T14:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2026-12-01T15:00:00", "timeZone": "Pacific Standard Time"},
        "attendees": [
            {"emailAddress": {"address": "bob@contoso.com"}, "type": "required"},
            {"emailAddress": {"address": "carol@contoso.com"}, "type": "required"},
        ],
        "body": {"contentType": "text", "content": "Agenda: the Q1 roadmap."},
        "location": {"displayName": "Room 101"},
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "reminderMinutesBeforeStart": 0,
        "isReminderOn": True,
    }
    assert result.structured_content == {**SAVED, "timeZone": "Pacific Standard Time"}


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        # An instant is written as the event zone's wall clock, so the event keeps its zone.
        ("Europe/Berlin", "2026-12-01T13:00:00Z", ("2026-12-01T14:00:00", "Europe/Berlin")),
        (
            "W. Europe Standard Time",
            "2026-07-01T13:00:00+01:00",
            ("2026-07-01T14:00:00", "W. Europe Standard Time"),
        ),
        # A zone this server cannot resolve: the instant goes as UTC, which Graph reads exactly.
        ("Mars Standard Time", "2026-12-01T13:00:00+01:00", ("2026-12-01T12:00:00", "UTC")),
    ],
)
async def test_it_writes_an_instant_in_the_event_zone(
    call_tool, graph, zone, start, expected
) -> None:
    graph.post(EVENTS, status=201, json=CREATED)
    end = start.replace("T13", "T23")
    arguments = {**ARGUMENTS, "start": start, "end": end, "timeZone": zone}
    result = await call_tool("createCalendarEvent", arguments)
    assert not result.is_error, result.content[0].text
    assert sent(graph).body["start"] == {"dateTime": expected[0], "timeZone": expected[1]}


async def test_it_sends_a_new_transaction_id_per_call_and_the_same_on_retry(
    call_tool, graph, mailbox_zone, no_sleep
) -> None:
    graph.post(EVENTS, status=503, json={"error": {"code": "serviceNotAvailable"}})
    graph.post(EVENTS, status=201, json=CREATED)
    graph.post(EVENTS, status=201, json=CREATED)
    await call_tool("createCalendarEvent", ARGUMENTS)
    await call_tool("createCalendarEvent", ARGUMENTS)
    first, retried, second = (transaction_id(sent(graph, i).body) for i in range(3))
    assert first == retried  # Graph drops the repeat instead of booking twice
    assert second != first


async def test_it_refuses_attendees_outside_the_allowed_domains(
    call_tool, graph, mailbox_zone, settings
) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)
    arguments = {**ARGUMENTS, "attendees": ["bob@contoso.com", "eve@evil.example"]}
    result = await call_tool("createCalendarEvent", arguments)
    assert result.is_error
    assert "eve@evil.example is outside it" in result.content[0].text
    assert len(graph.calls) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2026-12-01T14:00:00"}, "the end must be after the start"),
        ({"end": "2026-12-01T13:00:00"}, "the end must be after the start"),
        ({"end": "2026-12-01T15:00:00Z"}, "both with an offset or both without"),
        ({"start": "2026-12-01 14:00"}, "start"),
        ({"attendees": "bob"}, "attendees"),
        ({"attendees": ["x@contoso.com"] * 101}, "attendees"),
        ({"subject": ""}, "subject"),
        ({"reminderMinutesBeforeStart": -1}, "reminderMinutesBeforeStart"),
        ({"isOnlineMeeting": "maybe"}, "isOnlineMeeting"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, change, field
) -> None:
    result = await call_tool("createCalendarEvent", {**ARGUMENTS, **change})
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_creates_an_event_without_attendees(call_tool, graph, mailbox_zone) -> None:
    graph.post(EVENTS, status=201, json={**CREATED, "attendees": [], "onlineMeeting": None})
    arguments = {key: value for key, value in ARGUMENTS.items() if key != "attendees"}
    result = await call_tool("createCalendarEvent", arguments)
    assert sent(graph).body["attendees"] == []
    assert result.structured_content == {**SAVED, "attendees": [], "joinUrl": None}
    assert result.content[0].text == (
        f'Saved "Roadmap review" 2026-12-01 14:00-15:00 (W. Europe Standard Time); id {EVENT_ID}'
    )

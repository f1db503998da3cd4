"""Scenarios of the calendar tools (see __init__.py), and the Graph replies they replay.

The replies follow wire shapes §2A (calendarView, POST /me/events, getSchedule,
findMeetingTimes); the per-tool tests in tests/graph_tools/calendar reuse them.
"""

from __future__ import annotations

from typing import Any

import responses

from tests.graph_tools.scenarios import GRAPH, Scenario

# An Outlook id with every character that must be escaped in a path segment.
EVENT_ID = "AAMkAGI2TG93AAA/x+y="
EVENT_PATH = f"{GRAPH}/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D"
JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_MzlmMzdl%40thread.v2/0"
WEB_LINK = "https://outlook.office365.com/owa/?itemid=AAMkAGI2TG93AAA&exvsurl=1&path=/calendar/item"


def graph_event(**fields: Any) -> dict[str, Any]:
    """An event as calendarView and GET /me/events return it, times in Europe (§2A)."""
    event: dict[str, Any] = {
        "@odata.etag": 'W/"tFvvQGwMC0yCtsQjOf2MWQACL8ehFQ=="',
        "id": EVENT_ID,
        "subject": "Roadmap review",
        "start": {"dateTime": "2026-12-01T14:00:00.0000000", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-12-01T15:00:00.0000000", "timeZone": "W. Europe Standard Time"},
        "isAllDay": False,
        "location": {"displayName": "Room 101", "locationType": "default"},
        "organizer": {"emailAddress": {"name": "Alice Archer", "address": "alice@contoso.com"}},
        "isOnlineMeeting": True,
        "onlineMeeting": {"joinUrl": JOIN_URL},
        "showAs": "busy",
        "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
    }
    event.update(fields)
    return event


SUMMARY = {
    "id": EVENT_ID,
    "subject": "Roadmap review",
    "start": "2026-12-01T14:00:00",
    "end": "2026-12-01T15:00:00",
    "isAllDay": False,
    "location": "Room 101",
    "organizer": "Alice Archer <alice@contoso.com>",
    "isOnlineMeeting": True,
    "joinUrl": JOIN_URL,
    "showAs": "busy",
    "responseStatus": "organizer",
}
ATTENDEES = [
    {
        "type": "required",
        "status": {"response": "accepted", "time": "2026-11-20T10:00:00Z"},
        "emailAddress": {"name": "Bob Baker", "address": "bob@contoso.com"},
    }
]
ORGANIZER = {"emailAddress": {"name": "Bob Baker", "address": "bob@contoso.com"}}
# What updateEvent and cancelEvent read first: the event is alice's, and bob is invited.
ORGANIZED: dict[str, Any] = {
    "id": EVENT_ID,
    "subject": "Roadmap review",
    "isOrganizer": True,
    "attendees": ATTENDEES,
}
CREATED = graph_event(webLink=WEB_LINK, attendees=ATTENDEES, transactionId="from-the-request")
SCHEDULE_REPLY: dict[str, Any] = {
    "value": [
        {
            "scheduleId": "bob@contoso.com",
            "availabilityView": "0220",
            "scheduleItems": [
                {
                    "isPrivate": False,
                    "status": "busy",
                    "subject": "Code review",
                    "location": "",
                    "start": {"dateTime": "2026-12-01T09:30:00.0000000", "timeZone": "UTC"},
                    "end": {"dateTime": "2026-12-01T10:30:00.0000000", "timeZone": "UTC"},
                }
            ],
        }
    ]
}
MEETING_TIMES_REPLY: dict[str, Any] = {
    "emptySuggestionsReason": "",
    "meetingTimeSuggestions": [
        {
            "confidence": 100,
            "order": 1,
            "organizerAvailability": "free",
            "attendeeAvailability": [
                {
                    "availability": "free",
                    "attendee": {"emailAddress": {"address": "bob@contoso.com"}},
                }
            ],
            "meetingTimeSlot": {
                "start": {"dateTime": "2026-12-02T10:00:00.0000000", "timeZone": "UTC"},
                "end": {"dateTime": "2026-12-02T10:30:00.0000000", "timeZone": "UTC"},
            },
        }
    ],
}
CALENDARS_REPLY: dict[str, Any] = {
    "value": [
        {
            "id": "AAMkAGI2TGuLAAA=",
            "name": "Calendar",
            "color": "auto",
            "isDefaultCalendar": True,
            "canEdit": True,
            "owner": {"name": "Alice Archer", "address": "alice@contoso.com"},
        }
    ]
}
WINDOW = {"startDateTime": "2026-12-01T08:00:00", "endDateTime": "2026-12-01T18:00:00"}


def _events(mock: responses.RequestsMock) -> None:
    mock.get(f"{GRAPH}/me/calendarView", json={"value": [graph_event()]})


def _created(mock: responses.RequestsMock) -> None:
    mock.post(f"{GRAPH}/me/events", status=201, json=CREATED)


def _event(mock: responses.RequestsMock) -> None:
    mock.get(EVENT_PATH, json=graph_event(body={"contentType": "text", "content": "Agenda"}))


def _updated(mock: responses.RequestsMock) -> None:
    mock.get(EVENT_PATH, json=ORGANIZED)
    mock.patch(EVENT_PATH, json=CREATED)


def _cancelled(mock: responses.RequestsMock) -> None:
    mock.get(EVENT_PATH, json=ORGANIZED)
    mock.post(f"{EVENT_PATH}/cancel", status=202)


def _answered(mock: responses.RequestsMock) -> None:
    mock.get(EVENT_PATH, json={"id": EVENT_ID, "organizer": ORGANIZER})
    mock.post(f"{EVENT_PATH}/accept", status=202)


def _schedule(mock: responses.RequestsMock) -> None:
    mock.post(f"{GRAPH}/me/calendar/getSchedule", json=SCHEDULE_REPLY)


def _meeting_times(mock: responses.RequestsMock) -> None:
    mock.post(f"{GRAPH}/me/findMeetingTimes", json=MEETING_TIMES_REPLY)


def _calendars(mock: responses.RequestsMock) -> None:
    mock.get(f"{GRAPH}/me/calendars", json=CALENDARS_REPLY)


IDEMPOTENT_POST = {"idempotent_post": True}
SCENARIOS: list[Scenario] = [
    Scenario("getCalendarEvents", {"days": 3}, ("GET", f"{GRAPH}/me/calendarView"), _events),
    Scenario(
        "createCalendarEvent",
        {
            "subject": "Roadmap review",
            "start": "2026-12-01T14:00:00",
            "end": "2026-12-01T15:00:00",
            "attendees": "bob@contoso.com",
        },
        ("POST", f"{GRAPH}/me/events"),
        _created,
        extra=IDEMPOTENT_POST,  # transactionId makes a repeated create harmless
    ),
    Scenario("getEvent", {"eventId": EVENT_ID}, ("GET", EVENT_PATH), _event),
    Scenario("updateEvent", {"eventId": EVENT_ID, "subject": "New"}, ("GET", EVENT_PATH), _updated),
    Scenario("cancelEvent", {"eventId": EVENT_ID}, ("GET", EVENT_PATH), _cancelled),
    Scenario(
        "respondToEvent",
        {"eventId": EVENT_ID, "response": "accept"},
        ("GET", EVENT_PATH),
        _answered,
    ),
    Scenario(
        "getSchedule",
        {"people": ["bob@contoso.com"], **WINDOW},
        ("POST", f"{GRAPH}/me/calendar/getSchedule"),
        _schedule,
        extra=IDEMPOTENT_POST,
    ),
    Scenario(
        "findMeetingTimes",
        {"attendees": ["bob@contoso.com"]},
        ("POST", f"{GRAPH}/me/findMeetingTimes"),
        _meeting_times,
        extra=IDEMPOTENT_POST,
    ),
    Scenario("listCalendars", {}, ("GET", f"{GRAPH}/me/calendars"), _calendars),
]

"""Seeded calendars and events of alice and bob, and the shape of a stored event (§2A).

Times are relative to today, in each person's mailbox zone (graph_users.MAILBOX_TIME_ZONES),
so "the next seven days" always has something in it. Ids are derived from the person and a
key: the same seed gives the same ids, and no id of one person is an id of another's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.graph_items import change_stamp, outlook_id
from tests.fakes.graph_users import MAILBOX_TIME_ZONES
from tests.fakes.people import ALICE, BOB, Person
from tests.fakes.state import Collections

CAROL = {"name": "Carol Chen", "address": "carol@contoso.onmicrosoft.com"}
NO_TIME = "0001-01-01T00:00:00Z"  # Graph's "no time" placeholder (§2)


def join_url(person: Person, key: str) -> str:
    meeting = outlook_id(person.key, "meeting", key)[6:30].replace("/", "_").replace("+", "-")
    context = f"%7b%22Tid%22%3a%22{person.tid}%22%2c%22Oid%22%3a%22{person.oid}%22%7d"
    return (
        f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{meeting}%40thread.v2/0"
        f"?context={context}"
    )


def mailbox(person: Person) -> dict[str, str]:
    return {"name": person.display_name, "address": person.mail or person.username}


def stored_event(person: Person, key: str, fields: dict[str, Any]) -> dict[str, Any]:
    """An event as the store keeps it: every property Graph returns, start/end as sent."""
    event_id = outlook_id(person.key, key)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
    organizer = fields.pop("organizer", mailbox(person))
    mine = organizer["address"] == mailbox(person)["address"]
    start, end = fields["start"], fields["end"]
    event: dict[str, Any] = {
        "id": event_id,
        "createdDateTime": stamp,
        "categories": [],
        "transactionId": None,
        "originalStartTimeZone": start["timeZone"],
        "originalEndTimeZone": end["timeZone"],
        "iCalUId": "040000008200E00074C5B7101A82E008" + event_id[6:38].encode().hex()[:32],
        "reminderMinutesBeforeStart": 15,
        "isReminderOn": True,
        "hasAttachments": False,
        "subject": "",
        "bodyPreview": "",
        "importance": "normal",
        "sensitivity": "normal",
        "isAllDay": False,
        "isCancelled": False,
        "isOrganizer": mine,
        "responseRequested": True,
        "seriesMasterId": None,
        "showAs": "busy",
        "type": "singleInstance",
        "webLink": f"https://outlook.office365.com/owa/?itemid={event_id}&exvsurl=1&path=/calendar/item",
        "onlineMeetingUrl": None,
        "isOnlineMeeting": False,
        "onlineMeetingProvider": "unknown",
        "allowNewTimeProposals": True,
        "isDraft": False,
        "hideAttendees": False,
        "responseStatus": {"response": "organizer" if mine else "notResponded", "time": NO_TIME},
        "body": {"contentType": "html", "content": ""},
        "location": {"displayName": "", "locationType": "default"},
        "locations": [],
        "recurrence": None,
        "attendees": [],
        "organizer": {"emailAddress": organizer},
        "onlineMeeting": None,
    }
    change_stamp(event, stamp)
    event.update(fields)
    if event["isOnlineMeeting"] and event["onlineMeeting"] is None:
        event["onlineMeetingProvider"] = "teamsForBusiness"
        event["onlineMeeting"] = {"joinUrl": join_url(person, key)}
    return event


def attendee(email: dict[str, str], response: str = "none") -> dict[str, Any]:
    return {
        "type": "required",
        "status": {"response": response, "time": NO_TIME},
        "emailAddress": email,
    }


def _at(person: Person, day: int, clock: str) -> dict[str, str]:
    date = datetime.now(UTC).date() + timedelta(days=day)
    return {
        "dateTime": f"{date.isoformat()}T{clock}:00.0000000",
        "timeZone": MAILBOX_TIME_ZONES[person.key],
    }


def _html(text: str) -> dict[str, str]:
    return {"contentType": "html", "content": f"<html><body><p>{text}</p></body></html>"}


def _alice_events() -> list[dict[str, Any]]:
    a, b = ALICE, BOB
    sync = {
        "subject": "Weekly product sync",
        "type": "occurrence",
        "isOnlineMeeting": True,
        "seriesMasterId": outlook_id(a.key, "sync"),
        "attendees": [attendee(mailbox(b), "accepted")],
        "body": _html("Agenda: metrics, launches, risks."),
    }
    return [
        stored_event(a, "sync-1", {**sync, "start": _at(a, 1, "10:00"), "end": _at(a, 1, "10:30")}),
        stored_event(a, "sync-2", {**sync, "start": _at(a, 8, "10:00"), "end": _at(a, 8, "10:30")}),
        stored_event(
            a,
            "planning",
            {
                "subject": "Quarterly planning",
                "organizer": mailbox(b),
                "showAs": "tentative",
                "start": _at(a, 4, "08:00"),
                "end": _at(a, 4, "09:00"),
                "location": {"displayName": "Room 18/3001", "locationType": "default"},
                "attendees": [attendee(mailbox(a)), attendee(CAROL, "accepted")],
                "body": _html("Please bring your team's Q1 numbers."),
            },
        ),
        stored_event(
            a,
            "dentist",
            {
                "subject": "Dentist",
                "sensitivity": "private",
                "showAs": "oof",
                "start": _at(a, 3, "08:00"),
                "end": _at(a, 3, "09:00"),
            },
        ),
        stored_event(
            a,
            "offsite",
            {
                "subject": "Team offsite",
                "isAllDay": True,
                "showAs": "workingElsewhere",
                "start": {**_at(a, 5, "00:00"), "timeZone": "UTC"},
                "end": {**_at(a, 6, "00:00"), "timeZone": "UTC"},
            },
        ),
        stored_event(
            a,
            "vendor-demo",
            {
                "subject": "Vendor demo",
                "start": _at(a, -1, "15:00"),
                "end": _at(a, -1, "16:00"),
            },
        ),
    ]


def _bob_events() -> list[dict[str, Any]]:
    b = BOB
    standup = {
        "subject": "Daily stand-up",
        "type": "occurrence",
        "isOnlineMeeting": True,
        "seriesMasterId": outlook_id(b.key, "standup"),
    }
    return [
        stored_event(
            b, "standup-1", {**standup, "start": _at(b, 1, "09:30"), "end": _at(b, 1, "09:45")}
        ),
        stored_event(
            b, "standup-2", {**standup, "start": _at(b, 2, "09:30"), "end": _at(b, 2, "09:45")}
        ),
        stored_event(
            b,
            "planning",
            {
                "subject": "Quarterly planning",
                "start": _at(b, 4, "17:00"),
                "end": _at(b, 4, "18:00"),
                "location": {"displayName": "Room 18/3001", "locationType": "default"},
                "attendees": [attendee(mailbox(ALICE)), attendee(CAROL, "accepted")],
            },
        ),
        stored_event(
            b,
            "code-review",
            {
                "subject": "Code review",
                "organizer": CAROL,
                "showAs": "tentative",
                "responseStatus": {"response": "tentativelyAccepted", "time": NO_TIME},
                "start": _at(b, 2, "14:00"),
                "end": _at(b, 2, "15:00"),
            },
        ),
        stored_event(
            b,
            "focus",
            {"subject": "Focus time", "start": _at(b, 3, "09:00"), "end": _at(b, 3, "12:00")},
        ),
    ]


def _calendar(
    person: Person,
    key: str,
    name: str,
    color: str,
    *,
    default: bool = False,
    owner: Person | None = None,
) -> dict[str, Any]:
    calendar_id = outlook_id(person.key, "calendar", key)
    mine = owner is None
    return {
        "id": calendar_id,
        "name": name,
        "color": color,
        "hexColor": "",
        "isDefaultCalendar": default,
        "changeKey": calendar_id[-16:],
        "canShare": mine and default,
        "canViewPrivateItems": mine,
        "canEdit": mine and key != "birthdays",
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": True,
        "isRemovable": not default,
        "owner": mailbox(owner or person),
    }


def seeded_events(person: Person) -> list[dict[str, Any]]:
    """The events a person starts with (getSchedule reads colleagues' free/busy from these)."""
    return {"alice": _alice_events, "bob": _bob_events}.get(person.key, list)()


def seed(person: Person) -> Collections:
    """This person's seeded calendar data."""
    calendars = {
        "alice": [
            _calendar(ALICE, "main", "Calendar", "auto", default=True),
            _calendar(ALICE, "birthdays", "Birthdays", "lightGreen"),
            _calendar(ALICE, "holidays", "United States holidays", "lightBlue"),
        ],
        "bob": [
            _calendar(BOB, "main", "Calendar", "auto", default=True),
            _calendar(BOB, "rota", "Support rota", "lightOrange", owner=ALICE),
        ],
    }.get(person.key, [])
    return {"calendars": calendars, "events": seeded_events(person)}

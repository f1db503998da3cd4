"""The fake's calendar endpoints answer as Graph does, each person with their own calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx2

from tests.fakes.flows import access_token
from tests.fakes.graph_items import outlook_id
from tests.fakes.microsoft import FakeMicrosoft
from tests.fakes.people import ALICE, BOB

PERMISSIONS = ["Calendars.ReadWrite", "Calendars.Read.Shared"]
PACIFIC, BERLIN = ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Berlin")


def call(
    fake: FakeMicrosoft,
    method: str,
    path: str,
    *,
    person: str = "alice",
    zone: str | None = None,
    body: Any = None,
    permissions: list[str] | None = None,
    params: dict[str, str] | None = None,
) -> httpx2.Response:
    access = access_token(fake, person, permissions or PERMISSIONS)
    headers = {"Authorization": f"Bearer {access}"}
    if zone:
        headers["Prefer"] = f'outlook.timezone="{zone}"'
    return httpx2.request(
        method, f"{fake.url}/v1.0{path}", headers=headers, json=body, params=params
    )


def week() -> dict[str, str]:
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "startDateTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endDateTime": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S"),  # UTC, no offset
    }


def local(day: int, clock: str, zone: ZoneInfo) -> datetime:
    date = datetime.now(UTC).date() + timedelta(days=day)
    return datetime.fromisoformat(f"{date}T{clock}").replace(tzinfo=zone)


def graph_text(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S.0000000")


def event_path(event_id: str) -> str:
    return f"/me/events/{quote(event_id, safe='')}"


def test_calendar_view_keeps_the_window_and_answers_in_the_preferred_zone(fake_microsoft) -> None:
    reply = call(
        fake_microsoft, "GET", "/me/calendarView", zone="W. Europe Standard Time", params=week()
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["Preference-Applied"] == 'outlook.timezone="W. Europe Standard Time"'
    events = reply.json()["value"]
    assert [e["subject"] for e in events] == [
        "Weekly product sync",
        "Dentist",
        "Quarterly planning",
        "Team offsite",
    ]
    assert events[0]["start"] == {
        "dateTime": graph_text(local(1, "10:00", PACIFIC), BERLIN),
        "timeZone": "W. Europe Standard Time",
    }
    assert events[0]["onlineMeeting"]["joinUrl"].startswith("https://teams.microsoft.com/l/")
    assert events[0]["originalStartTimeZone"] == "Pacific Standard Time"


def test_calendar_view_defaults_to_utc_and_pages_with_skip(fake_microsoft) -> None:
    select = {"$select": "subject,start", "$top": "2", "$orderby": "start/dateTime"}
    first = call(fake_microsoft, "GET", "/me/calendarView", params={**week(), **select})
    assert "Preference-Applied" not in first.headers
    page = first.json()
    assert [set(e) for e in page["value"]] == [{"@odata.etag", "id", "subject", "start"}] * 2
    assert page["value"][0]["start"]["timeZone"] == "UTC"
    link = page["@odata.nextLink"]
    assert "%24skip=2" in link
    access = fake_microsoft.issue_tokens("alice", PERMISSIONS)["access_token"]
    second = httpx2.get(link, headers={"Authorization": f"Bearer {access}"}).json()
    assert [e["subject"] for e in second["value"]] == ["Quarterly planning", "Team offsite"]
    assert "@odata.nextLink" not in second


def test_calendar_view_needs_its_window_and_a_calendar_permission(fake_microsoft) -> None:
    missing = call(fake_microsoft, "GET", "/me/calendarView")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "ErrorInvalidParameter"
    # Consent adds up per person: bob has consented to nothing else in this test.
    denied = call(
        fake_microsoft,
        "GET",
        "/me/calendarView",
        person="bob",
        permissions=["Mail.Read"],
        params=week(),
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "ErrorAccessDenied"


def test_a_created_teams_event_is_stored_as_sent(fake_microsoft) -> None:
    sent = {
        "subject": "Design review",
        "start": {"dateTime": "2026-12-01T14:00:00", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-12-01T15:00:00", "timeZone": "W. Europe Standard Time"},
        "attendees": [{"emailAddress": {"address": BOB.mail}, "type": "required"}],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "transactionId": "7e163156-7762-4beb-a1c6-729ea81755a7",
    }
    reply = call(fake_microsoft, "POST", "/me/events", zone="Pacific Standard Time", body=sent)
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert created["start"] == {
        "dateTime": "2026-12-01T05:00:00.0000000",
        "timeZone": "Pacific Standard Time",
    }
    stored = fake_microsoft.graph_data("alice")["events"][-1]
    assert stored["id"] == created["id"]
    assert stored["start"] == sent["start"]
    assert stored["onlineMeeting"]["joinUrl"] == created["onlineMeeting"]["joinUrl"]
    assert stored["attendees"][0]["status"]["response"] == "none"
    again = call(fake_microsoft, "POST", "/me/events", body=sent)  # a retried create
    assert again.json()["id"] == created["id"]
    assert [e["subject"] for e in fake_microsoft.graph_data("alice")["events"]].count(
        "Design review"
    ) == 1


def test_a_create_in_an_unknown_zone_is_refused(fake_microsoft) -> None:
    when = {"dateTime": "2026-12-01T14:00:00", "timeZone": "Greenwich Mean Time"}
    reply = call(fake_microsoft, "POST", "/me/events", body={"start": when, "end": when})
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "TimeZoneNotSupportedException"


def test_one_person_cannot_reach_anothers_event(fake_microsoft) -> None:
    alices = outlook_id("alice", "sync-1")
    mine = call(fake_microsoft, "GET", event_path(alices), params={"$select": "subject"})
    assert mine.json()["subject"] == "Weekly product sync"
    theirs = call(fake_microsoft, "GET", event_path(alices), person="bob")
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "ErrorItemNotFound"


def test_an_event_is_changed_cancelled_and_answered(fake_microsoft) -> None:
    sync, planning = outlook_id("alice", "sync-1"), outlook_id("alice", "planning")
    patched = call(fake_microsoft, "PATCH", event_path(sync), body={"subject": "Product sync"})
    assert patched.json()["subject"] == "Product sync"
    refused = call(fake_microsoft, "POST", f"{event_path(planning)}/cancel", body={})
    assert refused.status_code == 400
    cancelled = call(fake_microsoft, "POST", f"{event_path(sync)}/cancel", body={"comment": "Off"})
    assert cancelled.status_code == 202
    assert call(fake_microsoft, "GET", event_path(sync)).status_code == 404
    body = {"comment": "I'll be there.", "sendResponse": True}
    accepted = call(fake_microsoft, "POST", f"{event_path(planning)}/accept", body=body)
    assert accepted.status_code == 202
    data = fake_microsoft.graph_data("alice")
    assert data["sentCancellations"] == [{"eventId": sync, "comment": "Off", "to": [BOB.mail]}]
    assert data["sentResponses"] == [
        {"eventId": planning, "response": "accepted", "comment": "I'll be there.", "to": BOB.mail}
    ]


def test_get_schedule_shows_colleagues_free_busy_and_unknown_people(fake_microsoft) -> None:
    day = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    body = {
        "schedules": [BOB.mail, "olivia@fabrikam.onmicrosoft.com"],
        "startTime": {"dateTime": f"{day}T09:00:00", "timeZone": "W. Europe Standard Time"},
        "endTime": {"dateTime": f"{day}T11:00:00", "timeZone": "W. Europe Standard Time"},
        "availabilityViewInterval": 30,
    }
    reply = call(fake_microsoft, "POST", "/me/calendar/getSchedule", zone="UTC", body=body)
    assert reply.status_code == 200, reply.text
    bob, outsider = reply.json()["value"]
    assert bob["availabilityView"] == "0200"  # the stand-up, 09:30-09:45
    assert [item["subject"] for item in bob["scheduleItems"]] == ["Daily stand-up"]
    assert bob["scheduleItems"][0]["start"]["timeZone"] == "UTC"
    assert outsider["error"]["responseCode"] == "5009"
    assert "availabilityView" not in outsider


def test_find_meeting_times_suggests_working_hours_when_both_are_free(fake_microsoft) -> None:
    day = next(d for d in range(10, 17) if local(d, "08:00", PACIFIC).weekday() < 5)
    start = local(day, "07:00", PACIFIC)  # an hour before alice's working day
    pacific = "Pacific Standard Time"
    window = {
        "start": {"dateTime": graph_text(start, PACIFIC), "timeZone": pacific},
        "end": {"dateTime": graph_text(start + timedelta(hours=5), PACIFIC), "timeZone": pacific},
    }
    body = {
        "attendees": [{"type": "required", "emailAddress": {"address": BOB.mail}}],
        "timeConstraint": {"timeSlots": [window]},
        "meetingDuration": "PT1H",
        "maxCandidates": 3,
    }
    reply = call(fake_microsoft, "POST", "/me/findMeetingTimes", zone=pacific, body=body)
    assert reply.status_code == 200, reply.text
    assert reply.headers["Preference-Applied"] == f'outlook.timezone="{pacific}"'
    result = reply.json()
    assert result["emptySuggestionsReason"] == ""
    slots = [s["meetingTimeSlot"] for s in result["meetingTimeSuggestions"]]
    assert [(s["start"]["dateTime"][11:16], s["end"]["dateTime"][11:16]) for s in slots] == [
        ("08:00", "09:00"),
        ("08:30", "09:30"),
        ("09:00", "10:00"),
    ]
    first = result["meetingTimeSuggestions"][0]
    assert (first["confidence"], first["organizerAvailability"]) == (100.0, "free")
    assert first["attendeeAvailability"][0]["availability"] == "free"

    denied = call(
        fake_microsoft,
        "POST",
        "/me/findMeetingTimes",
        person="bob",
        permissions=["Calendars.Read"],
        body=body,
    )
    assert denied.status_code == 403


def test_calendars_are_listed_with_select(fake_microsoft) -> None:
    select = {"$select": "id,name,isDefaultCalendar,owner"}
    alice = call(fake_microsoft, "GET", "/me/calendars", params=select).json()["value"]
    bob = call(fake_microsoft, "GET", "/me/calendars", person="bob", params=select).json()["value"]
    assert [(c["name"], c["isDefaultCalendar"]) for c in alice] == [
        ("Calendar", True),
        ("Birthdays", False),
        ("United States holidays", False),
    ]
    assert [c["owner"]["address"] for c in bob] == [BOB.mail, ALICE.mail]
    assert set(alice[0]) == {"id", "name", "isDefaultCalendar", "owner"}

"""getSchedule and findMeetingTimes in the fake (wire shapes §2A).

Both read other people's free/busy, which is what the real API shares across a tenant. A
handler only holds the caller's own collections, so a colleague's free/busy comes from their
seeded events (graph_calendar_seed.seeded_events), the caller's own from their live calendar.
Anyone outside the caller's tenant, or unknown, gets Graph's per-schedule error item.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route
from tests.fakes.graph_calendar_seed import seeded_events
from tests.fakes.graph_calendar_times import in_zone, instant, preferred_zone, zone_named
from tests.fakes.graph_items import json_object
from tests.fakes.graph_users import MAILBOX_TIME_ZONES
from tests.fakes.people import CAST, Person

SCHEDULE_PERMISSIONS = ("Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite")
FIND_PERMISSIONS = ("Calendars.Read.Shared", "Calendars.ReadWrite.Shared")
# availabilityView digits (§2A); a slot shows the strongest status among its events.
DIGITS = {"free": "0", "tentative": "1", "busy": "2", "oof": "3", "workingElsewhere": "4"}
STRENGTH = ["free", "workingElsewhere", "tentative", "busy", "oof"]
# findMeetingTimes' confidence: the average over attendees of these (§2A).
SCORES = {"free": 100.0, "unknown": 49.0, "tentative": 50.0}
DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?")
WORK_START, WORK_END = 8, 17  # the fake's working hours, every mailbox, Monday to Friday


def _events_of(call: GraphCall, address: str) -> list[dict[str, Any]] | None:
    """Whose calendar an address names, or None when it cannot be resolved from here."""
    wanted = address.lower()
    if wanted in {str(call.person.mail).lower(), call.person.username.lower()}:
        return [e for e in call.data.get("events", []) if not e["isCancelled"]]
    person = next(
        (p for p in CAST.values() if wanted in {str(p.mail).lower(), p.username.lower()}), None
    )
    if person is None or person.tid != call.person.tid:
        return None
    return seeded_events(person)


def _overlapping(
    events: list[dict[str, Any]], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    return [e for e in events if instant(e["start"]) < end and instant(e["end"]) > start]


def _status(events: list[dict[str, Any]], start: datetime, end: datetime) -> str:
    shown = [e["showAs"] for e in _overlapping(events, start, end) if e["showAs"] in STRENGTH]
    return max(shown, key=STRENGTH.index, default="free")


def _schedule_item(call: GraphCall, event: dict[str, Any]) -> dict[str, Any]:
    name, zone, _ = preferred_zone(call)
    item: dict[str, Any] = {
        "isPrivate": event["sensitivity"] == "private",
        "status": event["showAs"],
    }
    if not item["isPrivate"]:
        item.update(subject=event["subject"], location=event["location"]["displayName"])
    item["start"] = in_zone(instant(event["start"]), name, zone)
    item["end"] = in_zone(instant(event["end"]), name, zone)
    return item


def _schedule(
    call: GraphCall, address: str, start: datetime, end: datetime, step: int
) -> dict[str, Any]:
    events = _events_of(call, address)
    if events is None:  # 3P microsoftgraph/microsoft-graph-docs#11225
        message = f"Unable to resolve e-mail address {address} to an Active Directory object."
        return {"scheduleId": address, "error": {"message": message, "responseCode": "5009"}}
    slots = range(0, int((end - start).total_seconds() // 60), step)
    view = "".join(
        DIGITS[_status(events, start + timedelta(minutes=m), start + timedelta(minutes=m + step))]
        for m in slots
    )
    owner = next((p for p in CAST.values() if str(p.mail).lower() == address.lower()), call.person)
    return {
        "scheduleId": address,
        "availabilityView": view,
        "scheduleItems": [_schedule_item(call, e) for e in _overlapping(events, start, end)],
        "workingHours": {
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": f"{WORK_START:02d}:00:00.0000000",
            "endTime": f"{WORK_END:02d}:00:00.0000000",
            "timeZone": {"name": MAILBOX_TIME_ZONES[owner.key]},
        },
    }


def get_schedule(call: GraphCall) -> GraphReply:
    body = json_object(call, empty={})
    people = body.get("schedules")
    if not isinstance(people, list) or not people or not all(isinstance(p, str) for p in people):
        raise GraphError(400, "ErrorInvalidParameter", "The parameter 'Schedules' is invalid.")
    start, end = instant(body.get("startTime")), instant(body.get("endTime"))
    step = body.get("availabilityViewInterval", 30)
    if not isinstance(step, int) or not 5 <= step <= 1440 or end <= start:
        raise GraphError(400, "ErrorInvalidParameter", "The time window or interval is invalid.")
    value = [_schedule(call, address, start, end, step) for address in people]
    context = f"{call.base_url}/$metadata#Collection(microsoft.graph.scheduleInformation)"
    return GraphReply(200, {"@odata.context": context, "value": value}, preferred_zone(call)[2])


def _minutes(value: Any) -> int:
    found = DURATION.fullmatch(value) if isinstance(value, str) else None
    if found is None or not (found[1] or found[2]):
        raise GraphError(400, "ErrorInvalidParameter", "The meeting duration is invalid.")
    return int(found[1] or 0) * 60 + int(found[2] or 0)


def _addresses(body: dict[str, Any]) -> list[str]:
    listed = body.get("attendees")
    given = [one for one in listed if isinstance(one, dict)] if isinstance(listed, list) else []
    addresses = [one.get("emailAddress", {}).get("address") for one in given]
    if not all(isinstance(a, str) and "@" in a for a in addresses):
        raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
    return addresses


def _window(body: dict[str, Any]) -> tuple[datetime, datetime]:
    slots = (
        body.get("timeConstraint", {}).get("timeSlots")
        if isinstance(body.get("timeConstraint"), dict)
        else None
    )
    if slots:
        return instant(slots[0].get("start")), instant(slots[0].get("end"))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now, now + timedelta(days=2)


def _working(start: datetime, end: datetime, person: Person) -> bool:
    zone = zone_named(MAILBOX_TIME_ZONES[person.key]) or UTC
    first, last = start.astimezone(zone), end.astimezone(zone)
    return (
        first.weekday() < 5
        and first.date() == last.date()
        and (first.hour >= WORK_START and (last.hour, last.minute) <= (WORK_END, 0))
    )


def _candidates(call: GraphCall, body: dict[str, Any]) -> list[dict[str, Any]]:
    window_start, window_end = _window(body)
    length = timedelta(minutes=_minutes(body.get("meetingDuration", "PT30M")))
    addresses = _addresses(body)
    calendars = {address: _events_of(call, address) for address in addresses}
    mine = _events_of(call, str(call.person.mail)) or []
    wanted = float(body.get("minimumAttendeePercentage", 50))
    start = window_start + timedelta(minutes=-window_start.minute % 30)
    found: list[dict[str, Any]] = []
    while start + length <= window_end and len(found) < int(body.get("maxCandidates", 5)):
        end, slot_start = start + length, start
        start += timedelta(minutes=30)
        if not _working(slot_start, end, call.person) or _status(mine, slot_start, end) != "free":
            continue
        seen = {
            a: "unknown" if e is None else _status(e, slot_start, end) for a, e in calendars.items()
        }
        confidence = sum(SCORES.get(s, 0.0) for s in seen.values()) / max(len(seen), 1)
        if confidence >= wanted:
            found.append(_suggestion(call, slot_start, end, confidence, seen, len(found) + 1))
    return found


def _suggestion(
    call: GraphCall,
    start: datetime,
    end: datetime,
    confidence: float,
    seen: dict[str, str],
    order: int,
) -> dict[str, Any]:
    name, zone, _ = preferred_zone(call)
    who = "all attendees are" if confidence == 100 else "most attendees are"
    return {
        "confidence": confidence,
        "order": order,
        "organizerAvailability": "free",
        "suggestionReason": f"Suggested because it is one of the nearest times when {who} "
        "available.",
        "attendeeAvailability": [
            {
                "availability": status,
                "attendee": {"type": "required", "emailAddress": {"address": a}},
            }
            for a, status in seen.items()
        ],
        "locations": [],
        "meetingTimeSlot": {"start": in_zone(start, name, zone), "end": in_zone(end, name, zone)},
    }


def find_meeting_times(call: GraphCall) -> GraphReply:
    body = json_object(call, empty={})
    suggestions = _candidates(call, body)
    reason = ""
    if not suggestions:
        unknown = any(_events_of(call, a) is None for a in _addresses(body))
        reason = "attendeesUnavailableOrUnknown" if unknown else "attendeesUnavailable"
    context = f"{call.base_url}/$metadata#microsoft.graph.meetingTimeSuggestionsResult"
    reply = {
        "@odata.context": context,
        "emptySuggestionsReason": reason,
        "meetingTimeSuggestions": suggestions,
    }
    return GraphReply(200, reply, preferred_zone(call)[2])


ROUTES = (
    graph_route(
        "POST",
        "/me/calendar/getSchedule",
        any_of=SCHEDULE_PERMISSIONS,
        family="outlook",
        handler=get_schedule,
    ),
    graph_route(
        "POST",
        "/me/findMeetingTimes",
        any_of=FIND_PERMISSIONS,
        family="outlook",
        handler=find_meeting_times,
    ),
)

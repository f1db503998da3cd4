"""Graph calendar endpoints of the fake (wire shapes §2A): calendarView, events, calendars.

Each person's ``events`` and ``calendars`` live in their own collections (``call.data``);
what writes do stays there in Graph's shape: created and changed events, and what would have
been mailed (``sentCancellations``, ``sentResponses``). getSchedule and findMeetingTimes are
in graph_calendar_schedule.py; the seeded data in graph_calendar_seed.py.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from tests.fakes import graph_calendar_schedule as schedule
from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected
from tests.fakes.graph_calendar_seed import join_url, seed, stored_event
from tests.fakes.graph_calendar_times import (
    in_zone,
    instant,
    now_text,
    preferred_zone,
    query_instant,
)
from tests.fakes.graph_items import (
    change_stamp,
    item_not_found,
    json_object,
    unknown_property,
    unwritable_property,
)
from tests.fakes.people import ALICE

__all__ = ["ROUTES", "seed"]

# PERM ("Permission summary"): reads take any calendar permission, writes ReadWrite.
READ = ("Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite")
WRITE = ("Calendars.ReadWrite",)
SOME_TIME = {"dateTime": "2026-01-01T00:00:00", "timeZone": "UTC"}
EVENT_PROPERTIES = frozenset(stored_event(ALICE, "any", {"start": SOME_TIME, "end": SOME_TIME}))
WRITABLE = frozenset(
    {
        "subject", "body", "start", "end", "location", "locations", "attendees", "isAllDay",
        "isOnlineMeeting", "onlineMeetingProvider", "reminderMinutesBeforeStart",
        "isReminderOn", "transactionId", "showAs", "sensitivity", "categories", "importance",
        "allowNewTimeProposals", "responseRequested", "hideAttendees",
    }
)  # fmt: skip
CALENDAR_PROPERTIES = frozenset(seed(ALICE)["calendars"][0])
MAX_TOP = 1000
RESPONSES = {
    "accept": "accepted",
    "tentativelyAccept": "tentativelyAccepted",
    "decline": "declined",
}


def _checked_names(names: list[str] | None, known: frozenset[str], kind: str) -> list[str] | None:
    for name in names or []:
        if name not in known:
            raise unknown_property(name, f"Microsoft.OutlookServices.{kind}")
    return names


def _project(call: GraphCall, event: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    """An event as a reply shows it: start/end in the preferred zone, only what $select names."""
    name, zone, _ = preferred_zone(call)
    shown = {
        **event,
        "start": in_zone(instant(event["start"]), name, zone),
        "end": in_zone(instant(event["end"]), name, zone),
    }
    if names is None:
        return shown
    return {"@odata.etag": event["@odata.etag"], "id": event["id"]} | {
        key: shown[key] for key in names
    }


def _page(
    call: GraphCall, items: list[dict[str, Any]], default_top: int
) -> tuple[list[Any], str | None]:
    """$top/$skip paging with a nextLink that keeps every other query option (§2)."""
    query = dict(call.request.query)
    try:
        top = min(int(query.get("$top", default_top)), MAX_TOP)
        skip = int(query.get("$skip", 0))
    except ValueError:
        raise GraphError(400, "BadRequest", "Invalid $top or $skip value.") from None
    if top < 1 or skip < 0:
        raise GraphError(400, "BadRequest", "Invalid $top or $skip value.")
    if skip + top >= len(items):
        return items[skip : skip + top], None
    path = call.request.path.removeprefix("/v1.0")
    link = f"{call.base_url}{path}?{urlencode({**query, '$skip': str(skip + top)})}"
    return items[skip : skip + top], link


def _context(call: GraphCall, what: str) -> str:
    return f"{call.base_url}/$metadata#users('{call.person.oid}')/{what}"


def _live_events(call: GraphCall) -> list[dict[str, Any]]:
    # An organizer's cancelled event leaves the calendar; the store keeps it for inspection.
    return [event for event in call.data.get("events", []) if not event["isCancelled"]]


def _event(call: GraphCall) -> dict[str, Any]:
    found = next((e for e in _live_events(call) if e["id"] == call.params["id"]), None)
    if found is None:
        raise item_not_found()
    return found


def calendar_view(call: GraphCall) -> GraphReply:
    query = call.request.query
    start = query_instant(query.get("startDateTime"), "startDateTime")
    end = query_instant(query.get("endDateTime"), "endDateTime")
    names = _checked_names(selected(call), EVENT_PROPERTIES, "Event")
    items = [
        e for e in _live_events(call) if instant(e["start"]) < end and instant(e["end"]) > start
    ]
    if query.get("$orderby", "start/dateTime").split()[0] == "start/dateTime":
        items.sort(key=lambda e: instant(e["start"]))
    page, link = _page(call, items, default_top=10)
    body: dict[str, Any] = {
        "@odata.context": _context(call, "calendarView"),
        "value": [_project(call, event, names) for event in page],
    }
    if link:
        body["@odata.nextLink"] = link
    return GraphReply(200, body, preferred_zone(call)[2])


def event_get(call: GraphCall) -> GraphReply:
    names = _checked_names(selected(call), EVENT_PROPERTIES, "Event")
    body = {"@odata.context": _context(call, "events/$entity")}
    body.update(_project(call, _event(call), names))
    return GraphReply(200, body, preferred_zone(call)[2])


def _writable(changes: dict[str, Any]) -> dict[str, Any]:
    for name in changes:
        if name not in WRITABLE:
            raise unwritable_property(name, "Microsoft.OutlookServices.Event")
    for name in ("start", "end"):
        if name in changes:
            instant(changes[name])  # a known zone and a real date-time, or 400
    if "attendees" in changes:
        changes["attendees"] = [_attendee(one) for one in changes["attendees"] or []]
    return changes


def _attendee(given: Any) -> dict[str, Any]:
    email = given.get("emailAddress") if isinstance(given, dict) else None
    if not isinstance(email, dict) or "@" not in str(email.get("address", "")):
        raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
    status = {"response": "none", "time": "0001-01-01T00:00:00Z"}
    return {"type": given.get("type", "required"), "status": status, "emailAddress": email}


def _times_in_order(event: dict[str, Any]) -> None:
    if instant(event["end"]) < instant(event["start"]):
        raise GraphError(
            400,
            "ErrorInvalidRequest",
            "Your request can't be completed. The end time of the event must be after its "
            "start time.",
        )


def _teams(event: dict[str, Any], call: GraphCall) -> None:
    """An online meeting is a Teams one (the calendars' default provider) with a join URL,
    as Graph makes it (§2A POST /me/events)."""
    if event.get("isOnlineMeeting"):
        event["onlineMeetingProvider"] = "teamsForBusiness"
        event["onlineMeeting"] = event.get("onlineMeeting") or {
            "joinUrl": join_url(call.person, event["id"])
        }
    else:
        event.update(isOnlineMeeting=False, onlineMeetingProvider="unknown", onlineMeeting=None)


def event_create(call: GraphCall) -> GraphReply:
    given = _writable(json_object(call, empty={}))
    if "start" not in given or "end" not in given:
        raise GraphError(400, "ErrorInvalidRequest", "Your request can't be completed.")
    events = call.data.setdefault("events", [])
    repeat = given.get("transactionId")
    earlier = next((e for e in events if repeat and e.get("transactionId") == repeat), None)
    if earlier is not None:  # the same create again: Graph drops the duplicate (§2A)
        return GraphReply(201, _project(call, earlier, None), preferred_zone(call)[2])
    event = stored_event(call.person, str(uuid.uuid4()), dict(given))
    _times_in_order(event)
    _teams(event, call)
    events.append(event)
    body = {"@odata.context": _context(call, "events/$entity"), **_project(call, event, None)}
    return GraphReply(201, body, preferred_zone(call)[2])


def event_update(call: GraphCall) -> GraphReply:
    event = _event(call)
    changes = _writable(json_object(call, empty={}))
    updated = {**event, **changes}
    _times_in_order(updated)
    if "isOnlineMeeting" in changes or "onlineMeetingProvider" in changes:
        _teams(updated, call)
    change_stamp(updated, now_text())
    event.clear()
    event.update(updated)
    body = {"@odata.context": _context(call, "events/$entity"), **_project(call, event, None)}
    return GraphReply(200, body, preferred_zone(call)[2])


def _recipients(event: dict[str, Any]) -> list[str]:
    return [one["emailAddress"]["address"] for one in event["attendees"]]


def event_cancel(call: GraphCall) -> GraphReply:
    event = _event(call)
    comment = json_object(call, empty={}).get("comment", "")
    if not event["isOrganizer"]:
        raise GraphError(
            400,
            "ErrorInvalidRequest",
            "Your request can't be completed. You need to be an organizer to cancel a meeting.",
        )
    event["isCancelled"] = True
    sent = {"eventId": event["id"], "comment": comment, "to": _recipients(event)}
    call.data.setdefault("sentCancellations", []).append(sent)
    return GraphReply(202)


def _respond(action: str) -> Any:
    def respond(call: GraphCall) -> GraphReply:
        event = _event(call)
        given = json_object(call, empty={})
        if event["isOrganizer"]:
            raise GraphError(
                400,
                "ErrorInvalidRequest",
                "Your request can't be completed. You can't respond to a meeting you organized.",
            )
        event["responseStatus"] = {"response": RESPONSES[action], "time": now_text()}
        if given.get("sendResponse", True) is not False:
            sent = {
                "eventId": event["id"],
                "response": RESPONSES[action],
                "comment": given.get("comment", ""),
                "to": event["organizer"]["emailAddress"]["address"],
            }
            call.data.setdefault("sentResponses", []).append(sent)
        return GraphReply(202)

    return respond


def calendars_list(call: GraphCall) -> GraphReply:
    names = _checked_names(selected(call), CALENDAR_PROPERTIES, "Calendar")
    page, link = _page(call, call.data.get("calendars", []), default_top=10)
    shown = [c if names is None else {"id": c["id"]} | {k: c[k] for k in names} for c in page]
    body: dict[str, Any] = {"@odata.context": _context(call, "calendars"), "value": shown}
    if link:
        body["@odata.nextLink"] = link
    return GraphReply(200, body)


ROUTES = (
    graph_route("GET", "/me/calendarView", any_of=READ, family="outlook", handler=calendar_view),
    graph_route("GET", "/me/calendars", any_of=READ, family="outlook", handler=calendars_list),
    graph_route("POST", "/me/events", any_of=WRITE, family="outlook", handler=event_create),
    graph_route("GET", "/me/events/{id}", any_of=READ, family="outlook", handler=event_get),
    graph_route("PATCH", "/me/events/{id}", any_of=WRITE, family="outlook", handler=event_update),
    graph_route(
        "POST", "/me/events/{id}/cancel", any_of=WRITE, family="outlook", handler=event_cancel
    ),
    *(
        graph_route(
            "POST",
            f"/me/events/{{id}}/{action}",
            any_of=WRITE,
            family="outlook",
            handler=_respond(action),
        )
        for action in RESPONSES
    ),
    *schedule.ROUTES,
)

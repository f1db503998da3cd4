"""Reads of the person's calendars and of colleagues' free/busy (wire shapes §2A).

Every read states its zone: ``timeZone`` or the mailbox's, sent as Prefer: outlook.timezone
so Graph returns times in it.
"""

from __future__ import annotations

import json
from typing import Any

from graph_tools.calendar.schemas import (
    CalendarList,
    CalendarsInput,
    EventDetail,
    EventList,
    EventsInput,
    GetEventInput,
    MeetingTimes,
    MeetingTimesInput,
    ScheduleInput,
    Schedules,
)
from graph_tools.calendar.shapes import (
    SUMMARY_FIELDS,
    calendar_info,
    event_detail,
    event_summary,
    person_schedule,
    suggestion,
)
from graph_tools.client import GraphClient
from graph_tools.mailbox import mailbox_time_zone, time_zone_header
from graph_tools.paging import page_get
from graph_tools.replies import graph_list, graph_object
from graph_tools.text import body_text, trimmed
from graph_tools.tooling import segment
from graph_tools.zones import (
    graph_time,
    iso_duration,
    utc_instant,
    utc_text,
    utc_window,
)

DETAIL_FIELDS = f"{SUMMARY_FIELDS},isOrganizer,webLink,attendees,body"
CALENDAR_FIELDS = "id,name,color,isDefaultCalendar,canEdit,owner"
BODY_LIMIT = 4000  # characters of body text per getEvent call; bodyOffset gets the rest


def events_list(graph: GraphClient, args: EventsInput) -> EventList:
    zone = args.timeZone or mailbox_time_zone(graph)
    page = page_get(
        graph,
        "/me/calendarView",
        listing="calendarView",
        cursor=args.cursor,
        params=None if args.cursor else _view_params(args, zone),
        headers=time_zone_header(zone),
    )
    events = [event_summary(item) for item in page.items]
    return EventList(events=events, nextCursor=page.next_cursor, timeZone=zone)


def _view_params(args: EventsInput, zone: str) -> dict[str, str]:
    # calendarView reads its window as UTC unless it carries an offset, whatever Prefer says
    # (wire shapes §2A): local times are converted here and sent in UTC.
    if args.startDateTime is not None and args.endDateTime is not None:
        start, end = utc_instant(args.startDateTime, zone), utc_instant(args.endDateTime, zone)
    else:
        start, end = utc_window(args.days)
    return {
        "startDateTime": utc_text(start),
        "endDateTime": utc_text(end),
        "$select": SUMMARY_FIELDS,
        "$orderby": "start/dateTime",
        "$top": str(args.count),
    }


def event_get(graph: GraphClient, args: GetEventInput) -> EventDetail:
    zone = args.timeZone or mailbox_time_zone(graph)
    item = graph_object(
        graph.get(
            f"/me/events/{segment(args.eventId)}",
            params={"$select": DETAIL_FIELDS},
            headers=time_zone_header(zone),
        )
    )
    text, cut = trimmed(body_text(item.get("body"))[args.bodyOffset :], BODY_LIMIT)
    next_offset = args.bodyOffset + BODY_LIMIT if cut else None
    return event_detail(item, zone=zone, body=text, body_next_offset=next_offset)


def event_brief(graph: GraphClient, *, event_id: str) -> dict[str, Any]:
    """Subject and attendees of one event (no body): what the cancel question names."""
    path = f"/me/events/{segment(event_id)}"
    return graph_object(graph.get(path, params={"$select": "subject,attendees"}))


def schedule_get(graph: GraphClient, args: ScheduleInput) -> Schedules:
    zone = args.timeZone or mailbox_time_zone(graph)
    request = {
        "schedules": args.people,
        "startTime": graph_time(args.startDateTime, zone),
        "endTime": graph_time(args.endDateTime, zone),
        "availabilityViewInterval": args.intervalMinutes,
    }
    # A read sent as POST: repeating it is safe, so it is retried like a GET.
    reply = graph.post(
        "/me/calendar/getSchedule", request, headers=time_zone_header(zone), idempotent=True
    )
    schedules = [person_schedule(item) for item in graph_list(reply)]
    return Schedules(schedules=schedules, timeZone=zone)


def meeting_times_find(graph: GraphClient, args: MeetingTimesInput) -> MeetingTimes:
    zone = args.timeZone or mailbox_time_zone(graph)
    request: dict[str, object] = {
        "attendees": [
            {"type": "required", "emailAddress": {"address": address}} for address in args.attendees
        ],
        "meetingDuration": iso_duration(args.durationMinutes),
        "maxCandidates": args.maxCandidates,
    }
    if args.startDateTime is not None and args.endDateTime is not None:
        slot = {"start": graph_time(args.startDateTime, zone)}
        slot["end"] = graph_time(args.endDateTime, zone)
        request["timeConstraint"] = {"timeSlots": [slot]}
    reply = graph.post(
        "/me/findMeetingTimes", request, headers=time_zone_header(zone), idempotent=True
    )
    reason = graph_object(reply).get("emptySuggestionsReason")
    return MeetingTimes(
        suggestions=[suggestion(item) for item in graph_list(reply, "meetingTimeSuggestions")],
        emptySuggestionsReason=reason if isinstance(reason, str) else "",
        timeZone=zone,
    )


def calendars_list(graph: GraphClient, args: CalendarsInput) -> CalendarList:
    page = page_get(
        graph,
        "/me/calendars",
        listing="calendars",
        cursor=args.cursor,
        params={"$select": CALENDAR_FIELDS, "$top": str(args.count)},
    )
    calendars = [calendar_info(item) for item in page.items]
    return CalendarList(calendars=calendars, nextCursor=page.next_cursor)


def calendars_read(graph: GraphClient, params: dict[str, str]) -> str:
    """``microsoft://calendars``: the person's calendars (the first 50) as JSON."""
    listed = calendars_list(graph, CalendarsInput(count=50))
    return json.dumps([calendar.model_dump() for calendar in listed.calendars])

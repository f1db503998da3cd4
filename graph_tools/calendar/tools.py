"""The calendar tools and the ``microsoft://calendars`` resource (declarations and renders)."""

from __future__ import annotations

from graph_tools.calendar import schemas as s
from graph_tools.calendar.selectors import (
    calendars_list,
    calendars_read,
    event_brief,
    event_get,
    events_list,
    meeting_times_find,
    schedule_get,
)
from graph_tools.calendar.services import event_cancel, event_create, event_respond, event_update
from graph_tools.client import GraphClient
from graph_tools.questions import listed, quoted
from graph_tools.replies import graph_list, recipient_address, text
from graph_tools.tooling import Resource, Tool

MORE = "More: call again with nextCursor."


def _when(start: str, end: str) -> str:
    """ "2026-12-01 14:00-15:00", or both dates when the event spans days."""
    first, last = start.replace("T", " ")[:16], end.replace("T", " ")[:16]
    return f"{first}-{last[11:] if last[:10] == first[:10] else last}"


def _more(cursor: str | None) -> list[str]:
    return [MORE] if cursor else []


def render_events(out: s.EventList) -> str:
    lines = [f"{len(out.events)} events (times in {out.timeZone}):"]
    for event in out.events:
        teams = " [Teams]" if event.joinUrl else ""
        lines.append(f"- {_when(event.start, event.end)} {event.subject}{teams} (id {event.id})")
    return "\n".join(lines + _more(out.nextCursor))


def render_event(out: s.EventDetail) -> str:
    people = ", ".join(f"{a.address} ({a.response or 'none'})" for a in out.attendees)
    lines = [
        f"{out.subject} - {_when(out.start, out.end)} ({out.timeZone})",
        f"Organizer: {out.organizer}" + (f"; location: {out.location}" if out.location else ""),
        f"Attendees: {people or 'none'}",
        *([f"Teams: {out.joinUrl}"] if out.joinUrl else []),
        "",
        out.body,
    ]
    if out.bodyNextOffset is not None:
        lines.append(f"(More: call again with bodyOffset {out.bodyNextOffset}.)")
    return "\n".join(lines)


def render_saved(out: s.EventSaved) -> str:
    teams = f"\nTeams: {out.joinUrl}" if out.joinUrl else ""
    invited = f", invited {', '.join(out.attendees)}" if out.attendees else ""
    when = f"{_when(out.start, out.end)} ({out.timeZone})"
    return f'Saved "{out.subject}" {when}{invited}; id {out.id}{teams}'


def render_cancelled(out: s.EventCancelled) -> str:
    return f'Cancelled "{out.subject}"; its attendees get a cancellation.'


def render_response(out: s.EventResponse) -> str:
    told = "the organizer is told" if out.sendResponse else "the organizer is not told"
    return f"Answered {out.response} to event {out.id}; {told}."


def render_schedules(out: s.Schedules) -> str:
    legend = "0 free 1 tentative 2 busy 3 away 4 elsewhere"
    lines = [f"Free/busy (times in {out.timeZone}; view digits: {legend}):"]
    for person in out.schedules:
        if person.error:
            lines.append(f"- {person.address}: unavailable ({person.error})")
            continue
        busy = ", ".join(f"{_when(i.start, i.end)} {i.status}" for i in person.items)
        lines.append(f"- {person.address}: {person.availabilityView} {busy}".rstrip())
    return "\n".join(lines)


def render_meeting_times(out: s.MeetingTimes) -> str:
    if not out.suggestions:
        return f"No suggestion ({out.emptySuggestionsReason or 'none found'}); try a wider window."
    lines = [f"Suggested times ({out.timeZone}):"]
    lines += [f"- {_when(t.start, t.end)} ({t.confidence:.0f}% sure)" for t in out.suggestions]
    return "\n".join(lines)


def render_calendars(out: s.CalendarList) -> str:
    lines = [f"{len(out.calendars)} calendars:"]
    for calendar in out.calendars:
        default = " (default)" if calendar.isDefaultCalendar else ""
        lines.append(f"- {calendar.name}{default}, owner {calendar.owner} (id {calendar.id})")
    return "\n".join(lines + _more(out.nextCursor))


def cancel_question(graph: GraphClient, args: s.CancelEventInput) -> str:
    event = event_brief(graph, event_id=args.eventId)
    attendees = listed(recipient_address(one) for one in graph_list(event, "attendees"))
    comment = " with your comment" if args.comment else ""
    return (
        f"Cancel {quoted(text(event.get('subject')))} for everyone and send a cancellation"
        f"{comment} to {attendees or 'no attendee'}?"
    )


TOOLS = (
    Tool(
        name="getCalendarEvents",
        description="List the person's events in a time window (next `days` days, or "
        "startDateTime-endDateTime), recurrences expanded.",
        scope="calendar.read",
        toolset="calendar",
        input_model=s.EventsInput,
        output_model=s.EventList,
        run=events_list,
        render=render_events,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="createCalendarEvent",
        description="Create an event in the person's calendar and invite attendees, "
        "optionally with Teams.",
        scope="calendar.write",
        toolset="calendar",
        input_model=s.CreateEventInput,
        output_model=s.EventSaved,
        run=event_create,
        render=render_saved,
    ),
    Tool(
        name="getEvent",
        description="Read one event in full: body, attendees and responses, Teams link.",
        scope="calendar.read",
        toolset="calendar",
        input_model=s.GetEventInput,
        output_model=s.EventDetail,
        run=event_get,
        render=render_event,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="updateEvent",
        description="Change fields of an event the person organizes; attendees are updated.",
        scope="calendar.write",
        toolset="calendar",
        input_model=s.UpdateEventInput,
        output_model=s.EventSaved,
        run=event_update,
        render=render_saved,
    ),
    Tool(
        name="cancelEvent",
        description="Cancel an event the person organizes, notifying attendees (others' "
        "events: respondToEvent decline).",
        scope="calendar.write",
        toolset="calendar",
        input_model=s.CancelEventInput,
        output_model=s.EventCancelled,
        run=event_cancel,
        render=render_cancelled,
        destructive=True,
        question=cancel_question,
    ),
    Tool(
        name="respondToEvent",
        description="Accept, tentatively accept or decline an invitation.",
        scope="calendar.write",
        toolset="calendar",
        input_model=s.RespondInput,
        output_model=s.EventResponse,
        run=event_respond,
        render=render_response,
    ),
    Tool(
        name="getSchedule",
        description="See when people (colleagues too) are free or busy in a time window.",
        scope="calendar.read",
        toolset="calendar",
        input_model=s.ScheduleInput,
        output_model=s.Schedules,
        run=schedule_get,
        render=render_schedules,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="findMeetingTimes",
        description="Suggest meeting times when the person and the attendees are free.",
        scope="calendar.read",
        toolset="calendar",
        input_model=s.MeetingTimesInput,
        output_model=s.MeetingTimes,
        run=meeting_times_find,
        render=render_meeting_times,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="listCalendars",
        description="List the person's calendars (own and shared) with their ids.",
        scope="calendar.read",
        toolset="calendar",
        input_model=s.CalendarsInput,
        output_model=s.CalendarList,
        run=calendars_list,
        render=render_calendars,
        read_only=True,
        idempotent=True,
    ),
)
RESOURCES = (
    Resource(
        uri="microsoft://calendars",
        name="calendars",
        description="The signed-in person's calendars (id, name, owner, default, editable).",
        mime_type="application/json",
        scope="calendar.read",
        toolset="calendar",
        read=calendars_read,
    ),
)

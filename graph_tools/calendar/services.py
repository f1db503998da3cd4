"""Writes to the person's calendar: create, change, cancel, answer (wire shapes §2A).

Invitations and updates are mail to the attendees, so their addresses pass the deployment's
M365_SEND_ALLOWED_DOMAINS before the first request (policy.recipients_check).
"""

from __future__ import annotations

import uuid
from typing import Any

from graph_tools.calendar.errors import CalendarRefusal
from graph_tools.calendar.schemas import (
    CancelEventInput,
    CreateEventInput,
    EventCancelled,
    EventResponse,
    EventSaved,
    RespondInput,
    UpdateEventInput,
)
from graph_tools.calendar.shapes import event_saved
from graph_tools.client import GraphClient
from graph_tools.mailbox import mailbox_time_zone, time_zone_header
from graph_tools.policy import read_recipients_check, recipients_check
from graph_tools.replies import graph_object, text
from graph_tools.tooling import segment
from graph_tools.zones import graph_time

# respondToEvent's answers and Graph's actions (G-API: event-accept, -tentativelyaccept, -decline).
RESPONSE_ACTIONS = {"accept": "accept", "tentative": "tentativelyAccept", "decline": "decline"}


def event_create(graph: GraphClient, args: CreateEventInput) -> EventSaved:
    recipients_check(args.attendees)
    zone = args.timeZone or mailbox_time_zone(graph)
    event = {
        "subject": args.subject,
        "start": graph_time(args.start, zone),
        "end": graph_time(args.end, zone),
        "attendees": _attendees(args.attendees),
        **_details(args.body, args.location, args.isOnlineMeeting or None),
        # Graph drops a second create with the same transactionId, so the client may retry
        # this POST after a 503 or a lost connection without booking twice.
        "transactionId": str(uuid.uuid4()),
    }
    if args.reminderMinutesBeforeStart is not None:
        event["reminderMinutesBeforeStart"] = args.reminderMinutesBeforeStart
        event["isReminderOn"] = True
    reply = graph.post("/me/events", event, headers=time_zone_header(zone), idempotent=True)
    return event_saved(graph_object(reply), zone)


def event_update(graph: GraphClient, args: UpdateEventInput) -> EventSaved:
    if args.attendees is not None:
        recipients_check(args.attendees)
    path = f"/me/events/{segment(args.eventId)}"
    # The organizer's change is mailed to the attendees the event has (replaced ones get a
    # cancellation), so they pass the policy before the PATCH; an attendee's change stays in
    # their own copy and mails no one.
    event = graph_object(graph.get(path, params={"$select": "attendees,isOrganizer"}))
    if event.get("isOrganizer") is not False:
        read_recipients_check(_invited(event))
    zone = args.timeZone or mailbox_time_zone(graph)
    reply = graph.patch(path, _changes(args, zone), headers=time_zone_header(zone))
    return event_saved(graph_object(reply), zone)


def _changes(args: UpdateEventInput, zone: str) -> dict[str, Any]:
    """Only the fields given: Graph leaves the others as they are."""
    changes: dict[str, Any] = {"subject": args.subject} if args.subject is not None else {}
    if args.start is not None:
        changes["start"] = graph_time(args.start, zone)
    if args.end is not None:
        changes["end"] = graph_time(args.end, zone)
    if args.attendees is not None:
        changes["attendees"] = _attendees(args.attendees)
    changes.update(_details(args.body, args.location, args.isOnlineMeeting))
    return changes


def _invited(event: dict[str, Any]) -> list[Any]:
    """The event's attendees as Graph gave them (none when it gave no list)."""
    attendees = event.get("attendees")
    return list(attendees) if isinstance(attendees, list) else []


def _attendees(addresses: list[str]) -> list[dict[str, Any]]:
    return [{"emailAddress": {"address": address}, "type": "required"} for address in addresses]


def _details(body: str | None, location: str | None, online: bool | None) -> dict[str, Any]:
    """The optional fields both create and update send only when given."""
    details: dict[str, Any] = {}
    if body is not None:
        details["body"] = {"contentType": "text", "content": body}
    if location is not None:
        details["location"] = {"displayName": location}
    if online is not None:
        details["isOnlineMeeting"] = online
        if online:
            details["onlineMeetingProvider"] = "teamsForBusiness"
    return details


def event_cancel(graph: GraphClient, args: CancelEventInput) -> EventCancelled:
    path = f"/me/events/{segment(args.eventId)}"
    # Only the organizer may cancel (G-API:event-cancel); ask first, so an attendee gets
    # advice instead of Graph's error. The cancellation is mail to every attendee, so they
    # pass the policy before it is sent.
    fields = "id,subject,isOrganizer,attendees"
    event = graph_object(graph.get(path, params={"$select": fields}))
    subject = text(event.get("subject"))
    if event.get("isOrganizer") is not True:
        raise CalendarRefusal(
            f'Nothing was cancelled: the person does not organize "{subject}", so only the '
            "organizer can cancel it. To leave it, use respondToEvent with response "
            '"decline" (the organizer is told).'
        )
    read_recipients_check(_invited(event))
    graph.post(f"{path}/cancel", {"comment": args.comment} if args.comment else {})
    return EventCancelled(id=args.eventId, subject=subject)


def event_respond(graph: GraphClient, args: RespondInput) -> EventResponse:
    path = f"/me/events/{segment(args.eventId)}"
    if args.sendResponse:
        # The answer is mail to the organizer (G-API: event-accept), so they pass the policy
        # first; read whether or not a policy is set, so that calls do not depend on it.
        event = graph_object(graph.get(path, params={"$select": "organizer"}))
        read_recipients_check([event.get("organizer")])
    answer: dict[str, Any] = {"sendResponse": args.sendResponse}
    if args.comment:
        answer["comment"] = args.comment
    graph.post(f"{path}/{RESPONSE_ACTIONS[args.response]}", answer)
    return EventResponse(id=args.eventId, response=args.response, sendResponse=args.sendResponse)

"""Graph's calendar objects (wire shapes §2A) as the tools' compact outputs.

Graph leaves out or nulls what an item does not have; each reader here turns that into an
empty value of the right type, so one odd item never fails a whole listing.
"""

from __future__ import annotations

from typing import Any

from graph_tools.calendar.schemas import (
    Attendee,
    BusyItem,
    CalendarInfo,
    EventDetail,
    EventSaved,
    EventSummary,
    PersonSchedule,
    Suggestion,
)
from graph_tools.replies import mailbox_text, text
from graph_tools.zones import short_time

# calendarView and GET event: only what EventSummary returns ($select).
SUMMARY_FIELDS = (
    "id,subject,start,end,isAllDay,location,organizer,isOnlineMeeting,onlineMeeting,showAs,"
    "responseStatus"
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [one for one in value if isinstance(one, dict)] if isinstance(value, list) else []


def _time(item: dict[str, Any], name: str) -> str:
    return short_time(_dict(item.get(name)).get("dateTime"))


def _address(recipient: Any) -> dict[str, Any]:
    return _dict(_dict(recipient).get("emailAddress"))


def join_url(item: dict[str, Any]) -> str | None:
    url = _dict(item.get("onlineMeeting")).get("joinUrl")
    return url if isinstance(url, str) and url else None


def event_summary(item: dict[str, Any]) -> EventSummary:
    return EventSummary(
        id=text(item.get("id")),
        subject=text(item.get("subject")),
        start=_time(item, "start"),
        end=_time(item, "end"),
        isAllDay=item.get("isAllDay") is True,
        location=text(_dict(item.get("location")).get("displayName")),
        organizer=mailbox_text(item.get("organizer")),
        isOnlineMeeting=item.get("isOnlineMeeting") is True,
        joinUrl=join_url(item),
        showAs=text(item.get("showAs")),
        responseStatus=text(_dict(item.get("responseStatus")).get("response")),
    )


def attendees(item: dict[str, Any]) -> list[Attendee]:
    return [
        Attendee(
            address=text(_address(one).get("address")),
            name=text(_address(one).get("name")),
            type=text(one.get("type")),
            response=text(_dict(one.get("status")).get("response")),
        )
        for one in _objects(item.get("attendees"))
    ]


def event_detail(
    item: dict[str, Any], *, zone: str, body: str, body_next_offset: int | None
) -> EventDetail:
    summary = event_summary(item)
    return EventDetail(
        id=summary.id,
        subject=summary.subject,
        start=summary.start,
        end=summary.end,
        timeZone=zone,
        location=summary.location,
        organizer=summary.organizer,
        isOrganizer=item.get("isOrganizer") is True,
        responseStatus=summary.responseStatus,
        joinUrl=summary.joinUrl,
        webLink=text(item.get("webLink")),
        attendees=attendees(item),
        body=body,
        bodyNextOffset=body_next_offset,
    )


def event_saved(item: dict[str, Any], zone: str) -> EventSaved:
    return EventSaved(
        id=text(item.get("id")),
        subject=text(item.get("subject")),
        start=_time(item, "start"),
        end=_time(item, "end"),
        timeZone=zone,
        joinUrl=join_url(item),
        webLink=text(item.get("webLink")),
        attendees=[attendee.address for attendee in attendees(item)],
    )


def busy_item(item: dict[str, Any]) -> BusyItem:
    # Graph already hides a private item's details from others; never pass them on.
    private = item.get("isPrivate") is True
    return BusyItem(
        start=_time(item, "start"),
        end=_time(item, "end"),
        status=text(item.get("status")),
        subject=None if private else text(item.get("subject")),
    )


def person_schedule(item: dict[str, Any]) -> PersonSchedule:
    error = _dict(item.get("error"))
    listed = _objects(item.get("scheduleItems"))
    return PersonSchedule(
        address=text(item.get("scheduleId")),
        availabilityView=text(item.get("availabilityView")),
        items=[busy_item(one) for one in listed if one.get("status") != "free"],
        error=text(error.get("message")) or text(error.get("responseCode")) or None,
    )


def suggestion(item: dict[str, Any]) -> Suggestion:
    slot = _dict(item.get("meetingTimeSlot"))
    confidence = item.get("confidence")
    return Suggestion(
        start=_time(slot, "start"),
        end=_time(slot, "end"),
        confidence=float(confidence) if isinstance(confidence, int | float) else 0.0,
        organizerAvailability=text(item.get("organizerAvailability")),
        attendeeAvailability={
            text(_address(one.get("attendee")).get("address")): text(one.get("availability"))
            for one in _objects(item.get("attendeeAvailability"))
        },
    )


def calendar_info(item: dict[str, Any]) -> CalendarInfo:
    owner = _dict(item.get("owner"))
    return CalendarInfo(
        id=text(item.get("id")),
        name=text(item.get("name")),
        color=text(item.get("color")),
        isDefaultCalendar=item.get("isDefaultCalendar") is True,
        canEdit=item.get("canEdit") is True,
        owner=text(owner.get("address")) or text(owner.get("name")),
    )

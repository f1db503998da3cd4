"""Inputs and outputs of the calendar tools (camelCase, like Graph and the original tools)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from graph_tools.tooling import (
    LIST,
    STRING,
    Addresses,
    Confirm,
    Cursor,
    GraphId,
    NullableInt,
    NullableText,
    OptionalArguments,
    Result,
    Zone,
    count_field,
    iso_date_time,
    times_in_order,
)

CheckedDateTime = Annotated[str, AfterValidator(iso_date_time)]
DateTime = Annotated[CheckedDateTime, STRING]
MaybeDateTime = Annotated[CheckedDateTime | None, STRING]
MaybeText = Annotated[str | None, STRING]
EventId = Annotated[GraphId, STRING, Field(description="From getCalendarEvents")]
Emails = Annotated[Addresses, LIST]
Comment = Annotated[MaybeText, Field(max_length=4000, description="Note for the others")]
LOCAL = "Local date-time in timeZone, e.g. 2026-12-01T14:00:00"
WINDOW_START = "Window start with endDateTime, e.g. 2026-12-01T09:00:00 (timeZone) or +01:00"


def _pair(start: str | None, end: str | None) -> None:
    if (start is None) != (end is None):
        raise ValueError("give both startDateTime and endDateTime, or neither")
    times_in_order(start, end)


class EventsInput(OptionalArguments):
    days: int = Field(7, ge=1, le=90, description="Days ahead from now, without a window")
    startDateTime: MaybeDateTime = Field(None, description=WINDOW_START)
    endDateTime: MaybeDateTime = Field(None, description="Window end, same format")
    timeZone: Zone = None
    count: int = count_field(20, 50, "events")
    cursor: Annotated[Cursor, STRING] = None

    @model_validator(mode="after")
    def _window(self) -> Self:
        _pair(self.startDateTime, self.endDateTime)
        return self


class CreateEventInput(OptionalArguments):
    subject: str = Field(min_length=1, max_length=255)
    start: DateTime = Field(description=LOCAL)
    end: DateTime = Field(description="Local end, after start")
    attendees: Emails = Field(default_factory=list, description="E-mail address(es)")
    body: MaybeText = Field(None, max_length=32000, description="Plain text")
    timeZone: Zone = None
    location: MaybeText = Field(None, max_length=255)
    isOnlineMeeting: bool = Field(False, description="Add a Teams meeting")
    reminderMinutesBeforeStart: Annotated[int | None, WithJsonSchema({"type": "integer"})] = Field(
        None, ge=0, le=40320
    )

    @model_validator(mode="after")
    def _times(self) -> Self:
        times_in_order(self.start, self.end)
        return self


class GetEventInput(OptionalArguments):
    eventId: EventId
    timeZone: Zone = None
    bodyOffset: int = Field(0, ge=0, le=10_000_000, description="From bodyNextOffset")


CHANGEABLE = ("subject", "start", "end", "location", "body", "attendees", "isOnlineMeeting")


class UpdateEventInput(OptionalArguments):
    eventId: EventId
    subject: MaybeText = Field(None, min_length=1, max_length=255)
    start: MaybeDateTime = Field(None, description=LOCAL)
    end: MaybeDateTime = None
    timeZone: Zone = None
    location: MaybeText = Field(None, max_length=255)
    body: MaybeText = Field(None, max_length=32000, description="Plain text")
    attendees: Annotated[Addresses | None, LIST] = Field(None, description="Replaces all")
    isOnlineMeeting: Annotated[bool | None, WithJsonSchema({"type": "boolean"})] = None

    @model_validator(mode="after")
    def _changes(self) -> Self:
        if all(getattr(self, name) is None for name in CHANGEABLE):
            raise ValueError("give at least one field to change")
        times_in_order(self.start, self.end)
        return self


class CancelEventInput(OptionalArguments):
    eventId: EventId
    comment: Comment = None
    confirm: Confirm = False


class RespondInput(OptionalArguments):
    eventId: EventId
    response: Literal["accept", "tentative", "decline"]
    comment: Comment = None
    sendResponse: bool = Field(True, description="Tell the organizer")


class ScheduleInput(OptionalArguments):
    people: Annotated[Emails, Field(min_length=1, max_length=20, description="1-20 addresses")]
    startDateTime: DateTime = Field(description=LOCAL + " or with an offset")
    endDateTime: DateTime
    timeZone: Zone = None
    intervalMinutes: int = Field(30, ge=5, le=1440)

    @model_validator(mode="after")
    def _window(self) -> Self:
        times_in_order(self.startDateTime, self.endDateTime)
        return self


class MeetingTimesInput(OptionalArguments):
    attendees: Annotated[Emails, Field(min_length=1, max_length=20, description="1-20")]
    durationMinutes: int = Field(30, ge=5, le=1440)
    startDateTime: MaybeDateTime = Field(None, description=WINDOW_START)
    endDateTime: MaybeDateTime = None
    timeZone: Zone = None
    maxCandidates: int = Field(5, ge=1, le=20)

    @model_validator(mode="after")
    def _window(self) -> Self:
        _pair(self.startDateTime, self.endDateTime)
        return self


class CalendarsInput(OptionalArguments):
    count: int = count_field(20, 50, "calendars")
    cursor: Annotated[Cursor, STRING] = None


# --- outputs: times are "YYYY-MM-DDTHH:MM:SS" in the output's timeZone ---------------------


class EventSummary(Result):
    id: str
    subject: str
    start: str
    end: str
    isAllDay: bool
    location: str
    organizer: str  # "Name <address>"
    isOnlineMeeting: bool
    joinUrl: NullableText
    showAs: str
    responseStatus: str


class EventList(Result):
    events: list[EventSummary]
    nextCursor: NullableText
    timeZone: str


class Attendee(Result):
    address: str
    name: str
    type: str
    response: str


class EventDetail(Result):
    id: str
    subject: str
    start: str
    end: str
    timeZone: str
    location: str
    organizer: str
    isOrganizer: bool
    responseStatus: str
    joinUrl: NullableText
    webLink: str
    attendees: list[Attendee]
    body: str
    bodyNextOffset: NullableInt


class EventSaved(Result):
    id: str
    subject: str
    start: str
    end: str
    timeZone: str
    joinUrl: NullableText
    webLink: str
    attendees: list[str]


class EventCancelled(Result):
    id: str
    subject: str


class EventResponse(Result):
    id: str
    response: str
    sendResponse: bool


class BusyItem(Result):
    start: str
    end: str
    status: str
    subject: NullableText  # None for private items


class PersonSchedule(Result):
    address: str
    availabilityView: str  # a digit per interval: 0 free 1 tentative 2 busy 3 oof 4 elsewhere
    items: list[BusyItem]
    error: NullableText


class Schedules(Result):
    schedules: list[PersonSchedule]
    timeZone: str


class Suggestion(Result):
    start: str
    end: str
    confidence: float
    organizerAvailability: str
    attendeeAvailability: dict[str, str]  # address -> free, tentative, busy, oof, unknown…


class MeetingTimes(Result):
    suggestions: list[Suggestion]
    emptySuggestionsReason: str
    timeZone: str


class CalendarInfo(Result):
    id: str
    name: str
    color: str
    isDefaultCalendar: bool
    canEdit: bool
    owner: str


class CalendarList(Result):
    calendars: list[CalendarInfo]
    nextCursor: NullableText

"""Inputs and outputs of the calendar tools (camelCase, like Graph and the original tools)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, model_validator

from graph_tools.tooling import (
    Addresses,
    Arguments,
    Confirm,
    Cursor,
    GraphId,
    Output,
    TimeZone,
    count_field,
)
from graph_tools.zones import parsed

# ISO 8601 to the minute, optionally seconds (Graph's seven fractional digits too) and offset.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?")


def _date_time(value: str) -> str:
    if not DATE_TIME.fullmatch(value):
        raise ValueError("expected an ISO date-time such as 2026-12-01T14:00:00")
    parsed(value)  # a real date: 2026-02-30 is refused here
    return value


# tools/list is paid for on every turn of every conversation: these keep the shared types'
# validation but show the model a plain schema, the description saying the format.
STRING = WithJsonSchema({"type": "string"})
CheckedDateTime = Annotated[str, AfterValidator(_date_time)]
DateTime = Annotated[CheckedDateTime, STRING]
MaybeDateTime = Annotated[CheckedDateTime | None, STRING]
MaybeText = Annotated[str | None, STRING]
Zone = Annotated[TimeZone, STRING, Field(description="Windows or IANA zone; default: mailbox's")]
EventId = Annotated[GraphId, STRING, Field(description="From getCalendarEvents")]
LIST = WithJsonSchema({"type": "array", "items": {"type": "string"}})
Emails = Annotated[Addresses, LIST]
Comment = Annotated[MaybeText, Field(max_length=4000, description="Note for the others")]
LOCAL = "Local date-time in timeZone, e.g. 2026-12-01T14:00:00"
WINDOW_START = "Window start with endDateTime, e.g. 2026-12-01T09:00:00 (timeZone) or +01:00"


def _unlisted_null_defaults(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        if "default" in field and field["default"] is None:
            del field["default"]


class Inputs(Arguments):
    """An argument left out is None: the schema need not say "default": null for each."""

    model_config = ConfigDict(json_schema_extra=_unlisted_null_defaults)


def _ordered(start: str | None, end: str | None) -> None:
    """Both times in the same form (local or with offset), the end after the start."""
    if start is None or end is None:
        return
    first, last = parsed(start), parsed(end)
    if (first.tzinfo is None) != (last.tzinfo is None):
        raise ValueError("give start and end both with an offset or both without")
    if last <= first:
        raise ValueError("the end must be after the start")


def _pair(start: str | None, end: str | None) -> None:
    if (start is None) != (end is None):
        raise ValueError("give both startDateTime and endDateTime, or neither")
    _ordered(start, end)


class EventsInput(Inputs):
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


class CreateEventInput(Inputs):
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
        _ordered(self.start, self.end)
        return self


class GetEventInput(Inputs):
    eventId: EventId
    timeZone: Zone = None
    bodyOffset: int = Field(0, ge=0, le=10_000_000, description="From bodyNextOffset")


CHANGEABLE = ("subject", "start", "end", "location", "body", "attendees", "isOnlineMeeting")


class UpdateEventInput(Inputs):
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
        _ordered(self.start, self.end)
        return self


class CancelEventInput(Inputs):
    eventId: EventId
    comment: Comment = None
    confirm: Confirm = False


class RespondInput(Inputs):
    eventId: EventId
    response: Literal["accept", "tentative", "decline"]
    comment: Comment = None
    sendResponse: bool = Field(True, description="Tell the organizer")


class ScheduleInput(Inputs):
    people: Annotated[Emails, Field(min_length=1, max_length=20, description="1-20 addresses")]
    startDateTime: DateTime = Field(description=LOCAL + " or with an offset")
    endDateTime: DateTime
    timeZone: Zone = None
    intervalMinutes: int = Field(30, ge=5, le=1440)

    @model_validator(mode="after")
    def _window(self) -> Self:
        _ordered(self.startDateTime, self.endDateTime)
        return self


class MeetingTimesInput(Inputs):
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


class CalendarsInput(Inputs):
    count: int = count_field(20, 50, "calendars")
    cursor: Annotated[Cursor, STRING] = None


# --- outputs: times are "YYYY-MM-DDTHH:MM:SS" in the output's timeZone ---------------------


def _unlisted_required(schema: dict[str, Any]) -> None:
    schema.pop("required", None)


# Nullable output fields: the same schema as pydantic's anyOf, in fewer characters.
Nullable = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


class Result(Output):
    """Every field is always present; the schema does not repeat the names in "required",
    which would add a third to each output schema in every tools/list."""

    model_config = ConfigDict(json_schema_extra=_unlisted_required)


class EventSummary(Result):
    id: str
    subject: str
    start: str
    end: str
    isAllDay: bool
    location: str
    organizer: str  # "Name <address>"
    isOnlineMeeting: bool
    joinUrl: Nullable
    showAs: str
    responseStatus: str


class EventList(Result):
    events: list[EventSummary]
    nextCursor: Nullable
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
    joinUrl: Nullable
    webLink: str
    attendees: list[Attendee]
    body: str
    bodyNextOffset: Annotated[int | None, WithJsonSchema({"type": ["integer", "null"]})]


class EventSaved(Result):
    id: str
    subject: str
    start: str
    end: str
    timeZone: str
    joinUrl: Nullable
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
    subject: Nullable  # None for private items


class PersonSchedule(Result):
    address: str
    availabilityView: str  # a digit per interval: 0 free 1 tentative 2 busy 3 oof 4 elsewhere
    items: list[BusyItem]
    error: Nullable


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
    nextCursor: Nullable

"""getCalendarEvents: calendarView in a window, times in the stated zone, paged by cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_tools.calendar.shapes import SUMMARY_FIELDS
from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.calendar import SUMMARY, graph_event

pytestmark = pytest.mark.django_db(transaction=True)
VIEW = f"{GRAPH}/me/calendarView"
TEXT = (
    "1 events (times in W. Europe Standard Time):\n"
    "- 2026-12-01 14:00-15:00 Roadmap review [Teams] (id AAMkAGI2TG93AAA/x+y=)"
)


def utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


async def test_it_lists_the_next_days_in_the_mailbox_zone(call_tool, graph, mailbox_zone) -> None:
    graph.get(VIEW, json={"value": [graph_event()]})
    result = await call_tool("getCalendarEvents", {"days": 3})
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.prefer) == (
        "GET",
        "/me/calendarView",
        zone_header(ZONE),
    )
    start, end = utc(request.query.pop("startDateTime")), utc(request.query.pop("endDateTime"))
    assert abs(start - datetime.now(UTC)) < timedelta(seconds=30)
    assert end - start == timedelta(days=3)
    assert request.query == {"$select": SUMMARY_FIELDS, "$orderby": "start/dateTime", "$top": "20"}
    assert result.structured_content == {"events": [SUMMARY], "nextCursor": None, "timeZone": ZONE}
    assert result.content[0].text == TEXT


async def test_it_reads_the_mailbox_zone_when_none_is_given(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/mailboxSettings/timeZone", json={"value": "Pacific Standard Time"})
    graph.get(VIEW, json={"value": []})
    result = await call_tool("getCalendarEvents", {})
    assert result.structured_content == {
        "events": [],
        "nextCursor": None,
        "timeZone": "Pacific Standard Time",
    }
    assert sent(graph).prefer == zone_header("Pacific Standard Time")
    assert result.content[0].text == "0 events (times in Pacific Standard Time):"


@pytest.mark.parametrize(
    ("zone", "start", "end", "utc_start", "utc_end"),
    [
        # A Windows name, converted through CLDR's mapping (Europe/Berlin), winter and summer.
        (None, "2026-12-01T09:00:00", "2026-12-01T17:30", "12-01T08:00", "12-01T16:30"),
        (None, "2026-07-01T09:00:00", "2026-07-01T17:00:00", "07-01T07:00", "07-01T15:00"),
        ("America/New_York", "2026-12-01T09:00", "2026-12-02T09:00", "12-01T14:00", "12-02T14:00"),
        # The night daylight saving time starts: 01:00 is PST, 04:00 PDT.
        (
            "Pacific Standard Time",
            "2026-03-08T01:00",
            "2026-03-08T04:00",
            "03-08T09:00",
            "03-08T11:00",
        ),
        # An offset in the value wins over the zone, which still sets the zone of the results.
        ("Asia/Tokyo", "2026-12-01T09:00+05:30", "2026-12-01T10:00Z", "12-01T03:30", "12-01T10:00"),
        ("UTC", "2026-12-01T09:00:00.0000000", "2026-12-01T10:00:00", "12-01T09:00", "12-01T10:00"),
    ],
)
async def test_it_sends_a_local_window_as_utc(
    call_tool, graph, mailbox_zone, zone, start, end, utc_start, utc_end
) -> None:
    graph.get(VIEW, json={"value": []})
    arguments = {"startDateTime": start, "endDateTime": end, "count": 5}
    result = await call_tool("getCalendarEvents", {**arguments, "timeZone": zone})
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert request.query == {
        "startDateTime": f"2026-{utc_start}:00Z",
        "endDateTime": f"2026-{utc_end}:00Z",
        "$select": SUMMARY_FIELDS,
        "$orderby": "start/dateTime",
        "$top": "5",
    }
    assert request.prefer == zone_header(zone or ZONE)
    assert result.structured_content["timeZone"] == (zone or ZONE)


async def test_it_refuses_local_times_in_a_zone_it_cannot_convert(
    call_tool, graph, mailbox_zone
) -> None:
    window = {"startDateTime": "2026-12-01T09:00:00", "endDateTime": "2026-12-01T10:00:00"}
    result = await call_tool("getCalendarEvents", {**window, "timeZone": "Mars Standard Time"})
    assert result.is_error
    assert "Give the times with an offset" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_passes_any_zone_on_when_nothing_needs_converting(
    call_tool, graph, mailbox_zone
) -> None:
    graph.get(VIEW, json={"value": []})
    result = await call_tool("getCalendarEvents", {"timeZone": "Mars Standard Time"})
    assert not result.is_error
    assert sent(graph).prefer == zone_header("Mars Standard Time")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"startDateTime": "2026-12-01T09:00:00"}, "give both startDateTime and endDateTime"),
        ({"endDateTime": "2026-12-01T09:00:00"}, "give both startDateTime and endDateTime"),
        (
            {"startDateTime": "2026-12-01T09:00:00Z", "endDateTime": "2026-12-01T10:00:00"},
            "both with an offset or both without",
        ),
        (
            {"startDateTime": "2026-12-01T10:00:00", "endDateTime": "2026-12-01T10:00:00"},
            "the end must be after the start",
        ),
        ({"startDateTime": "2026-02-30T10:00", "endDateTime": "2026-03-01T10:00"}, "startDateTime"),
        ({"startDateTime": "tomorrow", "endDateTime": "2026-03-01T10:00"}, "startDateTime"),
        ({"days": 91}, "days"),
        ({"days": 0}, "days"),
        ({"count": 51}, "count"),
        ({"timeZone": 'UTC"; x'}, "timeZone"),
        ({"folder": "inbox"}, "folder"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, arguments, field
) -> None:
    result = await call_tool("getCalendarEvents", arguments)
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_pages_with_a_cursor_bound_to_the_person(
    call_tool, graph, mailbox_zone, bob
) -> None:
    next_link = f"{GRAPH}/me/calendarView?startDateTime=x&endDateTime=y&$top=1&$skip=1"
    graph.get(VIEW, json={"value": [graph_event()], "@odata.nextLink": next_link})
    first = await call_tool("getCalendarEvents", {"count": 1})
    cursor = first.structured_content["nextCursor"]
    assert cursor
    assert first.content[0].text == f"{TEXT}\nMore: call again with nextCursor."

    graph.get(VIEW, json={"value": [graph_event(id="AAMkSecond")]})
    second = await call_tool("getCalendarEvents", {"cursor": cursor, "timeZone": "UTC"})
    assert [event["id"] for event in second.structured_content["events"]] == ["AAMkSecond"]
    assert second.structured_content["nextCursor"] is None
    assert graph.calls[-1].request.url == next_link
    assert sent(graph).prefer == zone_header("UTC")

    stolen = await call_tool("getCalendarEvents", {"cursor": cursor, "timeZone": "UTC"}, person=bob)
    assert stolen.is_error
    assert "cursor is not valid" in stolen.content[0].text
    assert len(graph.calls) == 2

"""findMeetingTimes: Graph's suggestions for the person and the attendees, in the stated zone."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.calendar import MEETING_TIMES_REPLY

pytestmark = pytest.mark.django_db(transaction=True)
FIND = f"{GRAPH}/me/findMeetingTimes"


async def test_it_asks_for_times_in_a_window(call_tool, graph, mailbox_zone) -> None:
    graph.post(FIND, json=MEETING_TIMES_REPLY)
    arguments = {
        "attendees": ["bob@contoso.com", "carol@contoso.com"],
        "durationMinutes": 90,
        "startDateTime": "2026-12-02T09:00:00",
        "endDateTime": "2026-12-04T17:00:00",
        "maxCandidates": 3,
    }
    result = await call_tool("findMeetingTimes", arguments)
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.query) == ("POST", "/me/findMeetingTimes", {})
    assert request.prefer == zone_header(ZONE)
    assert request.body == {
        "attendees": [
            {"type": "required", "emailAddress": {"address": "bob@contoso.com"}},
            {"type": "required", "emailAddress": {"address": "carol@contoso.com"}},
        ],
        "meetingDuration": "PT1H30M",
        "maxCandidates": 3,
        "timeConstraint": {
            "timeSlots": [
                {
                    "start": {"dateTime": "2026-12-02T09:00:00", "timeZone": ZONE},
                    "end": {"dateTime": "2026-12-04T17:00:00", "timeZone": ZONE},
                }
            ]
        },
    }
    assert result.structured_content == {
        "suggestions": [
            {
                "start": "2026-12-02T10:00:00",
                "end": "2026-12-02T10:30:00",
                "confidence": 100.0,
                "organizerAvailability": "free",
                "attendeeAvailability": {"bob@contoso.com": "free"},
            }
        ],
        "emptySuggestionsReason": "",
        "timeZone": ZONE,
    }
    assert result.content[0].text == (
        "Suggested times (W. Europe Standard Time):\n- 2026-12-02 10:00-10:30 (100% sure)"
    )


async def test_it_leaves_the_window_to_graph_and_says_why_nothing_fits(call_tool, graph) -> None:
    graph.post(
        FIND, json={"emptySuggestionsReason": "attendeesUnavailable", "meetingTimeSuggestions": []}
    )
    arguments = {"attendees": "bob@contoso.com", "timeZone": "UTC"}
    result = await call_tool("findMeetingTimes", arguments)
    request = sent(graph)
    assert request.prefer == zone_header("UTC")
    assert request.body == {
        "attendees": [{"type": "required", "emailAddress": {"address": "bob@contoso.com"}}],
        "meetingDuration": "PT30M",
        "maxCandidates": 5,
    }
    assert result.structured_content == {
        "suggestions": [],
        "emptySuggestionsReason": "attendeesUnavailable",
        "timeZone": "UTC",
    }
    assert result.content[0].text == "No suggestion (attendeesUnavailable); try a wider window."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attendees": []}, "attendees"),
        ({"durationMinutes": 4}, "durationMinutes"),
        ({"maxCandidates": 21}, "maxCandidates"),
        ({"startDateTime": "2026-12-02T09:00:00"}, "give both startDateTime and endDateTime"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, change, field
) -> None:
    result = await call_tool("findMeetingTimes", {"attendees": ["bob@contoso.com"], **change})
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0

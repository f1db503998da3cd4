"""getSchedule: free/busy of several people in one POST, private items without their subject."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.calendar import SCHEDULE_REPLY

pytestmark = pytest.mark.django_db(transaction=True)
SCHEDULE = f"{GRAPH}/me/calendar/getSchedule"
PRIVATE = {
    "isPrivate": True,
    "status": "oof",
    "subject": "Doctor",
    "start": {"dateTime": "2026-12-01T13:00:00.0000000", "timeZone": ZONE},
    "end": {"dateTime": "2026-12-01T14:00:00.0000000", "timeZone": ZONE},
}
UNKNOWN: dict[str, Any] = {
    "scheduleId": "nobody@contoso.com",
    "error": {
        "message": "Unable to resolve e-mail address nobody@contoso.com to an Active Directory "
        "object.",
        "responseCode": "5009",
    },
}


async def test_it_asks_for_everyone_in_one_request(call_tool, graph, mailbox_zone) -> None:
    (bob,) = SCHEDULE_REPLY["value"]
    free = {**PRIVATE, "isPrivate": False, "status": "free", "subject": "Lunch"}
    items = [*bob["scheduleItems"], PRIVATE, free]
    bob = {**bob, "availabilityView": "02230", "scheduleItems": items}
    reply = {"value": [bob, UNKNOWN]}
    graph.post(SCHEDULE, json=reply)
    arguments = {
        "people": ["bob@contoso.com", "nobody@contoso.com"],
        "startDateTime": "2026-12-01T09:00:00",
        "endDateTime": "2026-12-01T11:30:00",
        "intervalMinutes": 30,
    }
    result = await call_tool("getSchedule", arguments)
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.query) == ("POST", "/me/calendar/getSchedule", {})
    assert request.prefer == zone_header(ZONE)
    assert request.body == {
        "schedules": ["bob@contoso.com", "nobody@contoso.com"],
        "startTime": {"dateTime": "2026-12-01T09:00:00", "timeZone": ZONE},
        "endTime": {"dateTime": "2026-12-01T11:30:00", "timeZone": ZONE},
        "availabilityViewInterval": 30,
    }
    assert result.structured_content == {
        "schedules": [
            {
                "address": "bob@contoso.com",
                "availabilityView": "02230",
                "items": [
                    {
                        "start": "2026-12-01T09:30:00",
                        "end": "2026-12-01T10:30:00",
                        "status": "busy",
                        "subject": "Code review",
                    },
                    {
                        "start": "2026-12-01T13:00:00",
                        "end": "2026-12-01T14:00:00",
                        "status": "oof",
                        "subject": None,
                    },
                ],
                "error": None,
            },
            {
                "address": "nobody@contoso.com",
                "availabilityView": "",
                "items": [],
                "error": UNKNOWN["error"]["message"],
            },
        ],
        "timeZone": ZONE,
    }
    assert result.content[0].text == (
        "Free/busy (times in W. Europe Standard Time; view digits: 0 free 1 tentative 2 busy "
        "3 away 4 elsewhere):\n"
        "- bob@contoso.com: 02230 2026-12-01 09:30-10:30 busy, 2026-12-01 13:00-14:00 oof\n"
        f"- nobody@contoso.com: unavailable ({UNKNOWN['error']['message']})"
    )
    assert "Doctor" not in str(result.structured_content)
    assert "Lunch" not in str(result.structured_content)  # free time is not a busy item


async def test_it_writes_instants_in_the_zone_asked_for(call_tool, graph) -> None:
    graph.post(SCHEDULE, json={"value": []})
    arguments = {
        "people": "bob@contoso.com",
        "startDateTime": "2026-12-01T08:00:00Z",
        "endDateTime": "2026-12-01T17:00:00+01:00",
        "timeZone": "Tokyo Standard Time",
        "intervalMinutes": 60,
    }
    result = await call_tool("getSchedule", arguments)
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert request.prefer == zone_header("Tokyo Standard Time")
    assert request.body["startTime"] == {
        "dateTime": "2026-12-01T17:00:00",
        "timeZone": "Tokyo Standard Time",
    }
    assert request.body["endTime"] == {
        "dateTime": "2026-12-02T01:00:00",
        "timeZone": "Tokyo Standard Time",
    }
    assert request.body["availabilityViewInterval"] == 60


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"people": []}, "people"),
        ({"people": [f"p{n}@contoso.com" for n in range(21)]}, "people"),
        ({"intervalMinutes": 4}, "intervalMinutes"),
        ({"intervalMinutes": 1441}, "intervalMinutes"),
        ({"endDateTime": "2026-12-01T08:00:00"}, "the end must be after the start"),
        ({"startDateTime": None}, "startDateTime"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, change, field
) -> None:
    arguments = {
        "people": ["bob@contoso.com"],
        "startDateTime": "2026-12-01T09:00:00",
        "endDateTime": "2026-12-01T17:00:00",
        **change,
    }
    result = await call_tool("getSchedule", arguments)
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0

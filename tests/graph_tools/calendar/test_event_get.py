"""getEvent: one event in full, its body as trimmed plain text with a way to read the rest."""

from __future__ import annotations

from typing import Any

import pytest

from graph_tools.calendar.selectors import DETAIL_FIELDS
from graph_tools.calendar.shapes import SUMMARY_FIELDS
from tests.graph_tools.conftest import sent, zone_header
from tests.graph_tools.scenarios import ZONE
from tests.graph_tools.scenarios.calendar import (
    ATTENDEES,
    EVENT_ID,
    EVENT_PATH,
    JOIN_URL,
    WEB_LINK,
    graph_event,
)

pytestmark = pytest.mark.django_db(transaction=True)
HTML = "<html><body><p>Agenda:</p><ul><li>Q1 roadmap</li></ul><script>x()</script></body></html>"
DETAIL = {
    "id": EVENT_ID,
    "subject": "Roadmap review",
    "start": "2026-12-01T14:00:00",
    "end": "2026-12-01T15:00:00",
    "timeZone": ZONE,
    "location": "Room 101",
    "organizer": "Alice Archer <alice@contoso.com>",
    "isOrganizer": True,
    "responseStatus": "organizer",
    "joinUrl": JOIN_URL,
    "webLink": WEB_LINK,
    "attendees": [
        {
            "address": "bob@contoso.com",
            "name": "Bob Baker",
            "type": "required",
            "response": "accepted",
        }
    ],
    "body": "Agenda:\n\nQ1 roadmap",
    "bodyNextOffset": None,
}


def event(body: str, content_type: str = "html") -> dict[str, Any]:
    return graph_event(
        isOrganizer=True,
        webLink=WEB_LINK,
        attendees=ATTENDEES,
        body={"contentType": content_type, "content": body},
    )


async def test_it_reads_the_event_with_its_body_as_text(call_tool, graph, mailbox_zone) -> None:
    graph.get(EVENT_PATH, json=event(HTML))
    result = await call_tool("getEvent", {"eventId": EVENT_ID})
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path) == ("GET", "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D")
    assert request.query == {"$select": DETAIL_FIELDS}
    assert request.query["$select"].startswith(f"{SUMMARY_FIELDS},")
    assert request.prefer == zone_header(ZONE)
    assert result.structured_content == DETAIL
    assert result.content[0].text == (
        "Roadmap review - 2026-12-01 14:00-15:00 (W. Europe Standard Time)\n"
        "Organizer: Alice Archer <alice@contoso.com>; location: Room 101\n"
        "Attendees: bob@contoso.com (accepted)\n"
        f"Teams: {JOIN_URL}\n\nAgenda:\n\nQ1 roadmap"
    )


async def test_it_trims_a_long_body_and_reads_on_from_the_offset(
    call_tool, graph, mailbox_zone
) -> None:
    text = "a" * 4000 + "b" * 1500
    graph.get(EVENT_PATH, json=event(text, "text"))
    first = await call_tool("getEvent", {"eventId": EVENT_ID, "timeZone": "UTC"})
    assert first.structured_content["body"] == "a" * 4000 + "\n[… trimmed: 1500 more characters]"
    assert first.structured_content["bodyNextOffset"] == 4000
    assert first.structured_content["timeZone"] == "UTC"
    assert first.content[0].text.endswith("(More: call again with bodyOffset 4000.)")
    assert sent(graph).prefer == zone_header("UTC")

    rest = await call_tool("getEvent", {"eventId": EVENT_ID, "bodyOffset": 4000})
    assert rest.structured_content["body"] == "b" * 1500
    assert rest.structured_content["bodyNextOffset"] is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "eventId"),
        ({"eventId": "AAMk?$select=body"}, "eventId"),
        ({"eventId": "a" * 513}, "eventId"),
        ({"eventId": EVENT_ID, "bodyOffset": -1}, "bodyOffset"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, mailbox_zone, arguments, field
) -> None:
    result = await call_tool("getEvent", arguments)
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0

"""listCalendars and the microsoft://calendars resource."""

from __future__ import annotations

import json

import pytest

from graph_tools.calendar.tools import RESOURCES
from graph_tools.client import GraphClient
from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.calendar import CALENDARS_REPLY

pytestmark = pytest.mark.django_db(transaction=True)
CALENDARS = f"{GRAPH}/me/calendars"
FIELDS = "id,name,color,isDefaultCalendar,canEdit,owner"
CALENDAR = {
    "id": "AAMkAGI2TGuLAAA=",
    "name": "Calendar",
    "color": "auto",
    "isDefaultCalendar": True,
    "canEdit": True,
    "owner": "alice@contoso.com",
}


async def test_it_lists_the_calendars_page_by_page(call_tool, graph) -> None:
    next_link = f"{CALENDARS}?$select={FIELDS}&$top=1&$skip=1"
    graph.get(CALENDARS, json={**CALENDARS_REPLY, "@odata.nextLink": next_link})
    first = await call_tool("listCalendars", {"count": 1})
    assert not first.is_error, first.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.prefer) == ("GET", "/me/calendars", None)
    assert request.query == {"$select": FIELDS, "$top": "1"}
    cursor = first.structured_content["nextCursor"]
    assert first.structured_content == {"calendars": [CALENDAR], "nextCursor": cursor}
    assert first.content[0].text == (
        "1 calendars:\n- Calendar (default), owner alice@contoso.com (id AAMkAGI2TGuLAAA=)\n"
        "More: call again with nextCursor."
    )

    birthdays = {"id": "AAMkBirthdays", "name": "Birthdays", "color": "lightGreen",
                 "isDefaultCalendar": False, "canEdit": False,
                 "owner": {"name": "Alice Archer", "address": "alice@contoso.com"}}  # fmt: skip
    graph.get(CALENDARS, json={"value": [birthdays]})
    second = await call_tool("listCalendars", {"cursor": cursor})
    assert graph.calls[-1].request.url == next_link
    assert second.structured_content["calendars"][0]["name"] == "Birthdays"
    assert second.structured_content["nextCursor"] is None


async def test_it_rejects_a_cursor_of_another_listing(call_tool, graph, mailbox_zone) -> None:
    next_link = f"{GRAPH}/me/calendarView?startDateTime=x&endDateTime=y&$skip=10"
    graph.get(f"{GRAPH}/me/calendarView", json={"value": [], "@odata.nextLink": next_link})
    events = await call_tool("getCalendarEvents", {})
    result = await call_tool("listCalendars", {"cursor": events.structured_content["nextCursor"]})
    assert result.is_error
    assert "cursor is not valid" in result.content[0].text
    assert len(graph.calls) == 1


def test_the_resource_reads_the_calendars_as_json(alice, graph) -> None:
    graph.get(CALENDARS, json=CALENDARS_REPLY)
    (resource,) = RESOURCES
    assert (resource.uri, resource.scope, resource.toolset, resource.mime_type) == (
        "microsoft://calendars",
        "calendar.read",
        "calendar",
        "application/json",
    )
    content = resource.read(GraphClient(user=alice, request_ids=[], scope="calendar.read"), {})
    assert json.loads(content) == [CALENDAR]
    assert sent(graph).query == {"$select": FIELDS, "$top": "50"}

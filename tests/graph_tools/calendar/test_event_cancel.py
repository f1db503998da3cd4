"""cancelEvent: only with the person's confirmation, and only for events they organize."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios.calendar import EVENT_ID, EVENT_PATH

pytestmark = pytest.mark.django_db(transaction=True)


def organized(graph, *, by_me: bool = True) -> None:
    graph.get(EVENT_PATH, json={"id": EVENT_ID, "subject": "Roadmap review", "isOrganizer": by_me})


async def test_it_asks_for_confirmation_first(call_tool, graph) -> None:
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="not_asked")
    assert result.is_error
    text = result.content[0].text
    assert "This needs the person's confirmation: " in text
    assert "Cancel the event …AAA/x+y= for everyone and send its attendees a cancellation?" in text
    assert len(graph.calls) == 0


async def test_it_does_nothing_when_the_person_declines(call_tool, graph) -> None:
    arguments = {"eventId": EVENT_ID, "confirm": True}
    result = await call_tool("cancelEvent", arguments, consent="declined")
    assert result.is_error
    assert "did not confirm" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_cancels_with_a_comment_once_confirmed(call_tool, graph) -> None:
    organized(graph)
    graph.post(f"{EVENT_PATH}/cancel", status=202)
    arguments = {"eventId": EVENT_ID, "comment": "Moved to January.", "confirm": True}
    result = await call_tool("cancelEvent", arguments, consent="not_asked")
    assert not result.is_error, result.content[0].text
    check = sent(graph, 0)
    assert (check.method, check.path, check.query) == (
        "GET",
        "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D",
        {"$select": "id,subject,isOrganizer"},
    )
    cancel = sent(graph, 1)
    assert (cancel.method, cancel.path) == ("POST", "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D/cancel")
    assert cancel.body == {"comment": "Moved to January."}
    assert result.structured_content == {"id": EVENT_ID, "subject": "Roadmap review"}
    assert result.content[0].text == 'Cancelled "Roadmap review"; its attendees get a cancellation.'


async def test_it_cancels_through_elicitation_without_a_comment(call_tool, graph) -> None:
    organized(graph)
    graph.post(f"{EVENT_PATH}/cancel", status=202)
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="confirmed")
    assert not result.is_error, result.content[0].text
    assert sent(graph).body == {}


async def test_it_sends_an_attendee_to_respond_to_event_instead(call_tool, graph) -> None:
    organized(graph, by_me=False)
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="confirmed")
    assert result.is_error
    assert result.content[0].text == (
        'Nothing was cancelled: the person does not organize "Roadmap review", so only the '
        'organizer can cancel it. To leave it, use respondToEvent with response "decline" '
        "(the organizer is told)."
    )
    assert [call.request.method for call in graph.calls] == ["GET"]

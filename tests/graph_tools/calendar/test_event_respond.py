"""respondToEvent: accept, tentativelyAccept or decline, with or without telling the organizer."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios.calendar import EVENT_ID, EVENT_PATH

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("response", "action"),
    [("accept", "accept"), ("tentative", "tentativelyAccept"), ("decline", "decline")],
)
async def test_it_answers_the_invitation(call_tool, graph, response, action) -> None:
    graph.post(f"{EVENT_PATH}/{action}", status=202)
    arguments = {"eventId": EVENT_ID, "response": response, "comment": "See you there."}
    result = await call_tool("respondToEvent", arguments)
    assert not result.is_error, result.content[0].text
    request = sent(graph)
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D/{action}",
        {},
    )
    assert request.body == {"sendResponse": True, "comment": "See you there."}
    assert result.structured_content == {"id": EVENT_ID, "response": response, "sendResponse": True}
    assert result.content[0].text == (
        f"Answered {response} to event {EVENT_ID}; the organizer is told."
    )


async def test_it_can_answer_without_telling_the_organizer(call_tool, graph) -> None:
    graph.post(f"{EVENT_PATH}/decline", status=202)
    arguments = {"eventId": EVENT_ID, "response": "decline", "sendResponse": False}
    result = await call_tool("respondToEvent", arguments)
    assert sent(graph).body == {"sendResponse": False}
    assert result.content[0].text.endswith("; the organizer is not told.")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"eventId": EVENT_ID, "response": "maybe"}, "response"),
        ({"eventId": EVENT_ID}, "response"),
        ({"eventId": EVENT_ID, "response": "accept", "comment": "x" * 4001}, "comment"),
    ],
)
async def test_it_rejects_bad_arguments_before_any_request(
    call_tool, graph, arguments, field
) -> None:
    result = await call_tool("respondToEvent", arguments)
    assert result.is_error
    assert field in result.content[0].text
    assert len(graph.calls) == 0

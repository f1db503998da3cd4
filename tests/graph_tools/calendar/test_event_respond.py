"""respondToEvent: accept, tentativelyAccept or decline, with or without telling the organizer;
telling them is mail, so the organizer passes M365_SEND_ALLOWED_DOMAINS first."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.graph_tools.conftest import all_sent, sent, text
from tests.graph_tools.scenarios.calendar import EVENT_ID, EVENT_PATH, ORGANIZER

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/me/events/AAMkAGI2TG93AAA%2Fx%2By%3D"


@pytest.fixture
def contoso_only(settings) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)


def organized_by(graph, organizer: Any) -> None:
    graph.get(EVENT_PATH, json={"id": EVENT_ID, "organizer": organizer})


@pytest.mark.parametrize(
    ("response", "action"),
    [("accept", "accept"), ("tentative", "tentativelyAccept"), ("decline", "decline")],
)
async def test_it_answers_the_invitation(call_tool, graph, response, action) -> None:
    organized_by(graph, ORGANIZER)
    graph.post(f"{EVENT_PATH}/{action}", status=202)
    arguments = {"eventId": EVENT_ID, "response": response, "comment": "See you there."}
    result = await call_tool("respondToEvent", arguments)
    assert not result.is_error, text(result)
    read, answer = all_sent(graph)
    assert (read.method, read.path, read.query) == ("GET", PATH, {"$select": "organizer"})
    assert (answer.method, answer.path, answer.query) == ("POST", f"{PATH}/{action}", {})
    assert answer.body == {"sendResponse": True, "comment": "See you there."}
    assert result.structured_content == {"id": EVENT_ID, "response": response, "sendResponse": True}
    assert text(result) == f"Answered {response} to event {EVENT_ID}; the organizer is told."


async def test_it_can_answer_without_telling_the_organizer(call_tool, graph) -> None:
    graph.post(f"{EVENT_PATH}/decline", status=202)
    arguments = {"eventId": EVENT_ID, "response": "decline", "sendResponse": False}
    result = await call_tool("respondToEvent", arguments)
    assert [call.request.method for call in graph.calls] == ["POST"]  # nobody is mailed
    assert sent(graph).body == {"sendResponse": False}
    assert text(result).endswith("; the organizer is not told.")


async def test_it_refuses_to_tell_an_organizer_outside_the_allowed_domains(
    call_tool, graph, contoso_only
) -> None:
    organized_by(graph, {"emailAddress": {"name": "Mallory", "address": "mallory@fabrikam.com"}})
    arguments = {"eventId": EVENT_ID, "response": "accept", "comment": "Here it is."}
    result = await call_tool("respondToEvent", arguments)
    assert result.is_error
    assert text(result).startswith(
        "Nothing was sent: this server only sends to contoso.com, and mallory@fabrikam.com "
        "is outside it."
    )
    assert [call.request.method for call in graph.calls] == ["GET"]  # read, never answered


async def test_it_tells_an_organizer_inside_the_allowed_domains(
    call_tool, graph, contoso_only
) -> None:
    organized_by(graph, ORGANIZER)
    graph.post(f"{EVENT_PATH}/accept", status=202)
    result = await call_tool("respondToEvent", {"eventId": EVENT_ID, "response": "accept"})
    assert not result.is_error, text(result)


async def test_it_answers_an_organizer_outside_without_telling_them(
    call_tool, graph, contoso_only
) -> None:
    graph.post(f"{EVENT_PATH}/decline", status=202)
    arguments = {"eventId": EVENT_ID, "response": "decline", "sendResponse": False}
    result = await call_tool("respondToEvent", arguments)
    assert not result.is_error, text(result)


@pytest.mark.parametrize(
    "organizer",
    [{"emailAddress": {"name": "mallory@fabrikam.com"}}, None],
    ids=["only a name", "none"],
)
async def test_it_refuses_an_organizer_without_an_address_under_a_policy(
    call_tool, graph, contoso_only, organizer
) -> None:
    organized_by(graph, organizer)
    result = await call_tool("respondToEvent", {"eventId": EVENT_ID, "response": "accept"})
    assert result.is_error
    assert text(result).startswith("Nothing was sent: one of the people it would go to has no")
    assert [call.request.method for call in graph.calls] == ["GET"]


async def test_it_answers_an_organizer_without_an_address_when_there_is_no_policy(
    call_tool, graph
) -> None:
    organized_by(graph, {"emailAddress": {"name": "Room 101"}})
    graph.post(f"{EVENT_PATH}/accept", status=202)
    result = await call_tool("respondToEvent", {"eventId": EVENT_ID, "response": "accept"})
    assert not result.is_error, text(result)


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
    assert field in text(result)
    assert len(graph.calls) == 0

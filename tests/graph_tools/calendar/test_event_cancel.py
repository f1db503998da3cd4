"""cancelEvent: only with the person's confirmation, only for events they organize, and only
when every attendee, who is mailed the cancellation, passes M365_SEND_ALLOWED_DOMAINS."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.calendar import EVENT_ID, EVENT_PATH, ORGANIZED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contoso_only(settings) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)


def organized(graph, *, by_me: bool = True, attendees: list[Any] | None = None) -> None:
    event = {**ORGANIZED, "isOrganizer": by_me}
    if attendees is not None:
        event["attendees"] = attendees
    graph.get(EVENT_PATH, json=event)


def attendee(address: str) -> dict[str, Any]:
    return {"type": "required", "emailAddress": {"name": address, "address": address}}


async def test_it_asks_for_confirmation_first(call_tool, graph) -> None:
    attendees = [attendee("bob@contoso.com"), attendee("anna@contoso.com")]
    graph.get(EVENT_PATH, json={"subject": "Sync\nnow", "attendees": attendees})
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="not_asked")
    assert result.is_error
    text = result.content[0].text
    assert "This needs the person's confirmation: " in text
    assert (
        "Cancel \u201cSync now\u201d for everyone and send a cancellation to "
        "bob@contoso.com, anna@contoso.com?"
    ) in text
    assert [call.request.method for call in graph.calls] == ["GET"]
    assert "%24select=subject%2Cattendees" in graph.calls[0].request.url


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
        {"$select": "id,subject,isOrganizer,attendees"},
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


async def test_it_refuses_to_mail_a_cancellation_outside_the_allowed_domains(
    call_tool, graph, contoso_only
) -> None:
    organized(graph, attendees=[attendee("bob@contoso.com"), attendee("eve@fabrikam.com")])
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="confirmed")
    assert result.is_error
    assert text(result).startswith(
        "Nothing was sent: this server only sends to contoso.com, and eve@fabrikam.com is "
        "outside it."
    )
    assert [call.request.method for call in graph.calls] == ["GET"]  # read, never cancelled


async def test_it_cancels_when_every_attendee_is_inside(call_tool, graph, contoso_only) -> None:
    organized(graph, attendees=[attendee("bob@contoso.com"), attendee("anna@eu.contoso.com")])
    graph.post(f"{EVENT_PATH}/cancel", status=202)
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="confirmed")
    assert not result.is_error, text(result)


async def test_it_refuses_an_attendee_without_an_address_under_a_policy(
    call_tool, graph, contoso_only
) -> None:
    nameless = {"type": "required", "emailAddress": {"name": "eve@fabrikam.com"}}
    organized(graph, attendees=[attendee("bob@contoso.com"), nameless])
    result = await call_tool("cancelEvent", {"eventId": EVENT_ID}, consent="confirmed")
    assert result.is_error
    assert "has no e-mail address" in text(result)
    assert [call.request.method for call in graph.calls] == ["GET"]

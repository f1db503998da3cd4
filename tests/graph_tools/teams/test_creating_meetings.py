"""createTeamsMeeting: a calendar event with a Teams meeting, attendees from the directory."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from tests.graph_tools.conftest import all_sent
from tests.graph_tools.scenarios import GRAPH, ZONE
from tests.graph_tools.scenarios.teams import BATCH_URL, JOIN_URL, batch_reply, event_reply

pytestmark = pytest.mark.django_db(transaction=True)
EVENTS_URL = f"{GRAPH}/me/events"
NOT_FOUND = {"error": {"code": "Request_ResourceNotFound", "message": "Resource not found."}}
MEETING = {
    "subject": "Falcon sync",
    "startTime": "2025-03-14T15:00:00",
    "endTime": "2025-03-14T15:30:00",
}


def lookup(index: int, address: str) -> dict[str, Any]:
    select = "$select=displayName,mail,userPrincipalName"
    return {"id": str(index), "method": "GET", "url": f"/users/{address}?{select}", "headers": {}}


def transaction_taken(body: dict[str, Any]) -> dict[str, Any]:
    """The event body without its random transactionId (checked to be a UUID)."""
    uuid.UUID(body.pop("transactionId"))
    return body


async def test_it_creates_the_meeting_in_the_mailbox_zone(call_tool, graph, mailbox_zone) -> None:
    bob = {"displayName": "Bob Baker", "mail": "Bob.Baker@contoso.com", "userPrincipalName": "b@x"}
    graph.post(BATCH_URL, json=batch_reply((200, bob), (404, NOT_FOUND)))
    graph.post(EVENTS_URL, status=201, json=event_reply())
    result = await call_tool(
        "createTeamsMeeting",
        {
            **MEETING,
            "attendees": "bob@contoso.com; guest@fabrikam.com, BOB@contoso.com",
            "body": "Agenda: <none>",
        },
    )
    assert not result.is_error, result.content[0].text
    batch, post = all_sent(graph)
    assert batch.body == {
        "requests": [lookup(1, "bob%40contoso.com"), lookup(2, "guest%40fabrikam.com")]
    }
    assert (post.method, post.url) == ("POST", EVENTS_URL)
    assert post.headers["Prefer"] == f'outlook.timezone="{ZONE}"'
    assert transaction_taken(post.body) == {
        "subject": "Falcon sync",
        "start": {"dateTime": "2025-03-14T15:00:00", "timeZone": ZONE},
        "end": {"dateTime": "2025-03-14T15:30:00", "timeZone": ZONE},
        "attendees": [
            {
                "emailAddress": {"name": "Bob Baker", "address": "Bob.Baker@contoso.com"},
                "type": "required",
            },
            {"emailAddress": {"address": "guest@fabrikam.com"}, "type": "required"},
        ],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "body": {"contentType": "text", "content": "Agenda: <none>"},
    }
    assert result.structured_content == {
        "id": "AAMkAGI1AAAt9AHjAAA=",
        "subject": "Falcon sync",
        "start": "2025-03-14T15:00:00",
        "end": "2025-03-14T15:30:00",
        "timeZone": ZONE,
        "joinUrl": JOIN_URL,
        "attendees": [
            {"name": "Bob Baker", "address": "Bob.Baker@contoso.com"},
            {"name": None, "address": "guest@fabrikam.com"},
        ],
    }
    assert result.content[0].text == (
        f'Created Teams meeting "Falcon sync" 2025-03-14T15:00:00 to 2025-03-14T15:30:00 '
        f"({ZONE}), invited: Bob.Baker@contoso.com, guest@fabrikam.com.\nJoin: {JOIN_URL}"
    )


async def test_it_uses_the_zone_it_is_given(call_tool, graph) -> None:
    zone = "Pacific Standard Time"
    reply = event_reply(
        start={"dateTime": "2025-03-14T15:00:00.0000000", "timeZone": zone},
        end={"dateTime": "2025-03-14T15:30:00.0000000", "timeZone": zone},
        onlineMeeting=None,
    )
    graph.post(EVENTS_URL, status=201, json=reply)
    result = await call_tool("createTeamsMeeting", {**MEETING, "timeZone": zone})
    [post] = all_sent(graph)  # no attendees: no directory look-up, and no mailbox zone read
    assert post.headers["Prefer"] == f'outlook.timezone="{zone}"'
    body = transaction_taken(post.body)
    assert (body["start"], body["attendees"]) == (
        {"dateTime": "2025-03-14T15:00:00", "timeZone": zone},
        [],
    )
    assert result.structured_content["timeZone"] == zone
    assert result.structured_content["joinUrl"] is None
    assert result.content[0].text.endswith("invited: nobody.\nJoin: not available yet")


async def test_it_reads_the_mailbox_zone_when_none_is_known(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/mailboxSettings/timeZone", json={"value": "Tokyo Standard Time"})
    graph.post(EVENTS_URL, status=201, json=event_reply())
    await call_tool("createTeamsMeeting", MEETING)
    assert transaction_taken(all_sent(graph)[1].body)["end"] == {
        "dateTime": "2025-03-14T15:30:00",
        "timeZone": "Tokyo Standard Time",
    }


async def test_it_sends_a_time_with_an_offset_as_that_instant(
    call_tool, graph, mailbox_zone
) -> None:
    graph.post(EVENTS_URL, status=201, json=event_reply())
    await call_tool(
        "createTeamsMeeting",
        {**MEETING, "startTime": "2025-03-14T15:00:00+01:00", "endTime": "2025-03-14T15:30:00Z"},
    )
    [post] = all_sent(graph)
    body = transaction_taken(post.body)
    assert (body["start"], body["end"]) == (
        {"dateTime": "2025-03-14T14:00:00", "timeZone": "UTC"},
        {"dateTime": "2025-03-14T15:30:00", "timeZone": "UTC"},
    )
    assert post.headers["Prefer"] == f'outlook.timezone="{ZONE}"'


async def test_it_refuses_attendees_outside_the_allowed_domains_before_any_request(
    call_tool, graph, settings
) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)
    result = await call_tool(
        "createTeamsMeeting", {**MEETING, "attendees": ["bob@contoso.com", "eve@evil.example"]}
    )
    assert result.is_error
    assert "eve@evil.example is outside it" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_refuses_a_directory_address_outside_the_allowed_domains(
    call_tool, graph, settings, mailbox_zone
) -> None:
    m365 = dataclasses.replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = dataclasses.replace(settings.DEPLOYMENT, m365=m365)
    moved = {"displayName": "Bob", "mail": "bob@fabrikam.com", "userPrincipalName": "b@x"}
    graph.post(BATCH_URL, json=batch_reply((200, moved)))
    result = await call_tool("createTeamsMeeting", {**MEETING, "attendees": ["bob@contoso.com"]})
    assert result.is_error
    assert "bob@fabrikam.com is outside it" in result.content[0].text
    assert [r.url for r in all_sent(graph)] == [BATCH_URL]


async def test_it_retries_the_create_safely(call_tool, graph, mailbox_zone, no_sleep) -> None:
    graph.post(EVENTS_URL, status=503, json={"error": {"code": "serviceNotAvailable"}})
    graph.post(EVENTS_URL, status=201, json=event_reply())
    result = await call_tool("createTeamsMeeting", MEETING)
    assert not result.is_error, result.content[0].text
    first, second = all_sent(graph)
    assert first.body == second.body  # the same transactionId: Graph creates one event

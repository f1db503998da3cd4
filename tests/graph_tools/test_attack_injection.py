"""Security review: ids, folder names, search text, time zones and addresses cannot change the
Graph request they are put into (path, query, OData/KQL string, header)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.graph_tools.attack_support import EVENT_ID, MESSAGE_ID, text
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)

BAD_IDS = [
    ".",
    "..",
    "...",
    "a?b=c",
    "a#b",
    "a%2Fb",
    "a b",
    "a\r\nb",
    "a\\b",
    "a&b",
    "x" * 513,
    "",
]
ID_ARGUMENTS = [
    ("getEmail", "messageId", {}),
    ("getEmails", "folder", {}),
    ("listMailFolders", "parentFolder", {}),
    ("getAttachment", "attachmentId", {"messageId": MESSAGE_ID}),
    ("moveEmail", "destinationFolder", {"messageId": MESSAGE_ID}),
    ("getEvent", "eventId", {}),
    ("getContact", "contactId", {}),
    ("listChannels", "teamId", {}),
    ("getChatMessages", "chatId", {}),
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=lambda bad: repr(bad[:12]))
@pytest.mark.parametrize(("tool", "field", "others"), ID_ARGUMENTS, ids=lambda v: str(v)[:20])
async def test_it_rejects_ids_that_could_leave_their_path_segment(
    call_tool, graph, tool, field, others, bad
) -> None:
    result = await call_tool(tool, {**others, field: bad})
    assert result.is_error
    assert text(result).startswith(f"Invalid arguments for {tool}: {field}")
    assert len(graph.calls) == 0


@pytest.mark.parametrize(
    ("message_id", "segment"),
    [
        ("a/../../users/bob@contoso.com", "a%2F..%2F..%2Fusers%2Fbob%40contoso.com"),
        ("https://evil.example/x", "https%3A%2F%2Fevil.example%2Fx"),
        ("..:x", "..%3Ax"),
    ],
)
async def test_an_id_stays_one_encoded_segment_under_the_graph_base(
    call_tool, graph, mailbox_zone, message_id, segment
) -> None:
    graph.get(f"{GRAPH}/me/messages/{segment}", json={"id": message_id})
    result = await call_tool("getEmail", {"messageId": message_id})
    assert not result.is_error, text(result)
    url = urlsplit(str(graph.calls[0].request.url))
    assert (url.scheme, url.hostname, url.path) == (
        "https",
        "graph.microsoft.com",
        f"/v1.0/me/messages/{segment}",
    )


BAD_ZONES = ['UTC"', "UTC\r\nX-Injected: 1", 'UTC"; foo="bar', "Europe/Berlin\n", "Z" * 65, ""]
ZONE_TOOLS = [
    ("getEmails", {}),
    ("getCalendarEvents", {}),
    ("getEvent", {"eventId": EVENT_ID}),
    (
        "createCalendarEvent",
        {"subject": "s", "start": "2026-12-01T10:00:00", "end": "2026-12-01T11:00:00"},
    ),
    (
        "createTeamsMeeting",
        {"subject": "s", "startTime": "2026-12-01T10:00:00", "endTime": "2026-12-01T11:00:00"},
    ),
    ("getChatMessages", {"chatId": "19:abc@thread.v2"}),
]


@pytest.mark.parametrize("zone", BAD_ZONES, ids=repr)
@pytest.mark.parametrize(("tool", "others"), ZONE_TOOLS, ids=lambda v: str(v)[:20])
async def test_a_time_zone_cannot_break_out_of_the_prefer_header(
    call_tool, graph, tool, others, zone
) -> None:
    result = await call_tool(tool, {**others, "timeZone": zone})
    assert text(result).startswith(f"Invalid arguments for {tool}: timeZone")
    assert len(graph.calls) == 0


@pytest.mark.parametrize("stored", ['UTC"\r\nX-Injected: 1', 'Pacific" x="y', 7, None, "Z" * 65])
async def test_a_hostile_mailbox_zone_from_graph_becomes_utc(call_tool, graph, stored) -> None:
    graph.get(f"{GRAPH}/me/mailboxSettings/timeZone", json={"value": stored})
    graph.get(f"{GRAPH}/me/calendarView", json={"value": []})
    result = await call_tool("getCalendarEvents", {})
    assert not result.is_error, text(result)
    assert graph.calls[1].request.headers["Prefer"] == 'outlook.timezone="UTC"'
    assert result.structured_content["timeZone"] == "UTC"


def query(call) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(call.request.url)).query))


async def test_search_text_stays_inside_one_kql_string(call_tool, graph, mailbox_zone) -> None:
    graph.get(f"{GRAPH}/me/messages", json={"value": []})
    q = 'budget" OR from:"ceo\\'
    result = await call_tool("searchEmails", {"query": q})
    assert not result.is_error, text(result)
    assert query(graph.calls[0])["$search"] == '"budget\\" OR from:\\"ceo\\\\"'


async def test_a_contact_search_stays_inside_its_odata_literal(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/contacts", json={"value": []})
    search = "x') or startswith(surname,'"
    result = await call_tool("getContacts", {"search": search})
    assert not result.is_error, text(result)
    literal = "'x'') or startswith(surname,'''"
    assert query(graph.calls[0])["$filter"] == (
        f"startswith(displayName,{literal}) or startswith(surname,{literal})"
    )


async def test_an_address_search_stays_inside_its_odata_literal(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/contacts", json={"value": []})
    result = await call_tool("getContacts", {"search": "o'brien@contoso.com"})
    assert not result.is_error, text(result)
    assert query(graph.calls[0])["$filter"] == (
        "emailAddresses/any(a:a/address eq 'o''brien@contoso.com')"
    )


async def test_a_people_search_is_one_phrase(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/people", json={"value": []})
    result = await call_tool("searchPeople", {"query": 'anna" OR "ceo'})
    assert not result.is_error, text(result)
    assert query(graph.calls[0])["$search"] == '"anna OR ceo"'


@pytest.mark.parametrize(
    "user", ["../me", "bob@contoso.com/../../me", "https://evil.example", "bob@contoso.com?x=1"]
)
async def test_a_profile_lookup_takes_only_an_address_or_an_object_id(
    call_tool, graph, user
) -> None:
    result = await call_tool("getUserProfile", {"user": user})
    assert text(result).startswith("Invalid arguments for getUserProfile: user")
    assert len(graph.calls) == 0


async def test_batch_urls_built_from_addresses_are_encoded(call_tool, graph) -> None:
    graph.post(f"{GRAPH}/$batch", json={"responses": [{"id": "1", "status": 404, "body": {}}]})
    graph.post(
        f"{GRAPH}/me/events",
        status=201,
        json={
            "id": "e1",
            "subject": "s",
            "start": {"dateTime": "2026-12-01T10:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2026-12-01T11:00:00.0000000", "timeZone": "UTC"},
        },
    )
    arguments = {
        "subject": "s",
        "startTime": "2026-12-01T10:00:00",
        "endTime": "2026-12-01T11:00:00",
        "timeZone": "UTC",
        "attendees": "x/../../me@contoso.com",
    }
    result = await call_tool("createTeamsMeeting", arguments)
    assert not result.is_error, text(result)
    (inner,) = json.loads(graph.calls[0].request.body)["requests"]
    assert inner["url"] == (
        "/users/x%2F..%2F..%2Fme%40contoso.com?$select=displayName,mail,userPrincipalName"
    )

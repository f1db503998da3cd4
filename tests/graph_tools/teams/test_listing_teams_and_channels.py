"""listTeams, listChannels and the microsoft://teams resource: exact requests and results."""

from __future__ import annotations

import json

import pytest

from graph_tools.client import GraphClient
from graph_tools.teams.selectors import teams_resource_read
from tests.graph_tools.conftest import all_sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.teams import BATCH_URL, CHANNEL, CHANNELS_URL, TEAM, batch_reply

pytestmark = pytest.mark.django_db(transaction=True)
FALCON = "a9c3f0de-1f5b-4b0e-9d43-7c1b2f3e4d5a"


async def test_it_lists_the_joined_teams_without_query_options(call_tool, graph) -> None:
    graph.get(
        f"{GRAPH}/me/joinedTeams",
        json={
            "value": [
                {"id": TEAM, "displayName": "Contoso Marketing", "description": "Campaigns"},
                {"id": FALCON, "displayName": "Project Falcon", "description": None},
            ]
        },
    )
    result = await call_tool("listTeams", {})
    assert not result.is_error, result.content[0].text
    [request] = all_sent(graph)
    assert (request.method, request.url, request.query) == ("GET", f"{GRAPH}/me/joinedTeams", {})
    assert result.structured_content == {
        "teams": [
            {"id": TEAM, "displayName": "Contoso Marketing", "description": "Campaigns"},
            {"id": FALCON, "displayName": "Project Falcon", "description": None},
        ],
        "nextCursor": None,
    }
    assert result.content[0].text == (
        f"Contoso Marketing (id {TEAM})\nProject Falcon (id {FALCON})"
    )


async def test_it_says_when_there_are_no_teams(call_tool, graph) -> None:
    graph.get(f"{GRAPH}/me/joinedTeams", json={"value": []})
    result = await call_tool("listTeams", {})
    assert result.structured_content == {"teams": [], "nextCursor": None}
    assert result.content[0].text == "No teams."


async def test_it_lists_a_teams_channels_with_select_and_pages(call_tool, graph) -> None:
    link = f"{CHANNELS_URL}?$select=id,displayName,description,membershipType&$skiptoken=X1"
    graph.get(
        CHANNELS_URL,
        json={
            "value": [
                {
                    "id": CHANNEL,
                    "displayName": "General",
                    "description": None,
                    "membershipType": "standard",
                }
            ],
            "@odata.nextLink": link,
        },
    )
    graph.get(
        link,
        json={
            "value": [
                {
                    "id": "19:ab@thread.tacv2",
                    "displayName": "Leads",
                    "description": "Only leads",
                    "membershipType": "private",
                }
            ]
        },
    )
    first = await call_tool("listChannels", {"teamId": TEAM})
    assert first.structured_content["channels"] == [
        {"id": CHANNEL, "displayName": "General", "description": None, "membershipType": "standard"}
    ]
    cursor = first.structured_content["nextCursor"]
    assert first.content[0].text == (
        f"General [standard] (id {CHANNEL})\nMore: call again with nextCursor."
    )
    second = await call_tool("listChannels", {"teamId": TEAM, "cursor": cursor})
    assert second.structured_content == {
        "channels": [
            {
                "id": "19:ab@thread.tacv2",
                "displayName": "Leads",
                "description": "Only leads",
                "membershipType": "private",
            }
        ],
        "nextCursor": None,
    }
    requests = all_sent(graph)
    assert requests[0].query == {"$select": "id,displayName,description,membershipType"}
    assert requests[1].query == {
        "$select": "id,displayName,description,membershipType",
        "$skiptoken": "X1",
    }


async def test_it_refuses_a_cursor_of_another_team_or_person(
    call_tool, graph, bob, mailbox_zone
) -> None:
    link = f"{CHANNELS_URL}?$skiptoken=X1"
    graph.get(CHANNELS_URL, json={"value": [], "@odata.nextLink": link})
    cursor = (await call_tool("listChannels", {"teamId": TEAM})).structured_content["nextCursor"]
    other_team = await call_tool("listChannels", {"teamId": FALCON, "cursor": cursor})
    as_bob = await call_tool("listChannels", {"teamId": TEAM, "cursor": cursor}, person=bob)
    for result in (other_team, as_bob):
        assert result.is_error
        assert "cursor is not valid here" in result.content[0].text
    assert len(graph.calls) == 1


def test_the_resource_lists_each_team_with_its_channels_in_one_batch(alice, graph) -> None:
    graph.get(
        f"{GRAPH}/me/joinedTeams",
        json={
            "value": [
                {"id": TEAM, "displayName": "Contoso Marketing", "description": None},
                {"id": FALCON, "displayName": "Project Falcon", "description": "Falcon"},
            ]
        },
    )
    general = {
        "id": CHANNEL,
        "displayName": "General",
        "description": None,
        "membershipType": "standard",
    }
    graph.post(
        BATCH_URL,
        json=batch_reply(
            (200, {"value": [general]}),
            (403, {"error": {"code": "Forbidden", "message": "Forbidden"}}),
        ),
    )
    graph_client = GraphClient(user=alice, request_ids=[], scope="teams.read")
    read = json.loads(teams_resource_read(graph_client, {}))
    assert read["teams"][0] == {
        "id": TEAM,
        "displayName": "Contoso Marketing",
        "description": None,
        "channels": [general],
    }
    falcon = read["teams"][1]
    assert (falcon["id"], falcon["channels"]) == (FALCON, [])
    assert "approve the teams.read permission" in falcon["error"]
    batch = all_sent(graph)[1]
    select = "$select=id,displayName,description,membershipType"
    assert batch.body == {
        "requests": [
            {"id": "1", "method": "GET", "url": f"/teams/{TEAM}/channels?{select}", "headers": {}},
            {
                "id": "2",
                "method": "GET",
                "url": f"/teams/{FALCON}/channels?{select}",
                "headers": {},
            },
        ]
    }

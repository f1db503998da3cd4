"""searchPeople: the exact relevance search on /me/people and the compact result."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.contacts import PERSON

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE_URL = f"{GRAPH}/me/people"
PEOPLE_FIELDS = (
    "displayName,scoredEmailAddresses,jobTitle,department,officeLocation,userPrincipalName,"
    "personType"
)
ANNA = {
    "displayName": "Anna Lindqvist",
    "emailAddresses": ["anna.lindqvist@contoso.com"],
    "jobTitle": "Financial Controller",
    "department": "Finance",
    "officeLocation": "18/1104",
    "userPrincipalName": "anna.lindqvist@contoso.com",
    "personType": "OrganizationUser",
}
GROUP = {
    "id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
    "displayName": "Finance Team",
    "scoredEmailAddresses": [{"address": "finance@contoso.com", "relevanceScore": 21.0}],
    "jobTitle": None,
    "department": None,
    "officeLocation": None,
    "userPrincipalName": None,
    "personType": {"class": "Group", "subclass": "UnifiedGroup"},
}


async def test_it_searches_people_by_relevance(call_tool, graph) -> None:
    graph.get(PEOPLE_URL, json={"value": [PERSON, GROUP]})
    result = await call_tool("searchPeople", {"query": "Anna from finance", "count": 5})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", PEOPLE_URL)
    # One double-quoted phrase; people search needs no ConsistencyLevel (G-SRCH).
    assert request.query == {
        "$search": '"Anna from finance"',
        "$top": "5",
        "$select": PEOPLE_FIELDS,
    }
    assert "ConsistencyLevel" not in request.headers
    assert result.structured_content == {
        "people": [
            ANNA,
            {
                "displayName": "Finance Team",
                "emailAddresses": ["finance@contoso.com"],
                "jobTitle": None,
                "department": None,
                "officeLocation": None,
                "userPrincipalName": None,
                "personType": "UnifiedGroup",
            },
        ]
    }
    assert result.content[0].text == (
        "2 people, most relevant first.\n"
        "- Anna Lindqvist · anna.lindqvist@contoso.com · Financial Controller, Finance · 18/1104\n"
        "- Finance Team · finance@contoso.com"
    )


async def test_it_keeps_the_phrase_in_one_pair_of_quotes(call_tool, graph) -> None:
    graph.get(PEOPLE_URL, json={"value": []})
    result = await call_tool("searchPeople", {"query": 'Anna "the  controller" L'})
    assert sent(graph).query["$search"] == '"Anna the controller L"'
    assert sent(graph).query["$top"] == "10"
    assert result.content[0].text == "0 people, most relevant first."


async def test_it_reports_a_reply_without_a_list(call_tool, graph) -> None:
    graph.get(PEOPLE_URL, json={"value": {"displayName": "Anna"}})
    result = await call_tool("searchPeople", {"query": "Anna"})
    assert result.is_error
    assert "could not read" in result.content[0].text


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "query"),
        ({"query": " "}, "query"),
        ({"query": "x" * 256}, "query"),
        ({"query": "Anna", "count": 26}, "count"),
        ({"query": "Anna", "cursor": "x"}, "cursor"),
    ],
)
async def test_it_rejects_bad_arguments_before_calling_graph(
    call_tool, graph, arguments, field
) -> None:
    result = await call_tool("searchPeople", arguments)
    assert result.is_error
    assert f"Invalid arguments for searchPeople: {field}" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_needs_the_people_scope(call_tool, graph) -> None:
    result = await call_tool("searchPeople", {"query": "Anna"}, scopes=frozenset({"mail.read"}))
    assert result.is_error
    assert "not granted the people.read permission" in result.content[0].text
    assert len(graph.calls) == 0

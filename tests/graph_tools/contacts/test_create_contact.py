"""createContact: the exact POST body, a short answer, and validation before any request."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.contacts import CONTACT, CONTACT_ID

pytestmark = pytest.mark.django_db(transaction=True)
CONTACTS_URL = f"{GRAPH}/me/contacts"


async def test_it_posts_the_fields_given_as_graph_names_them(call_tool, graph) -> None:
    graph.post(CONTACTS_URL, status=201, json={**CONTACT, "displayName": "Anna Lindqvist"})
    result = await call_tool(
        "createContact",
        {
            "givenName": " Anna ",
            "surname": "Lindqvist",
            "emailAddresses": [
                "anna.lindqvist@contoso.com",
                {"address": "anna.l@outlook.com", "name": "Anna (private)"},
            ],
            "businessPhones": ["+46 8 555 0100"],
            "mobilePhone": "+46 70 555 0101",
            "companyName": "Contoso",
            "jobTitle": "Financial Controller",
            "department": "Finance",
        },
    )
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", CONTACTS_URL, {})
    assert request.headers["Content-Type"] == "application/json"
    # No displayName: Outlook derives it from the names and keeps it current.
    assert request.body == {
        "givenName": "Anna",
        "surname": "Lindqvist",
        "emailAddresses": [
            {"address": "anna.lindqvist@contoso.com"},
            {"address": "anna.l@outlook.com", "name": "Anna (private)"},
        ],
        "businessPhones": ["+46 8 555 0100"],
        "mobilePhone": "+46 70 555 0101",
        "companyName": "Contoso",
        "jobTitle": "Financial Controller",
        "department": "Finance",
    }
    assert result.structured_content == {"id": CONTACT_ID, "displayName": "Anna Lindqvist"}
    assert result.content[0].text == f"Created contact Anna Lindqvist (id: {CONTACT_ID})."


async def test_it_needs_only_one_way_to_name_the_contact(call_tool, graph) -> None:
    graph.post(CONTACTS_URL, status=201, json=CONTACT)
    result = await call_tool("createContact", {"emailAddresses": "frank@fabrikam.com"})
    assert not result.is_error, result.content[0].text
    assert sent(graph).body == {"emailAddresses": [{"address": "frank@fabrikam.com"}]}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({}, "(arguments): Value error, give at least givenName"),
        ({"jobTitle": "CFO"}, "(arguments): Value error, give at least givenName"),
        ({"givenName": "A", "emailAddresses": ["a@x.com"] * 4}, "emailAddresses"),
        ({"givenName": "A", "emailAddresses": ["not an address"]}, "emailAddresses.0.address"),
        ({"givenName": "A", "emailAddresses": [{"address": "a@x.com", "x": 1}]}, "emailAddresses"),
        ({"givenName": "A", "businessPhones": ["1", "2", "3"]}, "businessPhones"),
        ({"givenName": "A", "mobilePhone": "call me"}, "mobilePhone"),
        ({"givenName": "A" * 129}, "givenName"),
        ({"givenName": "A", "displayName": "B"}, "displayName"),
    ],
)
async def test_it_rejects_bad_arguments_before_calling_graph(
    call_tool, graph, arguments, problem
) -> None:
    result = await call_tool("createContact", arguments)
    assert result.is_error
    assert f"Invalid arguments for createContact: {problem}" in result.content[0].text
    assert len(graph.calls) == 0


async def test_it_needs_the_write_scope(call_tool, graph) -> None:
    result = await call_tool(
        "createContact", {"givenName": "Anna"}, scopes=frozenset({"contacts.read"})
    )
    assert result.is_error
    assert "not granted the contacts.write permission" in result.content[0].text
    assert len(graph.calls) == 0

"""updateContact: a PATCH of exactly the fields given, retried safely, validated first."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios.contacts import CONTACT, CONTACT_ID, CONTACT_URL

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_patches_only_the_fields_given(call_tool, graph) -> None:
    graph.patch(CONTACT_URL, json={**CONTACT, "jobTitle": "VP Sales"})
    result = await call_tool(
        "updateContact",
        {
            "contactId": CONTACT_ID,
            "jobTitle": "VP Sales",
            "businessPhones": [],
            "department": "",
            "mobilePhone": "",
        },
    )
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("PATCH", CONTACT_URL, {})
    # An empty list or text clears the field; fields left out are not sent at all.
    assert request.body == {
        "businessPhones": [],
        "mobilePhone": "",
        "jobTitle": "VP Sales",
        "department": "",
    }
    assert result.structured_content == {"id": CONTACT_ID, "displayName": "Daniel O'Connor"}
    assert result.content[0].text == f"Updated contact Daniel O'Connor (id: {CONTACT_ID})."


async def test_it_replaces_the_addresses(call_tool, graph) -> None:
    graph.patch(CONTACT_URL, json=CONTACT)
    await call_tool(
        "updateContact",
        {"contactId": CONTACT_ID, "emailAddresses": "daniel@litwareinc.com", "surname": "Connor"},
    )
    assert sent(graph).body == {
        "surname": "Connor",
        "emailAddresses": [{"address": "daniel@litwareinc.com"}],
    }


async def test_it_sends_the_patch_again_after_a_503(call_tool, graph, no_sleep) -> None:
    unavailable = {"error": {"code": "serviceNotAvailable", "message": "Unavailable."}}
    graph.patch(CONTACT_URL, status=503, json=unavailable)
    graph.patch(CONTACT_URL, json=CONTACT)
    result = await call_tool("updateContact", {"contactId": CONTACT_ID, "jobTitle": "CFO"})
    assert not result.is_error
    assert [call.request.method for call in graph.calls] == ["PATCH", "PATCH"]
    assert sent(graph, 0).body == sent(graph, 1).body == {"jobTitle": "CFO"}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"contactId": CONTACT_ID}, "(arguments): Value error, give at least one field"),
        ({"contactId": CONTACT_ID, "jobTitle": None}, "(arguments): Value error, give at least"),
        ({"jobTitle": "CFO"}, "contactId"),
        ({"contactId": "id with spaces", "jobTitle": "CFO"}, "contactId"),
        ({"contactId": CONTACT_ID, "mobilePhone": "+1 <script>"}, "mobilePhone"),
    ],
)
async def test_it_rejects_bad_arguments_before_calling_graph(
    call_tool, graph, arguments, problem
) -> None:
    result = await call_tool("updateContact", arguments)
    assert result.is_error
    assert f"Invalid arguments for updateContact: {problem}" in result.content[0].text
    assert len(graph.calls) == 0

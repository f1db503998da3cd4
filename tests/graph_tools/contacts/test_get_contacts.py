"""getContacts: the exact list request, name and address searches, paging with cursors."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.contacts import CONTACT, CONTACT_ID

pytestmark = pytest.mark.django_db(transaction=True)
SUMMARY_FIELDS = "id,displayName,emailAddresses,mobilePhone,businessPhones,companyName,jobTitle"
SUMMARY = {
    "id": CONTACT_ID,
    "displayName": "Daniel O'Connor",
    "emailAddresses": ["daniel.oconnor@litwareinc.com", "d.oc@outlook.com"],
    "mobilePhone": "+353 87 555 0134",
    "businessPhones": ["+353 1 555 0100"],
    "companyName": "Litware, Inc.",
    "jobTitle": "Sales Director",
}
LINE = (
    "- Daniel O'Connor · daniel.oconnor@litwareinc.com · Litware, Inc. · +353 87 555 0134 "
    f"(id: {CONTACT_ID})"
)
CONTACTS_URL = f"{GRAPH}/me/contacts"


async def test_it_lists_contacts_sorted_by_name(call_tool, graph) -> None:
    graph.get(CONTACTS_URL, json={"value": [CONTACT]})
    result = await call_tool("getContacts", {"count": 5})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", CONTACTS_URL)
    assert request.query == {"$select": SUMMARY_FIELDS, "$top": "5", "$orderby": "displayName"}
    assert "ConsistencyLevel" not in request.headers
    assert result.structured_content == {"contacts": [SUMMARY], "nextCursor": None}
    assert result.content[0].text == f"1 contact.\n{LINE}"


async def test_it_counts_ten_by_default(call_tool, graph) -> None:
    graph.get(CONTACTS_URL, json={"value": []})
    result = await call_tool("getContacts")
    assert sent(graph).query["$top"] == "10"
    assert result.structured_content == {"contacts": [], "nextCursor": None}
    assert result.content[0].text == "0 contacts."


async def test_it_searches_names_with_quotes_doubled(call_tool, graph) -> None:
    graph.get(CONTACTS_URL, json={"value": [CONTACT]})
    result = await call_tool("getContacts", {"search": " O'Connor ", "count": 3})
    assert not result.is_error
    assert sent(graph).query == {
        "$select": SUMMARY_FIELDS,
        "$top": "3",
        "$filter": "startswith(displayName,'O''Connor') or startswith(surname,'O''Connor')",
        "$orderby": "displayName",
    }


async def test_it_searches_an_address_exactly_and_unsorted(call_tool, graph) -> None:
    graph.get(CONTACTS_URL, json={"value": [CONTACT]})
    result = await call_tool("getContacts", {"search": "d.o'connor@litwareinc.com"})
    assert result.structured_content == {"contacts": [SUMMARY], "nextCursor": None}
    # Exchange refuses $orderby on a property the filter does not lead with.
    assert sent(graph).query == {
        "$select": SUMMARY_FIELDS,
        "$top": "10",
        "$filter": "emailAddresses/any(a:a/address eq 'd.o''connor@litwareinc.com')",
    }


async def test_it_pages_with_the_cursor_graph_gave(call_tool, graph) -> None:
    link = f"{CONTACTS_URL}?$select={SUMMARY_FIELDS}&$top=1&$orderby=displayName&$skip=1"
    graph.get(CONTACTS_URL, json={"value": [CONTACT], "@odata.nextLink": link})
    first = await call_tool("getContacts", {"count": 1})
    cursor = first.structured_content["nextCursor"]
    assert isinstance(cursor, str)
    assert "graph.microsoft.com" not in cursor  # opaque: signed, not the link itself
    assert first.content[0].text == f"1 contact.\n{LINE}\nMore: call again with cursor=nextCursor."
    graph.get(CONTACTS_URL, json={"value": []})
    second = await call_tool("getContacts", {"count": 1, "cursor": cursor})
    assert sent(graph).query == {
        "$select": SUMMARY_FIELDS,
        "$top": "1",
        "$orderby": "displayName",
        "$skip": "1",
    }
    assert second.structured_content == {"contacts": [], "nextCursor": None}


async def test_it_refuses_a_cursor_of_another_search_or_person(call_tool, graph, bob) -> None:
    link = f"{CONTACTS_URL}?$top=1&$skip=1"
    graph.get(CONTACTS_URL, json={"value": [CONTACT], "@odata.nextLink": link})
    cursor = (await call_tool("getContacts", {"count": 1})).structured_content["nextCursor"]
    other_search = await call_tool("getContacts", {"search": "Anna", "cursor": cursor})
    other_person = await call_tool("getContacts", {"cursor": cursor}, person=bob)
    for result in (other_search, other_person):
        assert result.is_error
        assert "cursor is not valid here" in result.content[0].text
    assert len(graph.calls) == 1


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"count": 51}, "count"),
        ({"count": 0}, "count"),
        ({"search": "x" * 101}, "search"),
        ({"search": "   "}, "search"),
        ({"search": "Anna\nBerg"}, "search"),
        ({"query": "Anna"}, "query"),
    ],
)
async def test_it_rejects_bad_arguments_before_calling_graph(
    call_tool, graph, arguments, field
) -> None:
    result = await call_tool("getContacts", arguments)
    assert result.is_error
    assert f"Invalid arguments for getContacts: {field}" in result.content[0].text
    assert len(graph.calls) == 0

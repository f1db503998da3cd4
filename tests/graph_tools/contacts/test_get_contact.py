"""getContact: the exact request, the full contact, personal notes trimmed and read on."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios.contacts import CONTACT, CONTACT_ID, CONTACT_URL

pytestmark = pytest.mark.django_db(transaction=True)
CONTACT_FIELDS = (
    "id,displayName,emailAddresses,mobilePhone,businessPhones,companyName,jobTitle,givenName,"
    "surname,department,homePhones,homeAddress,businessAddress,otherAddress,birthday,"
    "personalNotes"
)
FULL = {
    "id": CONTACT_ID,
    "displayName": "Daniel O'Connor",
    "emailAddresses": ["daniel.oconnor@litwareinc.com", "d.oc@outlook.com"],
    "mobilePhone": "+353 87 555 0134",
    "businessPhones": ["+353 1 555 0100"],
    "companyName": "Litware, Inc.",
    "jobTitle": "Sales Director",
    "givenName": "Daniel",
    "surname": "O'Connor",
    "department": None,
    "homePhones": [],
    "addresses": {"business": "1 Grand Canal Quay, D02 XY12 Dublin, Ireland"},
    "birthday": "1979-05-16",
    "personalNotes": "Met at Web Summit.",
}


async def test_it_gets_the_whole_contact(call_tool, graph) -> None:
    graph.get(CONTACT_URL, json=CONTACT)
    result = await call_tool("getContact", {"contactId": CONTACT_ID})
    request = sent(graph)
    # The id's "/", "+" and "=" are encoded: it is one path segment.
    assert (request.method, request.url) == ("GET", CONTACT_URL)
    assert "AAMkAGI2Id8yg7p%2FzTUHW%2BcIf34%3DAAA%3D" in graph.calls[0].request.url
    assert request.query == {"$select": CONTACT_FIELDS}
    assert result.structured_content == FULL
    assert result.content[0].text == (
        f"Daniel O'Connor (id: {CONTACT_ID})\n"
        "Sales Director · Litware, Inc.\n"
        "daniel.oconnor@litwareinc.com, d.oc@outlook.com · +353 87 555 0134, +353 1 555 0100"
    )


async def test_it_shows_every_address_on_one_line(call_tool, graph) -> None:
    home = {"street": "Thereses gate 12\r\nLeilighet 3", "city": "Oslo", "postalCode": "0168"}
    other = {"city": "Bergen", "countryOrRegion": "Norway", "state": None}
    graph.get(CONTACT_URL, json={**CONTACT, "homeAddress": home, "otherAddress": other})
    result = await call_tool("getContact", {"contactId": CONTACT_ID})
    assert result.structured_content["addresses"] == {
        "home": "Thereses gate 12, Leilighet 3, 0168 Oslo",
        "business": "1 Grand Canal Quay, D02 XY12 Dublin, Ireland",
        "other": "Bergen, Norway",
    }


async def test_it_trims_long_notes_and_reads_on_from_an_offset(call_tool, graph) -> None:
    notes = "a" * 2000 + "b" * 500
    graph.get(CONTACT_URL, json={**CONTACT, "personalNotes": notes})
    graph.get(CONTACT_URL, json={**CONTACT, "personalNotes": notes})
    first = await call_tool("getContact", {"contactId": CONTACT_ID})
    assert first.structured_content["personalNotes"] == (
        "a" * 2000 + "\n[… trimmed: 500 more characters]"
    )
    assert first.content[0].text.endswith(
        "\nNotes trimmed at 2000 characters: read on with notesOffset."
    )
    rest = await call_tool("getContact", {"contactId": CONTACT_ID, "notesOffset": 2000})
    assert rest.structured_content["personalNotes"] == "b" * 500
    assert "trimmed" not in rest.content[0].text


async def test_it_says_what_to_do_when_the_contact_is_gone(call_tool, graph) -> None:
    error = {"code": "ErrorItemNotFound", "message": "The specified object was not found."}
    graph.get(CONTACT_URL, status=404, json={"error": error})
    result = await call_tool("getContact", {"contactId": CONTACT_ID})
    assert result.is_error
    assert "could not find that item" in result.content[0].text


async def test_it_refuses_a_reply_without_an_id(call_tool, graph) -> None:
    graph.get(CONTACT_URL, json={"displayName": "Nobody"})
    result = await call_tool("getContact", {"contactId": CONTACT_ID})
    assert result.is_error
    assert "could not read" in result.content[0].text


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "contactId"),
        ({"contactId": ""}, "contactId"),
        ({"contactId": "../me/messages?x"}, "contactId"),
        ({"contactId": "A" * 513}, "contactId"),
        ({"contactId": CONTACT_ID, "notesOffset": -1}, "notesOffset"),
    ],
)
async def test_it_rejects_bad_arguments_before_calling_graph(
    call_tool, graph, arguments, field
) -> None:
    result = await call_tool("getContact", arguments)
    assert result.is_error
    assert f"Invalid arguments for getContact: {field}" in result.content[0].text
    assert len(graph.calls) == 0

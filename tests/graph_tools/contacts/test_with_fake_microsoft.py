"""The contacts and people tools against the local fake of Microsoft (tests/fakes), in-process:
real HTTP, real wire shapes, each person's own data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.graph_tools.conftest import ConnectToFake

pytestmark = pytest.mark.django_db(transaction=True)
PERMISSIONS = ["User.Read", "Contacts.ReadWrite", "People.Read", "User.ReadBasic.All"]


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    return connect_to_fake("alice", PERMISSIONS)


@pytest.fixture
def bob(connect_to_fake: ConnectToFake) -> User:
    return connect_to_fake("bob", PERMISSIONS)


async def test_it_creates_a_contact_and_finds_it(call_tool, microsoft_settings) -> None:
    created = await call_tool(
        "createContact",
        {
            "givenName": "Siobhán",
            "surname": "O'Neill",
            "emailAddresses": ["siobhan.oneill@litwareinc.com"],
            "companyName": "Litware, Inc.",
            "mobilePhone": "+353 86 555 0199",
        },
    )
    assert not created.is_error, created.content[0].text
    contact_id = created.structured_content["id"]
    assert created.structured_content["displayName"] == "Siobhán O'Neill"
    stored = microsoft_settings.graph_data("alice")["contacts"][-1]
    assert (stored["id"], stored["emailAddresses"]) == (
        contact_id,
        [{"name": "siobhan.oneill@litwareinc.com", "address": "siobhan.oneill@litwareinc.com"}],
    )
    by_name = await call_tool("getContacts", {"search": "o'neill"})
    by_address = await call_tool("getContacts", {"search": "Siobhan.ONeill@litwareinc.com"})
    for found in (by_name, by_address):
        assert [c["id"] for c in found.structured_content["contacts"]] == [contact_id]
    updated = await call_tool("updateContact", {"contactId": contact_id, "jobTitle": "CFO"})
    assert not updated.is_error, updated.content[0].text
    full = await call_tool("getContact", {"contactId": contact_id})
    assert full.structured_content["jobTitle"] == "CFO"
    assert full.structured_content["mobilePhone"] == "+353 86 555 0199"


async def test_it_walks_every_contact_once_with_cursors(call_tool, microsoft_settings) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = await call_tool("getContacts", {"count": 4, "cursor": cursor})
        assert not page.is_error, page.content[0].text
        seen += [contact["displayName"] for contact in page.structured_content["contacts"]]
        cursor = page.structured_content["nextCursor"]
        if cursor is None:
            break
    stored = microsoft_settings.graph_data("alice")["contacts"]
    assert len(stored) >= 15
    assert seen == sorted((c["displayName"] for c in stored), key=str.lower)


async def test_it_does_not_find_bobs_contact_for_alice(call_tool, bob, microsoft_settings) -> None:
    bobs = microsoft_settings.graph_data("bob")["contacts"][0]
    as_bob = await call_tool("getContact", {"contactId": bobs["id"]}, person=bob)
    assert as_bob.structured_content["displayName"] == bobs["displayName"]
    as_alice = await call_tool("getContact", {"contactId": bobs["id"]})
    assert as_alice.is_error
    assert "could not find that item" in as_alice.content[0].text
    changed = await call_tool("updateContact", {"contactId": bobs["id"], "jobTitle": "Hacked"})
    assert changed.is_error
    assert microsoft_settings.graph_data("bob")["contacts"][0]["jobTitle"] == bobs["jobTitle"]
    searched = await call_tool("getContacts", {"search": bobs["givenName"]})
    assert searched.structured_content["contacts"] == []


async def test_it_finds_anna_from_finance(call_tool) -> None:
    result = await call_tool("searchPeople", {"query": "Anna from finance", "count": 3})
    people = result.structured_content["people"]
    assert [(p["displayName"], p["department"]) for p in people] == [
        ("Anna Lindqvist", "Finance"),
        ("Finance Team", None),
        ("Anna Berg", "Engineering"),
    ]


async def test_it_reads_my_profile_and_manager(call_tool, microsoft_settings) -> None:
    result = await call_tool("getUserProfile")
    alice = microsoft_settings.alice
    assert result.structured_content["id"] == alice.oid
    assert result.structured_content["userPrincipalName"] == alice.username
    assert result.structured_content["manager"]["displayName"] == "Dana Whitfield"
    assert result.structured_content["note"] is None


async def test_it_reads_a_colleague_but_not_their_manager(call_tool, microsoft_settings) -> None:
    """User.ReadBasic.All shows a colleague's basic profile; their manager needs more."""
    result = await call_tool("getUserProfile", {"user": microsoft_settings.bob.username})
    assert not result.is_error, result.content[0].text
    assert result.structured_content["displayName"] == "Bob Baker"
    assert result.structured_content["jobTitle"] is None
    assert result.structured_content["manager"] is None
    assert "User.Read.All" in result.structured_content["note"]


async def test_it_finds_nobody_outside_the_tenant(call_tool, microsoft_settings) -> None:
    result = await call_tool("getUserProfile", {"user": microsoft_settings.outsider.username})
    assert result.is_error
    assert "found nobody with that address" in result.content[0].text

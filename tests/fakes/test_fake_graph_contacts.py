"""The fake's contacts, people and directory endpoints behave like Graph's (wire shapes §2A)."""

from __future__ import annotations

from urllib.parse import quote

import httpx2

from tests.fakes.flows import access_token, graph_call, graph_error
from tests.fakes.graph_contacts_people import ANNA, DANA

CONTACTS = ["Contacts.ReadWrite"]
PEOPLE = ["People.Read", "User.ReadBasic.All"]


def test_it_pages_each_persons_own_contacts(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", ["Contacts.Read"])
    first = graph_call(
        fake, alice, "GET", "/me/contacts", **{"$top": "5", "$select": "displayName"}
    )
    body = first.json()
    assert first.status_code == 200
    assert set(body["value"][0]) == {"@odata.etag", "id", "displayName"}
    assert body["@odata.context"].endswith(f"users('{fake.alice.oid}')/contacts(displayName)")
    names = [c["displayName"] for c in body["value"]]
    link = body["@odata.nextLink"]
    while link:
        page = httpx2.get(link, headers={"Authorization": f"Bearer {alice}"}).json()
        names += [c["displayName"] for c in page["value"]]
        link = page.get("@odata.nextLink")
    assert len(names) == len(set(names)) == len(fake.graph_data("alice")["contacts"]) >= 15
    bob = access_token(fake, "bob", ["Contacts.Read"])
    bobs = [c["displayName"] for c in graph_call(fake, bob, "GET", "/me/contacts").json()["value"]]
    assert bobs
    assert not set(bobs) & set(names)


def test_it_filters_by_name_start_and_by_address(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", ["Contacts.Read"])
    by_name = graph_call(
        fake,
        alice,
        "GET",
        "/me/contacts",
        **{"$filter": "startswith(displayName,'zz') or startswith(surname,'o''connor')"},
    )
    assert [c["displayName"] for c in by_name.json()["value"]] == ["Daniel O'Connor"]
    address = "emailAddresses/any(a:a/address eq 'LAURA.jensen@fabrikam.com')"
    by_address = graph_call(fake, alice, "GET", "/me/contacts", **{"$filter": address})
    assert [c["displayName"] for c in by_address.json()["value"]] == ["Laura Jensen"]
    sorted_too = graph_call(
        fake, alice, "GET", "/me/contacts", **{"$filter": address, "$orderby": "displayName"}
    )
    assert graph_error(sorted_too) == (400, "InefficientFilter")
    unknown = graph_call(
        fake, alice, "GET", "/me/contacts", **{"$filter": "contains(displayName,'a')"}
    )
    assert graph_error(unknown) == (400, "ErrorInvalidUrlQueryFilter")


def test_it_creates_gets_and_patches_a_contact(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", CONTACTS)
    created = graph_call(
        fake,
        alice,
        "POST",
        "/me/contacts",
        {"givenName": "Ada", "surname": "Lovelace", "emailAddresses": [{"address": "ada@x.org"}]},
    )
    assert created.status_code == 201
    contact = created.json()
    assert (contact["displayName"], contact["emailAddresses"][0]["name"]) == (
        "Ada Lovelace",
        "ada@x.org",
    )
    assert fake.graph_data("alice")["contacts"][-1]["id"] == contact["id"]
    path = f"/me/contacts/{quote(contact['id'], safe='')}"
    patched = graph_call(fake, alice, "PATCH", path, {"surname": "King", "jobTitle": "Analyst"})
    assert patched.status_code == 200
    assert (patched.json()["displayName"], patched.json()["jobTitle"]) == ("Ada King", "Analyst")
    assert patched.json()["changeKey"] != contact["changeKey"]
    got = graph_call(fake, alice, "GET", path, **{"$select": "displayName"})
    assert got.json()["displayName"] == "Ada King"
    wrong = graph_call(fake, alice, "POST", "/me/contacts", {"givenName": "X", "email": "x@y.z"})
    assert graph_error(wrong) == (400, "RequestBodyRead")


def test_it_hides_one_persons_contacts_from_another(fake_microsoft) -> None:
    fake = fake_microsoft
    bobs = quote(fake.graph_data("bob")["contacts"][0]["id"], safe="")
    alice = access_token(fake, "alice", CONTACTS)
    missing = graph_call(fake, alice, "GET", f"/me/contacts/{bobs}")
    assert graph_error(missing) == (404, "ErrorItemNotFound")
    assert "innerError" not in missing.json()["error"]  # as Exchange often sends it (§3.1)
    assert graph_error(graph_call(fake, alice, "GET", "/me/contacts/not-an-id")) == (
        400,
        "ErrorInvalidIdMalformed",
    )
    reader = access_token(fake, "outsider", ["Contacts.Read"])
    refused = graph_call(fake, reader, "POST", "/me/contacts", {"givenName": "X"})
    assert graph_error(refused) == (403, "ErrorAccessDenied")


def test_it_ranks_people_by_relevance(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", PEOPLE)
    found = graph_call(
        fake, alice, "GET", "/me/people", **{"$search": '"anna from finance"', "$top": "2"}
    )
    body = found.json()
    assert [p["displayName"] for p in body["value"]] == ["Anna Lindqvist", "Finance Team"]
    assert body["value"][0]["personType"] == {"class": "Person", "subclass": "OrganizationUser"}
    rest = httpx2.get(body["@odata.nextLink"], headers={"Authorization": f"Bearer {alice}"})
    assert [p["displayName"] for p in rest.json()["value"]] == ["Anna Berg"]
    bob = access_token(fake, "bob", PEOPLE)
    bobs = graph_call(fake, bob, "GET", "/me/people", **{"$select": "displayName"}).json()["value"]
    assert bobs[0] == {"id": bobs[0]["id"], "displayName": "Erik Sandoval"}


def test_it_shows_colleagues_as_the_permission_allows(fake_microsoft) -> None:
    fake = fake_microsoft
    basic = access_token(fake, "alice", ["User.ReadBasic.All"])
    anna = graph_call(
        fake, basic, "GET", f"/users/{ANNA['userPrincipalName']}", **{"$select": "id,jobTitle"}
    )
    assert anna.json()["jobTitle"] is None
    manager = graph_call(fake, basic, "GET", f"/users/{ANNA['id']}/manager")
    assert graph_error(manager) == (403, "Authorization_RequestDenied")
    assert graph_call(fake, basic, "GET", "/me/manager").json()["displayName"] == "Dana Whitfield"
    full = access_token(fake, "alice", ["User.Read.All"])
    anna = graph_call(
        fake, full, "GET", f"/users/{ANNA['id']}", **{"$select": "jobTitle,department"}
    )
    assert (anna.json()["jobTitle"], anna.json()["department"]) == (
        "Financial Controller",
        "Finance",
    )
    boss = graph_call(
        fake, full, "GET", f"/users/{ANNA['id']}/manager", **{"$select": "displayName"}
    )
    assert boss.json()["displayName"] == "Grace Okafor"
    nobody_above = graph_call(fake, full, "GET", f"/users/{DANA['id']}/manager")
    assert graph_error(nobody_above) == (404, "Request_ResourceNotFound")
    other_tenant = graph_call(fake, full, "GET", f"/users/{fake.outsider.username}")
    assert graph_error(other_tenant) == (404, "Request_ResourceNotFound")


def test_it_answers_profile_and_manager_in_one_batch(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", PEOPLE)
    upn = fake.bob.username.replace("@", "%40")
    batch = graph_call(
        fake,
        alice,
        "POST",
        "/$batch",
        {
            "requests": [
                {"id": "1", "method": "GET", "url": f"/users/{upn}?$select=id,mail"},
                {"id": "2", "method": "GET", "url": f"/users/{upn}/manager?$select=displayName"},
                {"id": "3", "method": "GET", "url": "/me/manager?$select=displayName"},
            ]
        },
    )
    replies = {reply["id"]: reply for reply in batch.json()["responses"]}
    assert replies["1"]["status"] == 200
    assert replies["1"]["body"]["mail"] == fake.bob.mail
    assert replies["2"]["status"] == 403
    assert replies["3"]["body"]["displayName"] == "Dana Whitfield"

"""Scenarios of the contacts and people tools (see __init__.py), and the Graph replies they
share with the per-tool tests in tests/graph_tools/contacts."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import responses

from tests.graph_tools.scenarios import GRAPH, Scenario

# An Outlook id with every character that must be encoded in a path (wire shapes §2, IDs).
CONTACT_ID = "AAMkAGI2Id8yg7p/zTUHW+cIf34=AAA="
CONTACT_URL = f"{GRAPH}/me/contacts/{quote(CONTACT_ID, safe='')}"
ANNA_ID = "9f3c2a1e-4b5d-4e6f-8a7b-1c2d3e4f5a6b"

CONTACT: dict[str, Any] = {
    "@odata.etag": 'W/"EQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAYc8Bf"',
    "id": CONTACT_ID,
    "createdDateTime": "2025-03-04T09:12:00Z",
    "displayName": "Daniel O'Connor",
    "givenName": "Daniel",
    "surname": "O'Connor",
    "emailAddresses": [
        {"name": "Daniel O'Connor", "address": "daniel.oconnor@litwareinc.com"},
        {"name": "d.oc@outlook.com", "address": "d.oc@outlook.com"},
    ],
    "mobilePhone": "+353 87 555 0134",
    "businessPhones": ["+353 1 555 0100"],
    "homePhones": [],
    "companyName": "Litware, Inc.",
    "jobTitle": "Sales Director",
    "department": None,
    "homeAddress": {},
    "businessAddress": {
        "street": "1 Grand Canal Quay",
        "city": "Dublin",
        "state": "",
        "countryOrRegion": "Ireland",
        "postalCode": "D02 XY12",
    },
    "otherAddress": {},
    "birthday": "1979-05-16T11:59:00Z",
    "personalNotes": "Met at Web Summit.",
}
PERSON: dict[str, Any] = {
    "id": ANNA_ID,
    "displayName": "Anna Lindqvist",
    "scoredEmailAddresses": [
        {
            "address": "anna.lindqvist@contoso.com",
            "relevanceScore": 27.5,
            "selectionLikelihood": "notSpecified",
        }
    ],
    "jobTitle": "Financial Controller",
    "department": "Finance",
    "officeLocation": "18/1104",
    "userPrincipalName": "anna.lindqvist@contoso.com",
    "personType": {"class": "Person", "subclass": "OrganizationUser"},
}
ME: dict[str, Any] = {
    "@odata.context": f"{GRAPH}/$metadata#users(id,displayName)/$entity",
    "id": "335d0471-d65d-4500-aa54-a5999aa9d5c6",
    "displayName": "Alice Archer",
    "mail": "alice@contoso.com",
    "userPrincipalName": "alice@contoso.com",
    "jobTitle": "Product Manager",
    "department": "Product",
    "officeLocation": "18/2111",
    "businessPhones": ["+1 425 555 0100"],
    "mobilePhone": None,
}
MANAGER: dict[str, Any] = {
    "@odata.type": "#microsoft.graph.user",
    "id": "c4d5e6f7-1a2b-4c3d-9e8f-0a1b2c3d4e5f",
    "displayName": "Dana Whitfield",
    "mail": "dana.whitfield@contoso.com",
    "jobTitle": "VP Product",
}


def batch_reply(profile: Any, manager: Any, *, manager_status: int = 200) -> dict[str, Any]:
    """A $batch answer for getUserProfile, the manager first (Graph may reorder)."""
    return {
        "responses": [
            {"id": "2", "status": manager_status, "headers": {}, "body": manager},
            {"id": "1", "status": 200, "headers": {}, "body": profile},
        ]
    }


def _contacts(mock: responses.RequestsMock) -> None:
    mock.get(f"{GRAPH}/me/contacts", json={"value": [CONTACT]})


def _contact(mock: responses.RequestsMock) -> None:
    mock.get(CONTACT_URL, json=CONTACT)


def _created(mock: responses.RequestsMock) -> None:
    mock.post(f"{GRAPH}/me/contacts", status=201, json=CONTACT)


def _updated(mock: responses.RequestsMock) -> None:
    mock.patch(CONTACT_URL, json=CONTACT)


def _people(mock: responses.RequestsMock) -> None:
    mock.get(f"{GRAPH}/me/people", json={"value": [PERSON]})


def _profile(mock: responses.RequestsMock) -> None:
    mock.post(f"{GRAPH}/$batch", json=batch_reply(ME, MANAGER))


SCENARIOS: list[Scenario] = [
    Scenario("getContacts", {"search": "Dan"}, ("GET", f"{GRAPH}/me/contacts"), _contacts),
    Scenario("getContact", {"contactId": CONTACT_ID}, ("GET", CONTACT_URL), _contact),
    Scenario(
        "createContact",
        {"givenName": "Daniel", "surname": "O'Connor"},
        ("POST", f"{GRAPH}/me/contacts"),
        _created,
    ),
    Scenario(
        "updateContact",
        {"contactId": CONTACT_ID, "jobTitle": "Sales Director"},
        ("PATCH", CONTACT_URL),
        _updated,
        extra={"idempotent_post": True},  # the PATCH is sent as idempotent: retried on 503
    ),
    Scenario("searchPeople", {"query": "Anna"}, ("GET", f"{GRAPH}/me/people"), _people),
    Scenario(
        "getUserProfile",
        {},
        ("POST", f"{GRAPH}/$batch"),
        _profile,
        extra={"idempotent_post": True},  # batch_get's $batch holds only reads
    ),
]

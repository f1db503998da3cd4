"""The test cast: two tenants, three people and one registered app.

alice and bob share the Contoso tenant; the outsider belongs to Fabrikam. All names, GUIDs and
addresses are fictional and fixed, so a test can name them in assertions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tenant:
    id: str  # the tenant GUID, `tid` in tokens
    domain: str  # its verified domain, also usable as the `{tenant}` path segment


@dataclass(frozen=True)
class Person:
    key: str  # the short name tests use: "alice", "bob", "outsider"
    tenant: Tenant
    oid: str  # object ID: `oid` in tokens, `id` in Graph /me
    username: str  # the UPN: `preferred_username`, `userPrincipalName`
    given_name: str
    surname: str
    mail: str | None  # None models an unlicensed user (Graph returns "mail": null)
    job_title: str
    office_location: str

    @property
    def tid(self) -> str:
        return self.tenant.id

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.surname}"

    def graph_user(self) -> dict[str, Any]:
        """Every /me property the fake knows; GET /me returns the default set unless $select."""
        return {
            "businessPhones": ["+1 425 555 0100"],
            "displayName": self.display_name,
            "givenName": self.given_name,
            "id": self.oid,
            "jobTitle": self.job_title,
            "mail": self.mail,
            "mobilePhone": None,
            "officeLocation": self.office_location,
            "preferredLanguage": "en-US",
            "surname": self.surname,
            "userPrincipalName": self.username,
            "accountEnabled": True,
            "companyName": None,
            "department": None,
            "mailNickname": self.username.split("@")[0],
            "usageLocation": "US",
            "userType": "Member",
        }


@dataclass(frozen=True)
class App:
    """The app registration the server under test signs in with (a confidential web client)."""

    client_id: str
    client_secret: str
    display_name: str


CONTOSO = Tenant(id="459b71fd-ba14-4547-bd21-2e980dd7f02d", domain="contoso.onmicrosoft.com")
FABRIKAM = Tenant(id="fae29795-9da8-4eb9-830f-809ef8f125dd", domain="fabrikam.onmicrosoft.com")
TENANTS = (CONTOSO, FABRIKAM)

ALICE = Person(
    key="alice",
    tenant=CONTOSO,
    oid="335d0471-d65d-4500-aa54-a5999aa9d5c6",
    username="alice@contoso.onmicrosoft.com",
    given_name="Alice",
    surname="Archer",
    mail="alice@contoso.onmicrosoft.com",
    job_title="Product Manager",
    office_location="18/2111",
)
BOB = Person(
    key="bob",
    tenant=CONTOSO,
    oid="b20db37d-f902-458f-a3fb-4fcf5ad97a52",
    username="bob@contoso.onmicrosoft.com",
    given_name="Bob",
    surname="Baker",
    mail="bob@contoso.onmicrosoft.com",
    job_title="Engineer",
    office_location="18/2203",
)
OUTSIDER = Person(
    key="outsider",
    tenant=FABRIKAM,
    oid="b163a0c4-6cf2-4c7c-9dfe-6fc75569933e",
    username="olivia@fabrikam.onmicrosoft.com",
    given_name="Olivia",
    surname="Outsider",
    mail="olivia@fabrikam.onmicrosoft.com",
    job_title="Consultant",
    office_location="2/101",
)
CAST: dict[str, Person] = {person.key: person for person in (ALICE, BOB, OUTSIDER)}

# The default registration; the secret is replaced by a random one per fake unless pinned.
APP_CLIENT_ID = "11f2ecb9-e20d-4322-95d1-8dcce8426182"
APP_DISPLAY_NAME = "Microsoft 365 MCP server (test)"


def person_named(ref: Person | str) -> Person:
    """Accept a Person or its key, so tests can write ``fake.sign_in_as("alice")``."""
    if isinstance(ref, Person):
        return ref
    try:
        return CAST[ref]
    except KeyError:
        raise ValueError(f"no such person in the cast: {ref!r} (try {', '.join(CAST)})") from None


def tenant_named(segment: str) -> Tenant | None:
    """The cast tenant a `{tenant}` path segment names (GUID or domain), if any."""
    lowered = segment.lower()
    return next((t for t in TENANTS if lowered in (t.id, t.domain)), None)

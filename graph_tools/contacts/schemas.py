"""Inputs and outputs of the contacts and people tools (camelCase, as Graph and the original).

Schemas are kept small because every tools/list carries them: optional inputs show only their
type (leaving them out means "not given"), nullable outputs are ``["string", "null"]``, and
outputs, which always carry every field, do not list them again as ``required``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema, model_validator

from graph_tools.tooling import (
    GUID_PATTERN,
    STRING,
    Arguments,
    Cursor,
    EmailAddress,
    GraphId,
    NullableText,
    OptionalArguments,
    Result,
    count_field,
)

NOTES_LIMIT = 2000  # characters of personalNotes per call; notesOffset reads on
NO_CONTROLS = r"^[^\x00-\x1f\x7f]+$"
# A user principal name: Entra's characters, incl. guests' "#EXT#" (segment() encodes "#").
UPN_PATTERN = r"[A-Za-z0-9'._!#^~&+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PHONE_PATTERN = r"^(?:[+(0-9][0-9 ()./-]{2,39})?$"  # "" clears it, as for every text field

Text = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None, STRING
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]


def _address_object(value: Any) -> Any:
    return {"address": value} if isinstance(value, str) else value


def _listed(value: Any) -> Any:
    """One address given alone, as models often do, is a list of one."""
    return [value] if isinstance(value, str | dict) else value


class ContactEmailInput(Arguments):
    address: EmailAddress
    name: Text = None


# Outlook keeps up to three e-mail addresses and two business phones per contact.
ContactEmails = Annotated[
    list[Annotated[ContactEmailInput, BeforeValidator(_address_object)]] | None,
    BeforeValidator(_listed),
    Field(max_length=3),
    WithJsonSchema({"type": "array", "maxItems": 3, "items": {"type": ["string", "object"]}}),
]
Phones = Annotated[
    list[Phone] | None,
    Field(max_length=2),
    WithJsonSchema({"type": "array", "maxItems": 2, "items": {"type": "string"}}),
]


class ContactFields(OptionalArguments):
    givenName: Text = None
    surname: Text = None
    emailAddresses: ContactEmails = Field(None, description="'anna@contoso.com' or {address, name}")
    businessPhones: Phones = None
    mobilePhone: Annotated[Phone | None, STRING] = None
    companyName: Text = None
    jobTitle: Text = None
    department: Text = None

    def graph_fields(self) -> dict[str, Any]:
        """The fields given, as Graph's contact properties (wire shapes §2A contacts)."""
        return self.model_dump(exclude_none=True, exclude={"contactId"})


class GetContactsInput(OptionalArguments):
    count: int = count_field(10, 50, "contacts")
    search: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None,
        Field(pattern=NO_CONTROLS),
        STRING,
    ] = Field(None, description="Start of a name ('Anna', 'Lindqvist') or an exact e-mail address.")
    cursor: Cursor = None


class GetContactInput(Arguments):
    contactId: GraphId
    notesOffset: int = Field(
        0, ge=0, le=1_000_000, description="Where to start personalNotes (trimmed ones)."
    )


class CreateContactInput(ContactFields):
    @model_validator(mode="after")
    def _named(self) -> CreateContactInput:
        if not (self.givenName or self.surname or self.companyName or self.emailAddresses):
            raise ValueError("give at least givenName, surname, companyName or emailAddresses")
        return self


class UpdateContactInput(ContactFields):
    contactId: GraphId

    @model_validator(mode="after")
    def _changes(self) -> UpdateContactInput:
        if not self.graph_fields():
            raise ValueError("give at least one field to change")
        return self


class SearchPeopleInput(Arguments):
    query: Annotated[str, StringConstraints(strip_whitespace=True)] = Field(
        min_length=1,
        max_length=255,
        pattern=NO_CONTROLS,
        description="A name or its start, e.g. 'Anna' (departments are not searched).",
    )
    count: int = count_field(10, 25, "people")


class GetUserProfileInput(OptionalArguments):
    user: Annotated[str | None, STRING] = Field(
        None,
        max_length=254,
        pattern=rf"^(?:{GUID_PATTERN}|{UPN_PATTERN})$",
        description="A colleague's e-mail (UPN) or object id; default: the signed-in person.",
    )


class ContactSummary(Result):
    id: str
    displayName: NullableText
    emailAddresses: list[str]
    mobilePhone: NullableText
    businessPhones: list[str]
    companyName: NullableText
    jobTitle: NullableText


class ContactList(Result):
    contacts: list[ContactSummary]
    nextCursor: NullableText = None


class Contact(ContactSummary):
    givenName: NullableText
    surname: NullableText
    department: NullableText
    homePhones: list[str]
    addresses: dict[str, str] = Field(description="home, business, other")
    birthday: NullableText
    personalNotes: str


class ContactRef(Result):
    id: str
    displayName: NullableText


class Person(Result):
    displayName: NullableText
    emailAddresses: list[str]
    jobTitle: NullableText
    department: NullableText
    officeLocation: NullableText
    userPrincipalName: NullableText
    personType: NullableText  # OrganizationUser, PersonalContact, UnifiedGroup…


class PeopleList(Result):
    people: list[Person]


class Manager(Result):
    displayName: NullableText
    mail: NullableText
    jobTitle: NullableText


class UserProfile(Result):
    id: str
    displayName: NullableText
    mail: NullableText
    userPrincipalName: NullableText
    jobTitle: NullableText
    department: NullableText
    officeLocation: NullableText
    businessPhones: list[str]
    mobilePhone: NullableText
    manager: Manager | None  # None: no manager, or (with a note) not readable
    note: NullableText = None

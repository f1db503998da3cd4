"""Inputs and outputs of the contacts and people tools (camelCase, as Graph and the original).

Schemas are kept small because every tools/list carries them: optional inputs show only their
type (leaving them out means "not given"), nullable outputs are ``["string", "null"]``, and
outputs, which always carry every field, do not list them again as ``required``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from graph_tools.tooling import (
    Arguments,
    Cursor,
    EmailAddress,
    GraphId,
    Output,
    count_field,
)

NOTES_LIMIT = 2000  # characters of personalNotes per call; notesOffset reads on
GUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
NO_CONTROLS = r"^[^\x00-\x1f\x7f]+$"
# A user principal name: Entra's characters, incl. guests' "#EXT#" (segment() encodes "#").
UPN_PATTERN = r"[A-Za-z0-9'._!#^~&+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PHONE_PATTERN = r"^(?:[+(0-9][0-9 ()./-]{2,39})?$"  # "" clears it, as for every text field

Text = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None,
    WithJsonSchema({"type": "string"}),
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]
Nullable = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(description: str | None = None) -> Any:
    """An optional input: None when left out, and no ``"default": null`` in the schema."""
    return Field(None, description=description, json_schema_extra=_no_default)


def _no_required(schema: dict[str, Any]) -> None:
    schema.pop("required", None)


class Result(Output):
    model_config = ConfigDict(json_schema_extra=_no_required)


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


class ContactFields(Arguments):
    givenName: Text = optional()
    surname: Text = optional()
    emailAddresses: ContactEmails = optional("'anna@contoso.com' or {address, name}")
    businessPhones: Phones = optional()
    mobilePhone: Annotated[Phone | None, WithJsonSchema({"type": "string"})] = optional()
    companyName: Text = optional()
    jobTitle: Text = optional()
    department: Text = optional()

    def graph_fields(self) -> dict[str, Any]:
        """The fields given, as Graph's contact properties (wire shapes §2A contacts)."""
        return self.model_dump(exclude_none=True, exclude={"contactId"})


class GetContactsInput(Arguments):
    count: int = count_field(10, 50, "contacts")
    search: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None,
        Field(pattern=NO_CONTROLS),
        WithJsonSchema({"type": "string"}),
    ] = optional("Start of a name ('Anna', 'Lindqvist') or an exact e-mail address.")
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


class GetUserProfileInput(Arguments):
    user: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        None,
        max_length=254,
        pattern=rf"^(?:{GUID_PATTERN}|{UPN_PATTERN})$",
        description="A colleague's e-mail (UPN) or object id; default: the signed-in person.",
        json_schema_extra=_no_default,
    )


class ContactSummary(Result):
    id: str
    displayName: Nullable
    emailAddresses: list[str]
    mobilePhone: Nullable
    businessPhones: list[str]
    companyName: Nullable
    jobTitle: Nullable


class ContactList(Result):
    contacts: list[ContactSummary]
    nextCursor: Nullable = None


class Contact(ContactSummary):
    givenName: Nullable
    surname: Nullable
    department: Nullable
    homePhones: list[str]
    addresses: dict[str, str] = Field(description="home, business, other")
    birthday: Nullable
    personalNotes: str


class ContactRef(Result):
    id: str
    displayName: Nullable


class Person(Result):
    displayName: Nullable
    emailAddresses: list[str]
    jobTitle: Nullable
    department: Nullable
    officeLocation: Nullable
    userPrincipalName: Nullable
    personType: Nullable  # OrganizationUser, PersonalContact, UnifiedGroup…


class PeopleList(Result):
    people: list[Person]


class Manager(Result):
    displayName: Nullable
    mail: Nullable
    jobTitle: Nullable


class UserProfile(Result):
    id: str
    displayName: Nullable
    mail: Nullable
    userPrincipalName: Nullable
    jobTitle: Nullable
    department: Nullable
    officeLocation: Nullable
    businessPhones: list[str]
    mobilePhone: Nullable
    manager: Manager | None  # None: no manager, or (with a note) not readable
    note: Nullable = None

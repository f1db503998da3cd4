"""Graph contacts endpoints of the fake (wire shapes §2A "GET /me/contacts"), plus the people
and directory endpoints of graph_contacts_people.py; see graph_users.py for the pattern.

Outlook contacts live in ``call.data["contacts"]`` in Graph's shape. The list honours $top,
$skip (with an @odata.nextLink that keeps every other option), $select, $orderby and the
$filter forms the tools send: ``startswith(prop,'text')`` clauses joined by ``or``, and the
documented ``emailAddresses/any(a:a/address eq 'x')``. Sorting by a property that does not
lead the filter is refused with InefficientFilter, as Exchange does (wire shapes §2A).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from tests.fakes import graph_contacts_people
from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected
from tests.fakes.graph_contacts_people import query_int
from tests.fakes.graph_items import (
    change_stamp,
    json_object,
    now_iso,
    outlook_id,
    unknown_property,
    unwritable_property,
)
from tests.fakes.people import Person
from tests.fakes.state import Collections

READ_PERMISSIONS = ("Contacts.Read", "Contacts.ReadWrite")
WRITE_PERMISSIONS = ("Contacts.ReadWrite",)
STRINGS = (
    "birthday",
    "fileAs",
    "displayName",
    "givenName",
    "initials",
    "middleName",
    "nickName",
    "surname",
    "title",
    "yomiGivenName",
    "yomiSurname",
    "yomiCompanyName",
    "generation",
    "jobTitle",
    "companyName",
    "department",
    "officeLocation",
    "profession",
    "businessHomePage",
    "assistantName",
    "manager",
    "mobilePhone",
    "spouseName",
    "personalNotes",
)
LISTS = ("imAddresses", "homePhones", "businessPhones", "children", "categories")
ADDRESSES = ("homeAddress", "businessAddress", "otherAddress")
WRITABLE = frozenset({*STRINGS, *LISTS, *ADDRESSES, "emailAddresses"})
READ_ONLY = ("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "parentFolderId")
PROPERTIES = {name.lower(): name for name in (*READ_ONLY, *WRITABLE)}
NAME_PARTS = ("givenName", "middleName", "surname")
LITERAL = r"'((?:[^']|'')*)'"
CLAUSE = re.compile(
    rf"\s*(?:startswith\((\w+),\s*{LITERAL}\)|emailAddresses/any\((\w+):\s*\3/address eq "
    rf"{LITERAL}\))\s*"
)
OR = re.compile(r"or\s+")
INEFFICIENT = "The restriction or sort order is too complex for this operation."
UNREADABLE = (
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload "
    "is of valid JSON format."
)


def _display_name(contact: dict[str, Any]) -> str:
    """Outlook's own displayName when none is set: the names, else company, else address."""
    names = " ".join(str(contact[part]) for part in NAME_PARTS if contact.get(part))
    emails = contact.get("emailAddresses") or [{}]
    return names or contact.get("companyName") or emails[0].get("address") or ""


def new_contact(person: Person, contact_id: str, fields: dict[str, Any], at: str) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "id": contact_id,
        "createdDateTime": at,
        "parentFolderId": outlook_id(person.key, "contacts-folder"),
        **{name: None for name in STRINGS},
        "fileAs": "",
        "personalNotes": "",
        **{name: [] for name in LISTS},
        "emailAddresses": [],
        **{name: {} for name in ADDRESSES},
    }
    contact.update(fields)
    if not fields.get("displayName"):
        contact["displayName"] = _display_name(contact)
    change_stamp(contact, at)
    return contact


# given, surname, address, company, job title, mobile, business phone, other properties
SeedRow = tuple[str, str, str, str | None, str | None, str | None, str | None, dict[str, Any]]
ALICE_CONTACTS: tuple[SeedRow, ...] = (
    ("Aaron", "Patel", "aaron.patel@fabrikam.com", "Fabrikam", "Procurement Lead",
     "+1 206 555 0142", "+1 206 555 0100", {"department": "Procurement"}),
    ("Beatriz", "Souza", "beatriz@northwindtraders.com", "Northwind Traders", "Account Manager",
     "+55 11 95555 0101", None, {}),
    ("Carlos", "Mendes", "carlos.mendes@adventure-works.com", "Adventure Works", "CTO",
     None, "+351 21 555 0199", {}),
    ("Chloé", "Dubois", "chloe@tailspintoys.com", "Tailspin Toys", "Lead Designer",
     "+33 6 55 55 01 23", None, {}),
    ("Daniel", "O'Connor", "daniel.oconnor@litwareinc.com", "Litware, Inc.", "Sales Director",
     "+353 87 555 0134", None, {"businessAddress": {
         "street": "1 Grand Canal Quay", "city": "Dublin", "state": "",
         "countryOrRegion": "Ireland", "postalCode": "D02 XY12"}}),
    ("Elif", "Yildiz", "elif.yildiz@wideworldimporters.com", "Wide World Importers",
     "Logistics Coordinator", None, "+90 212 555 0177", {}),
    ("Fatima", "Haddad", "fatima.haddad@woodgrovebank.com", "Woodgrove Bank",
     "Relationship Manager", "+971 50 555 0188", "+971 4 555 0100", {}),
    ("George", "Whitman", "george@fourthcoffee.com", "Fourth Coffee", "Owner",
     "+1 503 555 0161", None, {}),
    ("Hannah", "Schmidt", "h.schmidt@proseware.com", "Proseware, Inc.", "Project Manager",
     "+49 151 5550 1234", None, {"personalNotes": "Prefers calls after 2 pm CET."}),
    ("Ivan", "Petrov", "ivan.petrov@lucernepublishing.com", "Lucerne Publishing", "Editor",
     None, None, {}),
    ("Julia", "Rossi", "julia.rossi@alpineskihouse.com", "Alpine Ski House", "Marketing Manager",
     "+39 333 555 0147", None, {}),
    ("Kenji", "Watanabe", "kenji@margiestravel.com", "Margie's Travel", "Travel Agent",
     "+81 90 5555 0112", None, {}),
    ("Laura", "Jensen", "laura.jensen@fabrikam.com", "Fabrikam", "Legal Counsel",
     None, "+1 206 555 0150", {"department": "Legal"}),
    ("Mohammed", "Al-Farsi", "m.alfarsi@cohowinery.com", "Coho Winery", "Head Buyer",
     "+968 9555 0166", None, {}),
    ("Nora", "Bakke", "nora.bakke@outlook.com", None, None, "+47 455 50 123", None, {
        "birthday": "1988-03-14T11:59:00Z",
        "homePhones": ["+47 22 55 50 12"],
        "homeAddress": {"street": "Thereses gate 12", "city": "Oslo", "state": "",
                        "countryOrRegion": "Norway", "postalCode": "0168"},
        "personalNotes": "Met at the Oslo product summit. Two kids, loves trail running."}),
    ("Oliver", "Grant", "oliver.grant@treyresearch.net", "Trey Research", "Data Scientist",
     None, "+44 20 5555 0190", {}),
    ("Priya", "Nair", "priya.nair@humongousinsurance.com", "Humongous Insurance", "Broker",
     "+91 98455 50123", None, {}),
    ("Anna", "Kowalska", "anna.kowalska@graphicdesigninstitute.com",
     "Graphic Design Institute", "Illustrator", "+48 601 555 012", None, {}),
)  # fmt: skip
BOB_CONTACTS: tuple[SeedRow, ...] = (
    ("Sven", "Eriksson", "sven.eriksson@blueyonderairlines.com", "Blue Yonder Airlines",
     "Captain", "+46 70 555 01 23", None, {}),
    ("Tara", "Murphy", "tara.murphy@cpandl.com", "City Power & Light", "Field Engineer",
     None, "+1 312 555 0119", {}),
    ("Uma", "Reddy", "uma.reddy@fineartschool.net", "School of Fine Art", "Teacher",
     None, None, {}),
    ("Victor", "Lemaire", "victor@vanarsdelltd.com", "VanArsdel, Ltd.", "Developer",
     "+32 470 55 50 12", None, {}),
    ("Wendy", "Chen", "wendy.chen@relecloud.com", "Relecloud", "Solutions Architect",
     "+1 425 555 0138", "+1 425 555 0100", {}),
    ("Bob", "Baker Sr.", "bob.baker.sr@outlook.com", None, None, "+1 360 555 0111", None,
     {"birthday": "1956-09-02T11:59:00Z", "personalNotes": "Dad."}),
)  # fmt: skip
OUTSIDER_CONTACTS: tuple[SeedRow, ...] = (
    ("Quentin", "Blake", "quentin.blake@contoso.com", "Contoso", "Partner Manager",
     None, None, {}),
    ("Rosa", "Diaz", "rosa.diaz@fabrikam.com", "Fabrikam", "Analyst", None, None, {}),
)  # fmt: skip
SEEDED = {"alice": ALICE_CONTACTS, "bob": BOB_CONTACTS, "outsider": OUTSIDER_CONTACTS}


def _seeded(person: Person, index: int, row: SeedRow) -> dict[str, Any]:
    given, surname, address, company, title, mobile, business, extra = row
    fields = {
        "givenName": given,
        "surname": surname,
        "emailAddresses": [{"name": f"{given} {surname}", "address": address}],
        "companyName": company,
        "jobTitle": title,
        "mobilePhone": mobile,
        "businessPhones": [business] if business else [],
        **extra,
    }
    at = f"2025-{1 + index % 12:02d}-{1 + index:02d}T09:{index:02d}:00Z"
    return new_contact(person, outlook_id(person.key, "contact", index), fields, at)


def seed(person: Person) -> Collections:
    """This person's seeded contacts, and the people they work with."""
    contacts = [_seeded(person, i, row) for i, row in enumerate(SEEDED.get(person.key, ()))]
    return {"contacts": contacts, **graph_contacts_people.people_seed(person)}


# --- reading ---------------------------------------------------------------------------------


def _property(name: str) -> str:
    canonical = PROPERTIES.get(name.strip().lower())
    if canonical is None:
        raise unknown_property(name, "Microsoft.OutlookServices.Contact")
    return canonical


def _shown(contact: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    if names is None:
        return dict(contact)
    chosen = {_property(name) for name in names} | {"id"}
    return {
        "@odata.etag": contact["@odata.etag"],
        **{name: value for name, value in contact.items() if name in chosen},
    }


def _context(call: GraphCall, names: list[str] | None, entity: bool = False) -> str:
    selection = f"({','.join(names)})" if names else ""
    suffix = "/$entity" if entity else ""
    return f"{call.base_url}/$metadata#users('{call.person.oid}')/contacts{selection}{suffix}"


def _invalid_filter() -> GraphError:
    return GraphError(
        400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes."
    )


def _literal(raw: str) -> str:
    return raw.replace("''", "'").lower()


def _clause(found: re.Match[str]) -> tuple[str, Callable[[dict[str, Any]], bool]]:
    prop, text, address = found[1], found[2], found[4]
    if prop is None:
        wanted = _literal(address)
        return "emailAddresses", lambda c: any(
            str(e.get("address", "")).lower() == wanted for e in c["emailAddresses"]
        )
    name = _property(prop)
    if name not in STRINGS:
        raise _invalid_filter()
    start = _literal(text)
    return name, lambda c: str(c.get(name) or "").lower().startswith(start)


def _filter(raw: str) -> tuple[str, Callable[[dict[str, Any]], bool]]:
    """The first property the filter names, and whether a contact matches it."""
    clauses, position = [], 0
    while True:
        found = CLAUSE.match(raw, position)
        if found is None:
            raise _invalid_filter()
        clauses.append(_clause(found))
        position = found.end()
        if position == len(raw):
            break
        joiner = OR.match(raw, position)
        if joiner is None:
            raise _invalid_filter()
        position = joiner.end()
    return clauses[0][0], lambda c: any(test(c) for _, test in clauses)


def _ordered(call: GraphCall, contacts: list[dict[str, Any]], leading: str | None) -> list[Any]:
    raw = call.request.query.get("$orderby")
    if raw is None:
        return contacts
    name, _, direction = raw.strip().partition(" ")
    prop = _property(name)
    if direction.strip().lower() not in ("", "asc", "desc"):
        raise GraphError(400, "BadRequest", f"Invalid $orderby direction '{direction[:20]}'.")
    if leading is not None and leading != prop:
        raise GraphError(400, "InefficientFilter", INEFFICIENT)
    descending = direction.strip().lower() == "desc"
    return sorted(contacts, key=lambda c: str(c.get(prop) or "").lower(), reverse=descending)


def contacts_list(call: GraphCall) -> GraphReply:
    contacts: list[dict[str, Any]] = call.data.get("contacts", [])
    leading = None
    raw_filter = call.request.query.get("$filter")
    if raw_filter is not None:
        leading, test = _filter(raw_filter)
        contacts = [contact for contact in contacts if test(contact)]
    contacts = _ordered(call, contacts, leading)
    top, skip = query_int(call, "$top", 10), query_int(call, "$skip", 0)
    names = selected(call)
    body: dict[str, Any] = {
        "@odata.context": _context(call, names),
        "value": [_shown(contact, names) for contact in contacts[skip : skip + top]],
    }
    if skip + top < len(contacts):
        query = {**call.request.query, "$skip": str(skip + top)}
        body["@odata.nextLink"] = f"{call.base_url}/me/contacts?{urlencode(query, quote_via=quote)}"
    return GraphReply(200, body)


def _found(call: GraphCall) -> dict[str, Any]:
    contact_id = call.params["id"]
    if not contact_id.startswith("AAMk"):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.", inner=False)
    contact = next((c for c in call.data.get("contacts", []) if c["id"] == contact_id), None)
    if contact is None:
        # Another mailbox's id is simply not in this one (wire shapes §3.1).
        raise GraphError(
            404,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
            inner=False,
        )
    return contact


def contact_get(call: GraphCall) -> GraphReply:
    names = selected(call)
    body = {"@odata.context": _context(call, names, entity=True)}
    return GraphReply(200, {**body, **_shown(_found(call), names)})


# --- writing ---------------------------------------------------------------------------------


def _fields(call: GraphCall) -> dict[str, Any]:
    body = json_object(call, message=UNREADABLE)
    for name, value in body.items():
        if name not in WRITABLE:
            raise unwritable_property(name, "microsoft.graph.contact")
        if not _well_typed(name, value):
            raise GraphError(
                400, "RequestBodyRead", f"Cannot convert the value of property '{name[:100]}'."
            )
    return {**body, "emailAddresses": _emails(body)} if "emailAddresses" in body else body


def _well_typed(name: str, value: Any) -> bool:
    if name in LISTS:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if name in ADDRESSES:
        return isinstance(value, dict)
    if name == "emailAddresses":
        return isinstance(value, list) and all(
            isinstance(item, dict) and isinstance(item.get("address"), str) for item in value
        )
    return value is None or isinstance(value, str)


def _emails(body: dict[str, Any]) -> list[dict[str, str]]:
    # Outlook fills in the address as the name when none is given.
    return [
        {"name": entry.get("name") or entry["address"], "address": entry["address"]}
        for entry in body["emailAddresses"]
    ]


def contact_create(call: GraphCall) -> GraphReply:
    contact = new_contact(call.person, outlook_id(uuid.uuid4()), _fields(call), now_iso())
    call.data.setdefault("contacts", []).append(contact)
    body = {"@odata.context": _context(call, None, entity=True), **contact}
    return GraphReply(
        201, body, {"Location": f"{call.base_url}/me/contacts/{quote(contact['id'])}"}
    )


def contact_update(call: GraphCall) -> GraphReply:
    contact = _found(call)
    fields = _fields(call)
    contact.update(fields)
    names_changed = any(part in fields for part in (*NAME_PARTS, "companyName", "emailAddresses"))
    if names_changed and "displayName" not in fields:
        contact["displayName"] = _display_name(contact)
    change_stamp(contact, now_iso())
    return GraphReply(200, {"@odata.context": _context(call, None, entity=True), **contact})


ROUTES = (
    graph_route(
        "GET", "/me/contacts", any_of=READ_PERMISSIONS, family="outlook", handler=contacts_list
    ),
    graph_route(
        "POST", "/me/contacts", any_of=WRITE_PERMISSIONS, family="outlook", handler=contact_create
    ),
    graph_route(
        "GET", "/me/contacts/{id}", any_of=READ_PERMISSIONS, family="outlook", handler=contact_get
    ),
    graph_route(
        "PATCH",
        "/me/contacts/{id}",
        any_of=WRITE_PERMISSIONS,
        family="outlook",
        handler=contact_update,
    ),
    *graph_contacts_people.ROUTES,
)

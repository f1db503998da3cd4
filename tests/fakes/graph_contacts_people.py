"""Graph people and directory endpoints of the fake: /me/people, /users/{id|upn}, managers.

The directory is organisation data, the same for everyone in a tenant: the cast (people.py)
plus the colleagues below, who have no sign-in. /me/people is per person (``call.data``): the
people each one works with, most relevant first (wire shapes §2A, G-SRCH).

Reading other users with only User.ReadBasic.All returns their basic properties and null for
the rest (jobTitle, department, phones…), and a colleague's manager needs User.Read.All, as in
microsoftgraph/microsoft-graph-docs#2833, #3982 and the user-list-manager permissions table.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected
from tests.fakes.graph_items import unknown_property
from tests.fakes.graph_users import USER_DEFAULT_PROPERTIES, user_property
from tests.fakes.people import ALICE, BOB, CAST, CONTOSO, FABRIKAM, OUTSIDER, Person, Tenant
from tests.fakes.state import Collections

PEOPLE_PERMISSIONS = ("People.Read", "People.Read.All")
USER_PERMISSIONS = (
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
)
FULL_READ = frozenset(USER_PERMISSIONS) - {"User.ReadBasic.All"}
# /me/manager works with User.Read + User.ReadBasic.All (docs issue #3982); another user's
# manager needs User.Read.All or more (user-list-manager permissions table).
MY_MANAGER_PERMISSIONS = USER_PERMISSIONS
MANAGER_PERMISSIONS = tuple(sorted(FULL_READ))
BASIC_PROPERTIES = frozenset(
    {"id", "displayName", "givenName", "surname", "mail", "userPrincipalName"}
)


def _colleague(
    tenant: Tenant, oid: str, given: str, surname: str, title: str, department: str, office: str
) -> dict[str, Any]:
    address = f"{given}.{surname}@{tenant.domain}".lower()
    return {
        "businessPhones": [f"+1 425 555 {int(oid[:4], 16) % 10000:04d}"],
        "displayName": f"{given} {surname}",
        "givenName": given,
        "id": oid,
        "jobTitle": title,
        "mail": address,
        "mobilePhone": None,
        "officeLocation": office,
        "preferredLanguage": "en-US",
        "surname": surname,
        "userPrincipalName": address,
        "accountEnabled": True,
        "companyName": None,
        "department": department,
        "mailNickname": f"{given}.{surname}".lower(),
        "usageLocation": "US",
        "userType": "Member",
    }


ANNA = _colleague(
    CONTOSO, "9f3c2a1e-4b5d-4e6f-8a7b-1c2d3e4f5a6b", "Anna", "Lindqvist",
    "Financial Controller", "Finance", "18/1104",
)  # fmt: skip
ANNA_BERG = _colleague(
    CONTOSO, "2b7e9d41-0c3a-4f85-9e16-7a8b9c0d1e2f", "Anna", "Berg",
    "Software Engineer", "Engineering", "18/2210",
)  # fmt: skip
DANA = _colleague(
    CONTOSO, "c4d5e6f7-1a2b-4c3d-9e8f-0a1b2c3d4e5f", "Dana", "Whitfield",
    "VP Product", "Product", "18/3001",
)  # fmt: skip
ERIK = _colleague(
    CONTOSO, "e1f2a3b4-5c6d-4e7f-8091-a2b3c4d5e6f7", "Erik", "Sandoval",
    "Engineering Manager", "Engineering", "18/2201",
)  # fmt: skip
GRACE = _colleague(
    CONTOSO, "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d", "Grace", "Okafor",
    "Chief Financial Officer", "Finance", "18/1100",
)  # fmt: skip
MARCUS = _colleague(
    CONTOSO, "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f", "Marcus", "Chen",
    "Accountant", "Finance", "18/1106",
)  # fmt: skip
PRIYA = _colleague(
    CONTOSO, "7f8091a2-b3c4-4d5e-9f60-718293a4b5c6", "Priya", "Raman",
    "Marketing Lead", "Marketing", "18/4012",
)  # fmt: skip
FARAH = _colleague(
    FABRIKAM, "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7", "Farah", "Khan",
    "Managing Partner", "Advisory", "2/100",
)  # fmt: skip
COLLEAGUES = (ANNA, ANNA_BERG, DANA, ERIK, GRACE, MARCUS, PRIYA, FARAH)


def _directory() -> dict[str, list[dict[str, Any]]]:
    """Each tenant's users: the cast as GET /me shows them, and the colleagues."""
    users: dict[str, list[dict[str, Any]]] = {}
    for person in CAST.values():
        users.setdefault(person.tid, []).append(person.graph_user())
    for user in COLLEAGUES:
        domain = str(user["userPrincipalName"]).split("@")[1]
        tenant = CONTOSO if domain == CONTOSO.domain else FABRIKAM
        users.setdefault(tenant.id, []).append(user)
    return users


DIRECTORY = _directory()
# Who reports to whom (object ids); Dana, Grace and Farah have no manager.
MANAGERS = {
    ALICE.oid: DANA["id"],
    BOB.oid: ERIK["id"],
    ERIK["id"]: DANA["id"],
    ANNA["id"]: GRACE["id"],
    MARCUS["id"]: ANNA["id"],
    ANNA_BERG["id"]: ERIK["id"],
    PRIYA["id"]: DANA["id"],
    OUTSIDER.oid: FARAH["id"],
}


def directory_user(tenant: Tenant, ref: str) -> dict[str, Any] | None:
    """The tenant's user with this object id or user principal name (case-insensitive)."""
    wanted = ref.lower()
    return next(
        (
            user
            for user in DIRECTORY[tenant.id]
            if wanted in (str(user["id"]).lower(), str(user["userPrincipalName"]).lower())
        ),
        None,
    )


def _not_found(ref: str) -> GraphError:
    return GraphError(
        404,
        "Request_ResourceNotFound",
        f"Resource '{ref[:100]}' does not exist or one of its queried reference-property "
        "objects are not present.",
    )


def _user_body(call: GraphCall, user: dict[str, Any], context: str) -> dict[str, Any]:
    names = selected(call)
    properties = (
        list(USER_DEFAULT_PROPERTIES) if names is None else [user_property(n) for n in names]
    )
    full = bool(call.permissions & FULL_READ) or user["id"] == call.person.oid
    body: dict[str, Any] = {"@odata.context": f"{call.base_url}/$metadata#{context}"}
    for name in properties:
        value = user.get(name)
        if not full and name not in BASIC_PROPERTIES:
            value = [] if isinstance(value, list) else None
        body[name] = value
    return body


def user_get(call: GraphCall) -> GraphReply:
    user = directory_user(call.person.tenant, call.params["id"])
    if user is None:
        raise _not_found(call.params["id"])
    return GraphReply(200, _user_body(call, user, "users/$entity"))


def _manager_reply(call: GraphCall, oid: str) -> GraphReply:
    manager_id = MANAGERS.get(oid)
    if manager_id is None:
        raise _not_found("manager")
    manager = directory_user(call.person.tenant, manager_id)
    assert manager is not None, manager_id  # the table names users of the same tenant
    body = _user_body(call, manager, "directoryObjects/$entity")
    return GraphReply(200, {**body, "@odata.type": "#microsoft.graph.user"})


def my_manager_get(call: GraphCall) -> GraphReply:
    return _manager_reply(call, call.person.oid)


def manager_get(call: GraphCall) -> GraphReply:
    user = directory_user(call.person.tenant, call.params["id"])
    if user is None:
        raise _not_found(call.params["id"])
    return _manager_reply(call, str(user["id"]))


# --- /me/people ------------------------------------------------------------------------------

WORDS = re.compile(r"[^\W_]+")


def _person(user: dict[str, Any], score: float) -> dict[str, Any]:
    """A directory user as /me/people returns them (wire shapes §2A)."""
    return {
        "id": user["id"],
        "displayName": user["displayName"],
        "givenName": user["givenName"],
        "surname": user["surname"],
        "birthday": "",
        "personNotes": "",
        "isFavorite": False,
        "jobTitle": user["jobTitle"],
        "companyName": None,
        "yomiCompany": "",
        "department": user["department"],
        "officeLocation": user["officeLocation"],
        "profession": "",
        "userPrincipalName": user["userPrincipalName"],
        "imAddress": f"sip:{user['userPrincipalName']}",
        "scoredEmailAddresses": [
            {
                "address": user["mail"],
                "relevanceScore": score,
                "selectionLikelihood": "notSpecified",
            }
        ],
        "phones": [{"type": "business", "number": phone} for phone in user["businessPhones"]],
        "postalAddresses": [],
        "websites": [],
        "personType": {"class": "Person", "subclass": "OrganizationUser"},
    }


def _not_a_user(entry_id: str, name: str, address: str, score: float) -> dict[str, Any]:
    """Someone /me/people knows who is no user of the directory: no title, office or UPN."""
    given, _, surname = name.partition(" ")
    unknown = dict.fromkeys(("jobTitle", "department", "officeLocation", "userPrincipalName"))
    user: dict[str, Any] = {"id": entry_id, "displayName": name, "givenName": given}
    user |= {"surname": surname, "mail": address, "businessPhones": [], **unknown}
    return {**_person(user, score), "imAddress": None}


def _group(name: str, address: str, score: float) -> dict[str, Any]:
    entry = _not_a_user("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", name, address, score)
    group = {"class": "Group", "subclass": "UnifiedGroup"}
    return {**entry, "givenName": None, "surname": None, "personType": group}


def _external(name: str, address: str, company: str, score: float) -> dict[str, Any]:
    entry = _not_a_user("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8", name, address, score)
    contact = {"class": "Person", "subclass": "PersonalContact"}
    return {**entry, "companyName": company, "personType": contact}


def people_seed(person: Person) -> Collections:
    """The people each person works with, most relevant first (relevanceScore falls)."""
    cast = {key: member.graph_user() for key, member in CAST.items()}
    ranked: dict[str, list[dict[str, Any]]] = {
        "alice": [DANA, ANNA, cast["bob"], MARCUS, PRIYA, ERIK, ANNA_BERG, GRACE],
        "bob": [ERIK, ANNA_BERG, cast["alice"], DANA, PRIYA],
        "outsider": [FARAH],
    }
    people = [_person(user, 30.0 - 2.5 * rank) for rank, user in enumerate(ranked[person.key])]
    if person.key == "alice":
        people.insert(4, _group("Finance Team", f"finance@{CONTOSO.domain}", 21.0))
        people.append(_external("Aaron Patel", "aaron.patel@fabrikam.com", "Fabrikam", 8.0))
    return {"people": people}


def _matches(entry: dict[str, Any], tokens: list[str]) -> int:
    """How many search words start a word of the name or of an address (G-SRCH: people
    search looks at displayName and emailAddress)."""
    words = WORDS.findall(str(entry.get("displayName") or "").lower())
    for scored in entry["scoredEmailAddresses"]:
        words += WORDS.findall(str(scored["address"]).lower())
    return sum(any(word.startswith(token) for word in words) for token in tokens)


def people_list(call: GraphCall) -> GraphReply:
    people: list[dict[str, Any]] = call.data.get("people", [])
    search = call.request.query.get("$search")
    if search is not None:
        tokens = WORDS.findall(search.strip().strip('"').lower())
        scored = [(_matches(entry, tokens), rank, entry) for rank, entry in enumerate(people)]
        # More words matched first; among equals, the more relevant person first.
        people = [
            entry for hits, rank, entry in sorted(scored, key=lambda s: (-s[0], s[1])) if hits
        ]
    top, skip = query_int(call, "$top", 10), query_int(call, "$skip", 0)
    names = selected(call)
    page = [_selected(entry, names) for entry in people[skip : skip + top]]
    body: dict[str, Any] = {
        "@odata.context": f"{call.base_url}/$metadata#users('{call.person.oid}')/people",
        "value": page,
    }
    if skip + top < len(people):
        query = {**call.request.query, "$skip": str(skip + top)}
        body["@odata.nextLink"] = f"{call.base_url}/me/people?{urlencode(query, quote_via=quote)}"
    return GraphReply(200, body)


def _selected(entry: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    if names is None:
        return dict(entry)
    known = {key.lower(): key for key in entry}
    unknown = [name for name in names if name.lower() not in known]
    if unknown:
        raise unknown_property(unknown[0], "Microsoft.OutlookServices.Person", "BadRequest")
    return {
        "id": entry["id"],
        **{known[name.lower()]: entry[known[name.lower()]] for name in names},
    }


def query_int(call: GraphCall, name: str, default: int) -> int:
    """$top or $skip: a whole number up to 1000 ($top at least 1)."""
    raw = call.request.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > 1000 or (name == "$top" and int(raw) == 0):
        raise GraphError(400, "BadRequest", f"The value '{raw[:20]}' is not valid for {name}.")
    return int(raw)


ROUTES = (
    graph_route(
        "GET", "/me/people", any_of=PEOPLE_PERMISSIONS, family="outlook", handler=people_list
    ),
    graph_route(
        "GET",
        "/me/manager",
        any_of=MY_MANAGER_PERMISSIONS,
        family="directory",
        handler=my_manager_get,
    ),
    graph_route(
        "GET", "/users/{id}", any_of=USER_PERMISSIONS, family="directory", handler=user_get
    ),
    graph_route(
        "GET",
        "/users/{id}/manager",
        any_of=MANAGER_PERMISSIONS,
        family="directory",
        handler=manager_get,
    ),
)

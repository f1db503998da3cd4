"""Reads: the person's Outlook contacts, the people they work with, directory profiles.

Contacts: ``GET /me/contacts`` (Contacts.Read). Graph documents no ``$search`` on contacts,
only ``$filter`` (wire shapes §2A), so a search is a ``startswith`` on the name or an exact
``emailAddresses/any`` match. People: ``GET /me/people?$search=`` (People.Read), ranked by
relevance, no ConsistencyLevel. Profiles: ``/me`` or ``/users/{id|upn}`` and the manager in
one ``$batch`` (§3.3).
"""

from __future__ import annotations

import re
from typing import Any

from graph_tools import graph_errors
from graph_tools.batch import batch_get
from graph_tools.client import GraphClient
from graph_tools.contacts.schemas import (
    NOTES_LIMIT,
    Contact,
    ContactList,
    ContactRef,
    ContactSummary,
    GetContactInput,
    GetContactsInput,
    GetUserProfileInput,
    Manager,
    PeopleList,
    Person,
    SearchPeopleInput,
    UserProfile,
)
from graph_tools.errors import GraphError
from graph_tools.paging import page_get
from graph_tools.replies import graph_object, strings
from graph_tools.text import trimmed
from graph_tools.tooling import ADDRESS_PATTERN, segment

SUMMARY_FIELDS = "id,displayName,emailAddresses,mobilePhone,businessPhones,companyName,jobTitle"
CONTACT_FIELDS = (
    f"{SUMMARY_FIELDS},givenName,surname,department,homePhones,"
    "homeAddress,businessAddress,otherAddress,birthday,personalNotes"
)
PEOPLE_FIELDS = (
    "displayName,scoredEmailAddresses,jobTitle,department,officeLocation,"
    "userPrincipalName,personType"
)
PROFILE_FIELDS = (
    "id,displayName,mail,userPrincipalName,jobTitle,department,officeLocation,"
    "businessPhones,mobilePhone"
)
MANAGER_FIELDS = "displayName,mail,jobTitle"
ADDRESS_KINDS = ("home", "business", "other")
IS_ADDRESS = re.compile(ADDRESS_PATTERN)
NO_SUCH_USER = (
    "Microsoft 365 found nobody with that address or id in the organisation's directory. "
    "Use searchPeople to find the colleague's exact address, then try again."
)
MANAGER_HIDDEN = (
    "Microsoft 365 did not allow reading this manager (the directory may require the "
    "User.Read.All permission for it)."
)


def contacts_list(graph: GraphClient, args: GetContactsInput) -> ContactList:
    params = {"$select": SUMMARY_FIELDS, "$top": str(args.count)}
    params.update(_search_params(args.search))
    page = page_get(
        graph,
        "/me/contacts",
        listing=f"contacts:{args.search or ''}",
        cursor=args.cursor,
        params=params,
    )
    return ContactList(
        contacts=[contact_summary(item) for item in page.items], nextCursor=page.next_cursor
    )


def _search_params(search: str | None) -> dict[str, str]:
    if not search:
        return {"$orderby": "displayName"}
    literal = odata_string(search)
    if IS_ADDRESS.match(search):
        # The one documented contacts filter; sorting by another property next to it makes
        # Exchange answer InefficientFilter (wire shapes §2A, messages).
        return {"$filter": f"emailAddresses/any(a:a/address eq {literal})"}
    # $orderby's property leads the filter, as Exchange requires.
    return {
        "$filter": f"startswith(displayName,{literal}) or startswith(surname,{literal})",
        "$orderby": "displayName",
    }


def odata_string(text: str) -> str:
    """An OData string literal: single quotes doubled (wire shapes §2, Query options)."""
    return "'" + text.replace("'", "''") + "'"


def contact_get(graph: GraphClient, args: GetContactInput) -> Contact:
    body = graph.get(f"/me/contacts/{segment(args.contactId)}", params={"$select": CONTACT_FIELDS})
    return contact_from_graph(graph_object(body), notes_offset=args.notesOffset)


def people_search(graph: GraphClient, args: SearchPeopleInput) -> PeopleList:
    # The value is one double-quoted phrase (G-SRCH); a quote inside would end it early.
    phrase = " ".join(args.query.replace('"', " ").split())
    body = graph.get(
        "/me/people",
        params={"$search": f'"{phrase}"', "$top": str(args.count), "$select": PEOPLE_FIELDS},
    )
    items = body.get("value") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise graph_errors.malformed()
    return PeopleList(people=[_person(graph_object(item)) for item in items])


def user_profile_get(graph: GraphClient, args: GetUserProfileInput) -> UserProfile:
    base = f"/users/{segment(args.user)}" if args.user else "/me"
    answers = batch_get(
        graph,
        {
            "profile": f"{base}?$select={PROFILE_FIELDS}",
            "manager": f"{base}/manager?$select={MANAGER_FIELDS}",
        },
    )
    profile = answers["profile"]
    if isinstance(profile, GraphError):
        if args.user and profile.status == 404:
            raise GraphError(NO_SUCH_USER, status=404, code=profile.code)
        raise profile
    manager, note = _manager(answers["manager"])
    return _profile(graph_object(profile), manager, note)


def _manager(answer: Any) -> tuple[Manager | None, str | None]:
    if not isinstance(answer, GraphError):
        body = graph_object(answer)
        return Manager(**{name: _text(body, name) for name in MANAGER_FIELDS.split(",")}), None
    if answer.status == 404:  # Graph's answer when nobody is set as manager
        return None, None
    if answer.status == 403:  # the profile itself was readable: say why this part is not
        return None, MANAGER_HIDDEN
    raise answer


def _profile(body: dict[str, Any], manager: Manager | None, note: str | None) -> UserProfile:
    return UserProfile(
        id=str(body.get("id") or ""),
        displayName=_text(body, "displayName"),
        mail=_text(body, "mail"),
        userPrincipalName=_text(body, "userPrincipalName"),
        jobTitle=_text(body, "jobTitle"),
        department=_text(body, "department"),
        officeLocation=_text(body, "officeLocation"),
        businessPhones=strings(body.get("businessPhones")),
        mobilePhone=_text(body, "mobilePhone"),
        manager=manager,
        note=note,
    )


def _person(item: dict[str, Any]) -> Person:
    person_type = item.get("personType")
    return Person(
        displayName=_text(item, "displayName"),
        emailAddresses=_emails(item.get("scoredEmailAddresses")),
        jobTitle=_text(item, "jobTitle"),
        department=_text(item, "department"),
        officeLocation=_text(item, "officeLocation"),
        userPrincipalName=_text(item, "userPrincipalName"),
        personType=_text(person_type, "subclass") if isinstance(person_type, dict) else None,
    )


def contact_ref(body: Any) -> ContactRef:
    item = graph_object(body)
    if not isinstance(item.get("id"), str):
        raise graph_errors.malformed()
    return ContactRef(id=item["id"], displayName=_text(item, "displayName"))


def contact_summary(item: dict[str, Any]) -> ContactSummary:
    return ContactSummary(**_summary_fields(item))


def contact_from_graph(item: dict[str, Any], *, notes_offset: int = 0) -> Contact:
    """A Graph contact as the tools return it; personalNotes trimmed from ``notes_offset``."""
    notes, _ = trimmed((_text(item, "personalNotes") or "")[notes_offset:], NOTES_LIMIT)
    birthday = _text(item, "birthday")
    return Contact(
        **_summary_fields(item),
        givenName=_text(item, "givenName"),
        surname=_text(item, "surname"),
        department=_text(item, "department"),
        homePhones=strings(item.get("homePhones")),
        addresses={
            kind: line
            for kind in ADDRESS_KINDS
            if (line := _address_line(item.get(f"{kind}Address")))
        },
        # Outlook stores a birthday as a date-time (noon UTC); the date is what counts.
        birthday=birthday[:10] if birthday else None,
        personalNotes=notes,
    )


def _summary_fields(item: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(item.get("id"), str):
        raise graph_errors.malformed()
    return {
        "id": item["id"],
        "displayName": _text(item, "displayName"),
        "emailAddresses": _emails(item.get("emailAddresses")),
        "mobilePhone": _text(item, "mobilePhone"),
        "businessPhones": strings(item.get("businessPhones")),
        "companyName": _text(item, "companyName"),
        "jobTitle": _text(item, "jobTitle"),
    }


def _emails(value: Any) -> list[str]:
    entries = value if isinstance(value, list) else []
    addresses = (_text(entry, "address") for entry in entries if isinstance(entry, dict))
    return [address for address in addresses if address]


def _address_line(value: Any) -> str:
    """Graph's physicalAddress as one line: street, postal code and city, state, country."""
    if not isinstance(value, dict):
        return ""
    city = " ".join(filter(None, (_text(value, "postalCode"), _text(value, "city"))))
    parts = (_text(value, "street"), city, _text(value, "state"), _text(value, "countryOrRegion"))
    return ", ".join(part.replace("\r\n", ", ").replace("\n", ", ") for part in parts if part)


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value if isinstance(value, str) and value else None

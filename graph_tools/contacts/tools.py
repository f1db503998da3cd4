"""The contacts and people tools: declarations and their short text renderings."""

from __future__ import annotations

from graph_tools.contacts import selectors, services
from graph_tools.contacts.schemas import (
    NOTES_LIMIT,
    Contact,
    ContactList,
    ContactRef,
    ContactSummary,
    CreateContactInput,
    GetContactInput,
    GetContactsInput,
    GetUserProfileInput,
    PeopleList,
    SearchPeopleInput,
    UpdateContactInput,
    UserProfile,
)
from graph_tools.tooling import Tool


def _joined(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


def _contact_line(contact: ContactSummary) -> str:
    email = next(iter(contact.emailAddresses), None)
    phone = contact.mobilePhone or next(iter(contact.businessPhones), None)
    name = contact.displayName or "(no name)"
    return f"- {_joined(name, email, contact.companyName, phone)} (id: {contact.id})"


def render_contact_list(output: ContactList) -> str:
    count = len(output.contacts)
    lines = [f"{count} contact{'' if count == 1 else 's'}.", *map(_contact_line, output.contacts)]
    if output.nextCursor:
        lines.append("More: call again with cursor=nextCursor.")
    return "\n".join(lines)


def render_contact(output: Contact) -> str:
    emails = ", ".join(output.emailAddresses)
    phones = ", ".join(filter(None, [output.mobilePhone, *output.businessPhones]))
    lines = [
        f"{output.displayName or '(no name)'} (id: {output.id})",
        _joined(output.jobTitle, output.department, output.companyName),
        _joined(emails, phones),
    ]
    if len(output.personalNotes) > NOTES_LIMIT:  # only a trimmed text is longer
        lines.append(f"Notes trimmed at {NOTES_LIMIT} characters: read on with notesOffset.")
    return "\n".join(line for line in lines if line)


def render_created(output: ContactRef) -> str:
    return f"Created contact {output.displayName or '(no name)'} (id: {output.id})."


def render_updated(output: ContactRef) -> str:
    return f"Updated contact {output.displayName or '(no name)'} (id: {output.id})."


def render_people(output: PeopleList) -> str:
    count = len(output.people)
    lines = [f"{count} {'person' if count == 1 else 'people'}, most relevant first."]
    for person in output.people:
        email = next(iter(person.emailAddresses), None)
        role = ", ".join(filter(None, [person.jobTitle, person.department]))
        lines.append(f"- {_joined(person.displayName, email, role, person.officeLocation)}")
    return "\n".join(lines)


def render_profile(output: UserProfile) -> str:
    role = ", ".join(filter(None, [output.jobTitle, output.department]))
    address = output.mail or output.userPrincipalName
    lines = [_joined(output.displayName, address, role, output.officeLocation)]
    manager = output.manager
    if manager is not None:
        lines.append(f"Manager: {_joined(manager.displayName, manager.mail, manager.jobTitle)}")
    else:
        lines.append(output.note or "Manager: none.")
    return "\n".join(lines)


TOOLS: tuple[Tool, ...] = (
    Tool(
        name="getContacts",
        description="List or search the person's own Outlook contacts by name or e-mail.",
        scope="contacts.read",
        toolset="contacts",
        input_model=GetContactsInput,
        output_model=ContactList,
        run=selectors.contacts_list,
        render=render_contact_list,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getContact",
        description="Get one Outlook contact with all its details.",
        scope="contacts.read",
        toolset="contacts",
        input_model=GetContactInput,
        output_model=Contact,
        run=selectors.contact_get,
        render=render_contact,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="createContact",
        description="Add a new contact to the person's Outlook contacts.",
        scope="contacts.write",
        toolset="contacts",
        input_model=CreateContactInput,
        output_model=ContactRef,
        run=services.contact_create,
        render=render_created,
    ),
    Tool(
        name="updateContact",
        description="Change an Outlook contact; fields left out stay unchanged.",
        scope="contacts.write",
        toolset="contacts",
        input_model=UpdateContactInput,
        output_model=ContactRef,
        run=services.contact_update,
        render=render_updated,
        idempotent=True,
    ),
    Tool(
        name="searchPeople",
        description="Find colleagues by name, most relevant first (e.g. 'who is Anna from "
        "finance').",
        scope="people.read",
        toolset="people",
        input_model=SearchPeopleInput,
        output_model=PeopleList,
        run=selectors.people_search,
        render=render_people,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getUserProfile",
        description="Get the signed-in person's or a colleague's profile and manager.",
        scope="people.read",
        toolset="people",
        input_model=GetUserProfileInput,
        output_model=UserProfile,
        run=selectors.user_profile_get,
        render=render_profile,
        read_only=True,
        idempotent=True,
    ),
)

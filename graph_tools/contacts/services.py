"""Writes: creating and changing the person's Outlook contacts (Contacts.ReadWrite).

``POST /me/contacts`` answers 201 with the new contact and ``PATCH /me/contacts/{id}`` 200
with the changed one (G-API:user-post-contacts, contact-update); the tools return its id and
name only (getContact has the rest). Graph derives displayName from the names, so it is never
sent: a set one would go stale when a name changes.
"""

from __future__ import annotations

from graph_tools.client import GraphClient
from graph_tools.contacts.schemas import ContactRef, CreateContactInput, UpdateContactInput
from graph_tools.contacts.selectors import contact_ref
from graph_tools.tooling import segment


def contact_create(graph: GraphClient, args: CreateContactInput) -> ContactRef:
    # Not retried after a 503: a POST that did reach Exchange would leave a duplicate.
    body = graph.post("/me/contacts", args.graph_fields())
    return contact_ref(body)


def contact_update(graph: GraphClient, args: UpdateContactInput) -> ContactRef:
    # Setting the same values twice changes nothing, so a PATCH may be sent again.
    body = graph.patch(
        f"/me/contacts/{segment(args.contactId)}", args.graph_fields(), idempotent=True
    )
    return contact_ref(body)

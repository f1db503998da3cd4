"""The fake mailbox's data: folders and messages in Graph's shapes, ids, lookups, projections.

A person's collections: ``mailFolders`` (``_wellKnownName`` marks the well-known ones),
``messages`` (every folder's, each with ``parentFolderId``; its attachments under
``attachments``, which Graph only returns with $expand) and ``uploadSessions``. Keys starting
with ``_`` are the fake's own and never leave it.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from typing import Any

from tests.fakes.graph import GraphCall, GraphError
from tests.fakes.graph_items import (
    change_stamp,
    item_not_found,
    now_iso,
    outlook_id,
    unknown_property,
)
from tests.fakes.people import Person
from tests.fakes.state import Collections

# Well-known folder names Graph accepts in place of ids (wire shapes §2A), and their names.
WELL_KNOWN_FOLDERS = {
    "inbox": "Inbox",
    "drafts": "Drafts",
    "sentitems": "Sent Items",
    "deleteditems": "Deleted Items",
    "archive": "Archive",
    "junkemail": "Junk Email",
    "outbox": "Outbox",
}
# Outlook ids are base64 (with + / =); anything else is "malformed" (wire shapes §2).
OUTLOOK_ID = re.compile(r"^[A-Za-z0-9+/=_-]{8,}$")
FULL_READ = frozenset({"Mail.Read", "Mail.ReadWrite"})  # Mail.ReadBasic gets no bodies
BODY_PROPERTIES = ("body", "bodyPreview", "uniqueBody")
# The message properties $select may name (message resource type, v1.0).
MESSAGE_PROPERTIES = (
    "id",
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "categories",
    "receivedDateTime",
    "sentDateTime",
    "hasAttachments",
    "internetMessageId",
    "subject",
    "bodyPreview",
    "importance",
    "parentFolderId",
    "conversationId",
    "conversationIndex",
    "isDeliveryReceiptRequested",
    "isReadReceiptRequested",
    "isRead",
    "isDraft",
    "webLink",
    "inferenceClassification",
    "body",
    "uniqueBody",
    "sender",
    "from",
    "toRecipients",
    "ccRecipients",
    "bccRecipients",
    "replyTo",
    "flag",
)
_serial = itertools.count(1)


def fresh_id(person: Person, kind: str) -> str:
    return outlook_id(person.key, kind, next(_serial))


def checked_id(value: str) -> str:
    if not OUTLOOK_ID.match(value):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
    return value


def folder_find(data: Collections, ref: str) -> dict[str, Any]:
    """A folder by well-known name (any case) or id."""
    well_known = ref.lower() if ref.lower() in WELL_KNOWN_FOLDERS else None
    for folder in data.get("mailFolders", []):
        if folder["id"] == ref or (well_known and folder.get("_wellKnownName") == well_known):
            return folder
    if well_known is None:
        checked_id(ref)
    raise item_not_found()


def message_find(data: Collections, message_id: str) -> dict[str, Any]:
    for message in data.get("messages", []):
        if message.get("id") == message_id:
            return message
    checked_id(message_id)
    raise item_not_found()


def mailbox_of(call: GraphCall) -> str:
    return str(call.person.mail or call.person.username)


def address_of(person: Person) -> dict[str, Any]:
    return {"emailAddress": {"name": person.display_name, "address": person.mail}}


def recipient(name: str, address: str) -> dict[str, Any]:
    return {"emailAddress": {"name": name, "address": address}}


def addresses_in(recipients: Any) -> list[str]:
    """The addresses of Graph recipients; a recipient without one is invalid (§3.1)."""
    if recipients is None:
        return []
    if not isinstance(recipients, list):
        raise invalid_recipients("Recipient is not resolved.")
    found = []
    for item in recipients:
        email = item.get("emailAddress") if isinstance(item, dict) else None
        address = email.get("address") if isinstance(email, dict) else None
        if not isinstance(address, str) or "@" not in address:
            raise invalid_recipients(f"Recipient '{str(address)[:100]}' is not resolved.")
        found.append(address)
    return found


def invalid_recipients(detail: str) -> GraphError:
    return GraphError(
        400,
        "ErrorInvalidRecipients",
        f"At least one recipient is not valid., {detail} All recipients must be resolved "
        "before a message can be submitted.",
        inner=False,
    )


def preview(body: dict[str, Any]) -> str:
    content = str(body.get("content", ""))
    if str(body.get("contentType", "")).lower() == "html":
        content = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", content, flags=re.S | re.I)
        content = re.sub(r"<[^>]+>", " ", content)
    return " ".join(content.split())[:255]


def message_new(
    person: Person,
    folder: dict[str, Any],
    *,
    subject: str,
    body: dict[str, Any],
    sender: dict[str, Any],
    to: list[dict[str, Any]],
    at: str,
    **extra: Any,
) -> dict[str, Any]:
    """A message as Graph stores it (G-API:message-get's full object)."""
    message_id = extra.pop("id", None) or fresh_id(person, "message")
    message: dict[str, Any] = {
        "id": message_id,
        "createdDateTime": at,
        "categories": [],
        "receivedDateTime": at,
        "sentDateTime": at,
        "hasAttachments": False,
        "internetMessageId": f"<{outlook_id(message_id, size=12)[6:]}@{person.tenant.domain}>",
        "subject": subject,
        "bodyPreview": preview(body),
        "importance": "normal",
        "parentFolderId": folder["id"],
        "conversationId": outlook_id(subject.removeprefix("RE: "), "conversation", size=24),
        "isDeliveryReceiptRequested": False,
        "isReadReceiptRequested": False,
        "isRead": True,
        "isDraft": False,
        "webLink": f"https://outlook.office365.com/owa/?ItemID={message_id}"
        "&exvsurl=1&viewmodel=ReadMessageItem",
        "inferenceClassification": "focused",
        "body": body,
        "sender": sender,
        "from": sender,
        "toRecipients": to,
        "ccRecipients": [],
        "bccRecipients": [],
        "replyTo": [],
        "flag": {"flagStatus": "notFlagged"},
        "attachments": [],
    }
    change_stamp(message, at)
    message.update(extra)
    message["hasAttachments"] = bool(message["attachments"])
    return message


def file_attachment(
    person: Person, name: str, content_type: str, data: bytes, **extra: Any
) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "id": extra.pop("id", None) or fresh_id(person, "attachment"),
        "lastModifiedDateTime": extra.pop("at", None) or now_iso(),
        "name": name,
        "contentType": content_type,
        "size": len(data),
        "isInline": False,
        "contentId": None,
        "contentLocation": None,
        "contentBytes": base64.b64encode(data).decode(),
        **extra,
    }


def message_visible(call: GraphCall, message: dict[str, Any]) -> dict[str, Any]:
    """What Graph shows of a stored message (no attachments, no fake-only keys)."""
    hidden = set() if call.permissions & FULL_READ else set(BODY_PROPERTIES)
    return {
        key: value
        for key, value in message.items()
        if not key.startswith("_") and key != "attachments" and key not in hidden
    }


def projected(
    call: GraphCall, item: dict[str, Any], names: list[str] | None, known: tuple[str, ...]
) -> dict[str, Any]:
    """``item`` with only the ``$select``ed properties (G-QP): ids and etags always come."""
    if names is None:
        return item
    lookup = {name.lower(): name for name in known}
    chosen = [_property(lookup, name) for name in names]
    kept = {key: item[key] for key in ("@odata.type", "@odata.etag", "id") if key in item}
    kept.update({name: item.get(name) for name in chosen if name not in kept})
    return kept


def _property(lookup: dict[str, str], name: str) -> str:
    canonical = lookup.get(name.lower())
    if canonical is None:
        raise unknown_property(name, "microsoft.graph.message")
    return canonical


def folder_counted(data: Collections, folder: dict[str, Any]) -> dict[str, Any]:
    """A folder with the counts Graph computes from its contents."""
    inside = [m for m in data.get("messages", []) if m.get("parentFolderId") == folder["id"]]
    children = [f for f in data.get("mailFolders", []) if f.get("parentFolderId") == folder["id"]]
    return {
        **{key: value for key, value in folder.items() if not key.startswith("_")},
        "childFolderCount": len(children),
        "unreadItemCount": sum(1 for m in inside if not m.get("isRead")),
        "totalItemCount": len(inside),
        "sizeInBytes": sum(len(json.dumps(m)) for m in inside),
    }

"""Graph mail writes of the fake (wire shapes §2A): sendMail, reply/replyAll/forward, drafts
and their send, move, PATCH, DELETE, attachments and upload sessions.

What a write does is kept in the caller's collections in Graph's shapes, so a test can check
it in ``fake.graph_data(person)``: sent mail lands in Sent Items with its recipients and
attachments (contentBytes), a move gives the message a new id, and so on.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route
from tests.fakes.graph_items import change_stamp, json_object, now_iso
from tests.fakes.graph_mail_store import (
    address_of,
    addresses_in,
    file_attachment,
    folder_find,
    fresh_id,
    invalid_recipients,
    mailbox_of,
    message_find,
    message_new,
    message_visible,
    preview,
)

SEND = ("Mail.Send",)
WRITE = ("Mail.ReadWrite",)
UPLOAD_MIN_BYTES = 3 * 1024 * 1024  # smaller files are POSTed (attachment-createuploadsession)
UPLOAD_MAX_BYTES = 150 * 1024 * 1024
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
PATCHABLE = frozenset(
    {"isRead", "flag", "categories", "importance", "inferenceClassification", "subject", "body"}
    | {"toRecipients", "ccRecipients", "bccRecipients", "replyTo"}
)
FLAG_STATUSES = ("notFlagged", "complete", "flagged")


def _sent(call: GraphCall, message: dict[str, Any]) -> None:
    """File a message that was just sent in Sent Items, as Outlook does."""
    sent = folder_find(call.data, "sentitems")
    at = now_iso()
    message.update(
        parentFolderId=sent["id"], isDraft=False, isRead=True, sentDateTime=at,
        receivedDateTime=at, lastModifiedDateTime=at, id=fresh_id(call.person, "message"),
    )  # fmt: skip
    call.data.setdefault("messages", []).append(message)


def _from_json(call: GraphCall, payload: Any, *, draft: bool) -> dict[str, Any]:
    """A message built from a request's JSON (sendMail's ``message``, POST /me/messages)."""
    if not isinstance(payload, dict):
        raise GraphError(400, "ErrorInvalidRequest", "The message is missing.")
    recipients = {
        k: payload.get(k) or [] for k in ("toRecipients", "ccRecipients", "bccRecipients")
    }
    for value in recipients.values():
        addresses_in(value)
    body = payload.get("body") or {"contentType": "text", "content": ""}
    if not isinstance(body, dict):
        raise GraphError(400, "ErrorInvalidRequest", "The body is not valid.")
    body = {**body, "contentType": str(body.get("contentType", "text")).lower()}
    folder = folder_find(call.data, "drafts")
    return message_new(
        call.person, folder, subject=str(payload.get("subject") or ""), body=body,
        sender=address_of(call.person), to=recipients["toRecipients"],
        ccRecipients=recipients["ccRecipients"], bccRecipients=recipients["bccRecipients"],
        at=now_iso(), isDraft=draft,
        attachments=[_attachment_in(call, item) for item in payload.get("attachments") or []],
    )  # fmt: skip


def _attachment_in(call: GraphCall, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or item.get("@odata.type") != "#microsoft.graph.fileAttachment":
        raise GraphError(400, "ErrorInvalidRequest", "Only file attachments are supported here.")
    try:
        data = base64.b64decode(str(item.get("contentBytes", "")), validate=True)
    except binascii.Error:
        raise GraphError(
            400, "ErrorInvalidRequest", "The contentBytes value is not valid base64."
        ) from None
    name, kind = str(item.get("name") or ""), str(item.get("contentType") or "")
    if not name:
        raise GraphError(400, "ErrorInvalidRequest", "An attachment needs a name.")
    return file_attachment(call.person, name, kind or "application/octet-stream", data)


def _all_recipients(message: dict[str, Any]) -> list[str]:
    return [
        *addresses_in(message["toRecipients"]),
        *addresses_in(message["ccRecipients"]),
        *addresses_in(message["bccRecipients"]),
    ]


def send_mail(call: GraphCall) -> GraphReply:
    payload = json_object(call)
    message = _from_json(call, payload.get("message"), draft=False)
    if not _all_recipients(message):
        raise invalid_recipients("A message can't be sent because it contains no recipients.")
    if str(payload.get("saveToSentItems", True)).lower() != "false":
        _sent(call, message)
    return GraphReply(202)


def draft_create(call: GraphCall) -> GraphReply:
    message = _from_json(call, json_object(call), draft=True)
    call.data.setdefault("messages", []).append(message)
    return GraphReply(201, message_visible(call, message))


def draft_send(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    if not message.get("isDraft"):
        raise GraphError(400, "ErrorInvalidOperation", "Only draft messages can be sent.")
    if not _all_recipients(message):
        raise invalid_recipients("A message can't be sent because it contains no recipients.")
    call.data["messages"].remove(message)
    _sent(call, message)
    return GraphReply(202)


def reply(call: GraphCall) -> GraphReply:
    return _respond(call, reply_all=False)


def reply_all(call: GraphCall) -> GraphReply:
    return _respond(call, reply_all=True)


def _respond(call: GraphCall, *, reply_all: bool) -> GraphReply:
    original = message_find(call.data, call.params["id"])
    payload = json_object(call)
    extra = _inner_message(payload)
    if "comment" in payload and "body" in extra:
        raise GraphError(400, "ErrorInvalidRequest", "Specify either comment or message body.")
    me = mailbox_of(call).lower()
    # Replies go to replyTo when it is set, else to the sender (§2A, "Reply / forward").
    to = list(original.get("replyTo") or [original["from"]])
    cc: list[dict[str, Any]] = []
    if reply_all:
        to += original.get("toRecipients") or []
        cc = list(original.get("ccRecipients") or [])
    to, cc = ([r for r in group if addresses_in([r])[0].lower() != me] for group in (to, cc))
    _sent(call, _derived(call, original, "RE: ", str(payload.get("comment", "")), to, cc))
    return GraphReply(202)


def _inner_message(payload: dict[str, Any]) -> dict[str, Any]:
    inner = payload.get("message")
    return inner if isinstance(inner, dict) else {}


def forward(call: GraphCall) -> GraphReply:
    original = message_find(call.data, call.params["id"])
    payload = json_object(call)
    extra = _inner_message(payload)
    # Exactly one of toRecipients and message.toRecipients (§2A, "Reply / forward").
    if ("toRecipients" in payload) == ("toRecipients" in extra):
        raise GraphError(
            400, "ErrorInvalidRecipients", "Specify toRecipients or message.toRecipients."
        )
    to = payload.get("toRecipients") or extra.get("toRecipients") or []
    if not addresses_in(to):
        raise invalid_recipients("A message can't be sent because it contains no recipients.")
    message = _derived(call, original, "FW: ", str(payload.get("comment", "")), to, [])
    message["attachments"] = copy.deepcopy(original.get("attachments", []))
    message["hasAttachments"] = bool(message["attachments"])
    _sent(call, message)
    return GraphReply(202)


def _derived(
    call: GraphCall,
    original: dict[str, Any],
    prefix: str,
    comment: str,
    to: list[dict[str, Any]],
    cc: list[dict[str, Any]],
) -> dict[str, Any]:
    subject = str(original.get("subject", ""))
    quoted = str((original.get("body") or {}).get("content", ""))
    body = {"contentType": "html", "content": f"<p>{comment}</p><hr>{quoted}"}
    return message_new(
        call.person, folder_find(call.data, "sentitems"),
        subject=subject if subject.startswith(prefix) else prefix + subject, body=body,
        sender=address_of(call.person), to=to, ccRecipients=cc, at=now_iso(),
        conversationId=original.get("conversationId"),
    )  # fmt: skip


def message_move(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    destination = json_object(call).get("destinationId")
    if not isinstance(destination, str):
        raise GraphError(400, "ErrorInvalidRequest", "destinationId is required.")
    folder = folder_find(call.data, destination)
    # A move to another folder gives the item a new id (Exchange copies, then deletes).
    message.update(
        parentFolderId=folder["id"],
        id=fresh_id(call.person, "message"),
        lastModifiedDateTime=now_iso(),
    )
    return GraphReply(201, message_visible(call, message))


def message_patch(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    changes = json_object(call)
    unknown = sorted(set(changes) - PATCHABLE)
    if unknown:
        raise GraphError(
            400,
            "ErrorInvalidPropertyRequest",
            f"The property '{unknown[0][:50]}' cannot be set.",
        )
    flag = changes.get("flag")
    if flag is not None and (
        not isinstance(flag, dict) or flag.get("flagStatus") not in FLAG_STATUSES
    ):
        raise GraphError(400, "ErrorInvalidRequest", "The flag is not valid.")
    if "body" in changes and not message.get("isDraft"):
        raise GraphError(400, "ErrorInvalidOperation", "Only a draft's body can change.")
    message.update(changes)
    change_stamp(message, now_iso())
    if "body" in changes:
        message["bodyPreview"] = preview(message["body"])
    return GraphReply(200, message_visible(call, message))


def message_delete(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    call.data["messages"].remove(message)
    return GraphReply(204)


def attachment_add(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    attachment = _attachment_in(call, json_object(call))
    message.setdefault("attachments", []).append(attachment)
    message["hasAttachments"] = True
    return GraphReply(201, attachment)


# --- upload sessions (attachment-createuploadsession) --------------------------------------


def upload_session_create(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    item = json_object(call).get("AttachmentItem")
    if not isinstance(item, dict) or item.get("attachmentType") != "file":
        raise GraphError(400, "ErrorInvalidRequest", "AttachmentItem of type file is required.")
    size, name = item.get("size"), item.get("name")
    if not isinstance(name, str) or not name or not isinstance(size, int):
        raise GraphError(400, "ErrorInvalidRequest", "AttachmentItem needs a name and a size.")
    if size < UPLOAD_MIN_BYTES:
        raise GraphError(
            400,
            "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
            "Attachment size must be greater than the minimum size.",
        )
    if size > UPLOAD_MAX_BYTES:
        raise GraphError(
            400, "ErrorAttachmentSizeExceedsLimit", "The attachment is larger than 150 MB."
        )  # code unverified
    session = {
        "id": secrets.token_hex(16),
        "secret": secrets.token_urlsafe(24),
        "messageId": message["id"],
        "name": name,
        "contentType": str(item.get("contentType") or "application/octet-stream"),
        "size": size,
        "received": b"",
        "expirationDateTime": _in_hours(6),
    }
    call.data.setdefault("uploadSessions", []).append(session)
    url = f"{call.base_url}/_fake/uploads/{call.person.oid}/{session['id']}"
    body = {
        "@odata.context": f"{call.base_url}/$metadata#microsoft.graph.uploadSession",
        "uploadUrl": f"{url}?authtoken={session['secret']}",
        "expirationDateTime": session["expirationDateTime"],
        "nextExpectedRanges": ["0-"],
    }
    return GraphReply(201, body)


def _in_hours(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def upload_put(call: GraphCall) -> GraphReply:
    """PUT a chunk to the upload URL: no bearer token, the URL's authtoken instead."""
    sessions = call.data.get("uploadSessions", [])
    session = next((s for s in sessions if s["id"] == call.params["session"]), None)
    token = call.request.query.get("authtoken", "")
    if session is None or not secrets.compare_digest(token, session["secret"]):
        raise GraphError(404, "ErrorItemNotFound", "The upload session was not found.")
    chunk = call.request.body
    found = CONTENT_RANGE.match(call.request.header("content-range"))
    start, end, total = (int(part) for part in found.groups()) if found else (-1, -1, -1)
    if (
        start != len(session["received"])
        or end - start + 1 != len(chunk)
        or total != session["size"]
    ):
        raise GraphError(416, "ErrorInvalidRange", "The Content-Range does not match the session.")
    session["received"] += chunk
    if len(session["received"]) < session["size"]:
        nxt = len(session["received"])
        return GraphReply(200, {"expirationDateTime": session["expirationDateTime"],
                                "nextExpectedRanges": [f"{nxt}"]})  # fmt: skip
    call.data["uploadSessions"].remove(session)
    message = message_find(call.data, session["messageId"])
    data = session["received"]
    attachment = file_attachment(call.person, session["name"], session["contentType"], data)
    message.setdefault("attachments", []).append(attachment)
    message["hasAttachments"] = True
    location = f"{call.base_url}/me/messages/{message['id']}/attachments/{attachment['id']}"
    return GraphReply(201, None, {"Location": location})


ROUTES = (
    graph_route("POST", "/me/sendMail", any_of=SEND, family="outlook", handler=send_mail),
    graph_route("POST", "/me/messages", any_of=WRITE, family="outlook", handler=draft_create),
    graph_route(
        "PATCH", "/me/messages/{id}", any_of=WRITE, family="outlook", handler=message_patch
    ),
    graph_route(
        "DELETE", "/me/messages/{id}", any_of=WRITE, family="outlook", handler=message_delete
    ),
    graph_route(
        "POST", "/me/messages/{id}/send", any_of=SEND, family="outlook", handler=draft_send
    ),
    graph_route("POST", "/me/messages/{id}/reply", any_of=SEND, family="outlook", handler=reply),
    graph_route(
        "POST", "/me/messages/{id}/replyAll", any_of=SEND, family="outlook", handler=reply_all
    ),
    graph_route(
        "POST", "/me/messages/{id}/forward", any_of=SEND, family="outlook", handler=forward
    ),
    graph_route(
        "POST", "/me/messages/{id}/move", any_of=WRITE, family="outlook", handler=message_move
    ),
    graph_route(
        "POST",
        "/me/messages/{id}/attachments",
        any_of=WRITE,
        family="outlook",
        handler=attachment_add,
    ),
    graph_route(
        "POST",
        "/me/messages/{id}/attachments/createUploadSession",
        any_of=WRITE,
        family="outlook",
        handler=upload_session_create,
    ),
    graph_route(
        "PUT",
        "/_fake/uploads/{person}/{session}",
        any_of=(),
        family="outlook",
        handler=upload_put,
        bearer=False,
    ),
)

"""Reading mail: folders, message lists, search, one message, attachments (Mail.Read)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from pydantic import TypeAdapter, ValidationError

from graph_tools import graph_errors
from graph_tools.client import GraphClient
from graph_tools.mail.schemas import (
    AttachmentFile,
    AttachmentInfo,
    AttachmentList,
    FolderList,
    Message,
    MessageList,
)
from graph_tools.mail.shapes import (
    ATTACHMENT_FIELDS,
    FOLDER_FIELDS,
    SUMMARY_FIELDS,
    MailRefused,
    addresses,
    attachment_info,
    instant,
    mail_folder,
    message_summary,
)
from graph_tools.mailbox import CACHE_SECONDS, mailbox_time_zone
from graph_tools.paging import Page, page_get
from graph_tools.replies import graph_object, mailbox_text, text
from graph_tools.text import body_text, trimmed
from graph_tools.tooling import File, GraphId, segment
from graph_tools.zones import known_zone

MESSAGE_FIELDS = (
    "id,subject,from,toRecipients,ccRecipients,bccRecipients,replyTo,sentDateTime,"
    "receivedDateTime,internetMessageId,webLink,body"
)
FOLDER_PAGE = 50
# Downloads above this stay in Outlook: they travel base64 inside one MCP result.
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
ATTACHMENT_URI = "microsoft://mail/messages/{messageId}/attachments/{attachmentId}"


def times_zone(graph: GraphClient, given: str | None) -> str:
    """The zone a result's times are shown in: the one asked for, else the mailbox's."""
    return known_zone(given or mailbox_time_zone(graph))


def message_list(graph: GraphClient, page: Page, time_zone: str | None) -> MessageList:
    zone = times_zone(graph, time_zone)  # after the read: a failed read costs no look-up
    messages = [message_summary(item, zone) for item in page.items]
    return MessageList(messages=messages, nextCursor=page.next_cursor, timeZone=zone)


def messages_list(
    graph: GraphClient, *, folder: str, count: int, cursor: str | None, time_zone: str | None
) -> MessageList:
    page = page_get(
        graph,
        f"/me/mailFolders/{segment(folder)}/messages",
        listing=f"messages:{folder}",
        cursor=cursor,
        params={
            "$top": str(count),
            "$select": SUMMARY_FIELDS,
            "$orderby": "receivedDateTime desc",
        },
    )
    return message_list(graph, page, time_zone)


def messages_search(
    graph: GraphClient, *, query: str, count: int, cursor: str | None, time_zone: str | None
) -> MessageList:
    # Graph sorts search results itself: $orderby with $search is a 400 SearchWithOrderBy.
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    page = page_get(
        graph,
        "/me/messages",
        listing=f"search:{digest}",
        cursor=cursor,
        params={"$search": search_term(query), "$top": str(count), "$select": SUMMARY_FIELDS},
    )
    return message_list(graph, page, time_zone)


def search_term(query: str) -> str:
    """The KQL query as ``$search`` wants it: one double-quoted string (wire shapes §2A)."""
    escaped = query.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def message_get(
    graph: GraphClient, *, message_id: str, body_offset: int, max_chars: int, time_zone: str | None
) -> Message:
    item = graph_object(
        graph.get(
            f"/me/messages/{segment(message_id)}",
            params={
                "$select": MESSAGE_FIELDS,
                "$expand": f"attachments($select={ATTACHMENT_FIELDS})",
            },
        )
    )
    full_text = body_text(item.get("body"))
    body, truncated = trimmed(full_text[body_offset:], max_chars)
    attachments = item.get("attachments")
    zone = times_zone(graph, time_zone)
    return Message(
        id=text(item.get("id")),
        subject=text(item.get("subject")),
        **{"from": mailbox_text(item.get("from"))},
        to=addresses(item.get("toRecipients")),
        cc=addresses(item.get("ccRecipients")),
        bcc=addresses(item.get("bccRecipients")),
        replyTo=addresses(item.get("replyTo")),
        sentDateTime=instant(item.get("sentDateTime"), zone),
        receivedDateTime=instant(item.get("receivedDateTime"), zone),
        internetMessageId=text(item.get("internetMessageId")),
        webLink=text(item.get("webLink")),
        attachments=[attachment_info(a) for a in attachments or []],
        body=body,
        bodyLength=len(full_text),
        bodyTruncated=truncated,
        nextBodyOffset=body_offset + max_chars if truncated else None,
        timeZone=zone,
    )


def folders_list(graph: GraphClient, *, parent: str | None, cursor: str | None) -> FolderList:
    path = f"/me/mailFolders/{segment(parent)}/childFolders" if parent else "/me/mailFolders"
    page = page_get(
        graph,
        path,
        listing=f"folders:{parent or ''}",
        cursor=cursor,
        params={"$top": str(FOLDER_PAGE), "$select": FOLDER_FIELDS},
    )
    folders = [mail_folder(item) for item in page.items]
    return FolderList(folders=folders, nextCursor=page.next_cursor)


def message_brief(graph: GraphClient, *, message_id: str) -> dict[str, Any]:
    """Subject, sender and recipients of one message (no body): what a question names."""
    fields = "subject,from,replyTo,toRecipients,ccRecipients,bccRecipients"
    path = f"/me/messages/{segment(message_id)}"
    return graph_object(graph.get(path, params={"$select": fields}))


def deleted_items_id(graph: GraphClient) -> str:
    """The id of the person's Deleted Items (``GET /me/mailFolders/deleteditems``), cached for
    an hour like the mailbox zone: a folder keeps its id."""
    key = f"graph_tools:deleted-items-id:{graph.user.pk}"
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    folder = graph_object(graph.get("/me/mailFolders/deleteditems", params={"$select": "id"}))
    folder_id = text(folder.get("id"))
    if not folder_id:
        raise graph_errors.malformed()
    cache.set(key, folder_id, CACHE_SECONDS)
    return folder_id


def attachments_list(graph: GraphClient, *, message_id: str) -> AttachmentList:
    # One reply holds all of a message's attachments: Graph does not page this collection
    # (it ignores $top and $skip there; msgraph-metadata#321), so there is no cursor.
    path = f"/me/messages/{segment(message_id)}/attachments"
    items = graph_object(graph.get(path, params={"$select": ATTACHMENT_FIELDS})).get("value")
    if not isinstance(items, list):
        raise graph_errors.malformed()
    return AttachmentList(attachments=[attachment_info(item) for item in items])


@dataclass(frozen=True)
class Download:
    info: AttachmentInfo
    data: bytes | None  # None: not downloadable (see note)
    note: str | None


def attachment_download(graph: GraphClient, *, message_id: str, attachment_id: str) -> Download:
    """The attachment's metadata first, so a large file is never pulled through the server."""
    path = f"/me/messages/{segment(message_id)}/attachments/{segment(attachment_id)}"
    info = attachment_info(graph.get(path, params={"$select": ATTACHMENT_FIELDS}))
    if info.kind != "file":
        note = (
            f"This is an {info.kind} attachment (an attached Outlook item or a link to a "
            "cloud file); it cannot be downloaded as a file. Open the message in Outlook."
        )
        return Download(info, None, note)
    if info.size > MAX_DOWNLOAD_BYTES:
        return Download(info, None, _too_large(graph, message_id, info.size))
    # Without $select the fileAttachment carries its bytes, base64 (contentBytes).
    content = graph_object(graph.get(path)).get("contentBytes")
    try:
        data = base64.b64decode(text(content), validate=True)
    except binascii.Error:
        raise graph_errors.malformed() from None
    return Download(info, data, None)


def _too_large(graph: GraphClient, message_id: str, size: int) -> str:
    message = graph_object(
        graph.get(f"/me/messages/{segment(message_id)}", params={"$select": "webLink"})
    )
    return (
        f"The attachment is {size} bytes, above this server's download limit of "
        f"{MAX_DOWNLOAD_BYTES} bytes (10 MiB). The person can open it in Outlook: "
        f"{text(message.get('webLink'))}"
    )


def attachment_get(graph: GraphClient, *, message_id: str, attachment_id: str) -> AttachmentFile:
    download = attachment_download(graph, message_id=message_id, attachment_id=attachment_id)
    output = AttachmentFile(**download.info.model_dump(), note=download.note)
    if download.data is not None:
        uri = attachment_uri(message_id, attachment_id)
        mime = download.info.contentType or "application/octet-stream"
        output.attach(File(uri, download.info.name, mime, download.data))
    return output


def attachment_uri(message_id: str, attachment_id: str) -> str:
    return ATTACHMENT_URI.format(
        messageId=quote(message_id, safe=""), attachmentId=quote(attachment_id, safe="")
    )


_GRAPH_ID: TypeAdapter[str] = TypeAdapter(GraphId)


def attachment_read(graph: GraphClient, params: dict[str, str]) -> bytes:
    """``resources/read`` of ATTACHMENT_URI: the file's bytes, with getAttachment's limits."""
    try:
        message_id = _GRAPH_ID.validate_python(params.get("messageId"))
        attachment_id = _GRAPH_ID.validate_python(params.get("attachmentId"))
    except ValidationError:
        raise MailRefused(
            "The attachment URI is not valid: use the uri getAttachment returned."
        ) from None
    download = attachment_download(graph, message_id=message_id, attachment_id=attachment_id)
    if download.data is None:
        raise MailRefused(download.note or "The attachment cannot be downloaded.")
    return download.data

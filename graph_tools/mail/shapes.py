"""Outlook's JSON (wire shapes §2A, message resource) to the mail tools' results, and back.

Graph replies are network input: a field of the wrong type becomes an empty value here rather
than a crash, and a reply that is not an object at all is reported as malformed.
"""

from __future__ import annotations

from typing import Any

from graph_tools.mail.schemas import (
    AttachmentInfo,
    AttachmentKind,
    CreateDraftInput,
    MailFolder,
    MessageSummary,
    SendEmailInput,
)
from graph_tools.replies import graph_object, mailbox_text, recipient_address, text
from graph_tools.zones import local_time

SUMMARY_FIELDS = "id,subject,from,receivedDateTime,isRead,hasAttachments,flag,bodyPreview"
ATTACHMENT_FIELDS = "id,name,contentType,size,isInline"
FOLDER_FIELDS = "id,displayName,unreadItemCount,totalItemCount,childFolderCount"
ATTACHMENT_KINDS: dict[str, AttachmentKind] = {
    "#microsoft.graph.fileAttachment": "file",
    "#microsoft.graph.itemAttachment": "item",
    "#microsoft.graph.referenceAttachment": "reference",
}


class MailRefused(Exception):
    """The mail action cannot be done as asked; ``tool_message`` says why and what to do."""

    def __init__(self, tool_message: str) -> None:
        super().__init__(tool_message)
        self.tool_message = tool_message


def number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def addresses(recipients: Any) -> list[str]:
    if not isinstance(recipients, list):
        return []
    return [found for found in (mailbox_text(item) for item in recipients) if found]


def entries(recipients: Any) -> list[Any]:
    """A recipient list as Graph gave it (anything but a list: none)."""
    return list(recipients) if isinstance(recipients, list) else []


def plain_addresses(recipients: Any) -> list[str]:
    """Only the mail addresses (for policy checks); entries without one are left out."""
    found = (recipient_address(item) for item in entries(recipients))
    return [address for address in found if address]


def recipients(emails: list[str]) -> list[dict[str, Any]]:
    return [{"emailAddress": {"address": email}} for email in emails]


def instant(value: Any, zone: str) -> str:
    """A message time (always UTC at Graph, wire shapes §2) in ``zone``; not a time: empty."""
    try:
        return local_time(text(value), zone)
    except ValueError:
        return ""


def flag_status(message: dict[str, Any]) -> str:
    flag = message.get("flag")
    return text(flag.get("flagStatus")) if isinstance(flag, dict) else ""


def message_summary(item: dict[str, Any], zone: str) -> MessageSummary:
    return MessageSummary(
        id=text(item.get("id")),
        subject=text(item.get("subject")),
        **{"from": mailbox_text(item.get("from"))},
        receivedDateTime=instant(item.get("receivedDateTime"), zone),
        isRead=item.get("isRead") is True,
        hasAttachments=item.get("hasAttachments") is True,
        flag=flag_status(item),
        bodyPreview=text(item.get("bodyPreview")),
    )


def attachment_info(item: Any) -> AttachmentInfo:
    item = graph_object(item)
    return AttachmentInfo(
        id=text(item.get("id")),
        name=text(item.get("name")),
        contentType=text(item.get("contentType")),
        size=number(item.get("size")),
        isInline=item.get("isInline") is True,
        kind=ATTACHMENT_KINDS.get(text(item.get("@odata.type")), "file"),
    )


def mail_folder(item: dict[str, Any]) -> MailFolder:
    return MailFolder(
        id=text(item.get("id")),
        displayName=text(item.get("displayName")),
        unreadItemCount=number(item.get("unreadItemCount")),
        totalItemCount=number(item.get("totalItemCount")),
        childFolderCount=number(item.get("childFolderCount")),
    )


def new_message(args: SendEmailInput | CreateDraftInput) -> dict[str, Any]:
    """A message to send or save as a draft (POST /me/sendMail, POST /me/messages)."""
    content_type = "HTML" if args.contentType == "html" else "Text"
    return {
        "subject": args.subject,
        "body": {"contentType": content_type, "content": args.body},
        "toRecipients": recipients(args.to),
        "ccRecipients": recipients(args.cc),
        "bccRecipients": recipients(args.bcc),
    }

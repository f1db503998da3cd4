"""Writing mail: send, reply, forward, drafts, move, flag, delete.

Every tool that sends checks the recipients against M365_SEND_ALLOWED_DOMAINS before the
request that sends (policy.recipients_check); replies and drafts are read first, because
only the message knows who a reply or a draft goes to.
"""

from __future__ import annotations

import re
from typing import Any

from graph_tools.client import GraphClient
from graph_tools.mail.schemas import (
    ConfirmedMessageInput,
    CreateDraftInput,
    Draft,
    DraftSent,
    ForwardEmailInput,
    Moved,
    MoveEmailInput,
    ReplyToEmailInput,
    SendEmailInput,
    SentEmail,
    SentTo,
    Updated,
    UpdateEmailInput,
)
from graph_tools.mail.selectors import deleted_items_id
from graph_tools.mail.shapes import (
    MailRefused,
    entries,
    flag_status,
    new_message,
    plain_addresses,
    recipients,
)
from graph_tools.mail.uploads import file_attachment, fits_inline, send_with_uploads
from graph_tools.policy import read_recipients_check, recipients_check
from graph_tools.replies import graph_object, recipient_address, strings, text
from graph_tools.selectors import connection_get
from graph_tools.tooling import segment

DELETED_ITEMS = "deleteditems"
# Well-known folder names are letters only; Outlook folder ids are long base64 (wire shapes §2).
WELL_KNOWN_NAME = re.compile(r"^[A-Za-z]{1,64}$")
# Deleted Items and the Recoverable Items folders (root, deletions, versions, purges, ...), in
# the mailbox or its archive (EWS DistinguishedFolderIdNameType, which Graph's names follow).
DELETION_FOLDER = re.compile(r"^(archive)?(deleteditems|recoverableitems[a-z]*)$")


def mail_send(graph: GraphClient, args: SendEmailInput) -> SentEmail:
    recipients_check([*args.to, *args.cc, *args.bcc])
    message = new_message(args)
    saved = args.saveToSentItems
    if fits_inline(args.body, args.attachments):
        message["attachments"] = [file_attachment(item) for item in args.attachments]
        graph.post("/me/sendMail", {"message": message, "saveToSentItems": saved})  # 202
    else:
        send_with_uploads(graph, message, args.attachments)
        saved = True  # a sent draft always lands in Sent Items
    return SentEmail(
        recipients=[*args.to, *args.cc, *args.bcc],
        attachmentCount=len(args.attachments),
        savedToSentItems=saved,
    )


def message_reply(graph: GraphClient, args: ReplyToEmailInput) -> SentTo:
    path = f"/me/messages/{segment(args.messageId)}"
    fields = "from,replyTo,toRecipients,ccRecipients"
    original = graph_object(graph.get(path, params={"$select": fields}))
    targets = reply_targets(original, reply_all=args.replyAll, own=own_address(graph))
    # Someone else wrote these recipients: one without an address makes the reply ambiguous,
    # which read_recipients_check refuses only while a policy is set (see there).
    read_recipients_check(targets)
    action = "replyAll" if args.replyAll else "reply"
    graph.post(f"{path}/{action}", {"comment": args.comment})  # 202
    return SentTo(to=_unique(plain_addresses(targets)))


def _unique(addresses: list[str]) -> list[str]:
    """Each address once (Exchange compares them without case), in order."""
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def reply_targets(message: dict[str, Any], *, reply_all: bool, own: str) -> list[Any]:
    """Who Outlook sends the reply to, as Graph's recipient objects: replyTo when set, else the
    sender (wire shapes §2A); reply-all adds every to and cc recipient, without the person
    replying."""
    targets = entries(message.get("replyTo")) or [message.get("from")]
    if not reply_all:
        return targets
    targets += entries(message.get("toRecipients")) + entries(message.get("ccRecipients"))
    return [one for one in targets if not own or recipient_address(one).lower() != own.lower()]


def own_address(graph: GraphClient) -> str:
    """The person's sign-in name (UPN), which is their primary address in Exchange Online."""
    connection = connection_get(user=graph.user)
    return connection.username if connection is not None else ""


def message_forward(graph: GraphClient, args: ForwardEmailInput) -> SentTo:
    recipients_check(args.to)
    body = {"comment": args.comment, "toRecipients": recipients(args.to)}
    graph.post(f"/me/messages/{segment(args.messageId)}/forward", body)  # 202
    return SentTo(to=args.to)


def draft_create(graph: GraphClient, args: CreateDraftInput) -> Draft:
    message = new_message(args)
    draft = graph_object(graph.post("/me/messages", message))  # 201, in Drafts
    return Draft(id=text(draft.get("id")), subject=args.subject, webLink=text(draft.get("webLink")))


def draft_send(graph: GraphClient, args: ConfirmedMessageInput) -> DraftSent:
    path = f"/me/messages/{segment(args.messageId)}"
    fields = "subject,isDraft,toRecipients,ccRecipients,bccRecipients"
    draft = graph_object(graph.get(path, params={"$select": fields}))
    if draft.get("isDraft") is not True:
        raise MailRefused(
            "That message is not a draft, so nothing was sent. To send it on, use "
            "forwardEmail or replyToEmail."
        )
    kinds = ("toRecipients", "ccRecipients", "bccRecipients")
    people = [entry for kind in kinds for entry in entries(draft.get(kind))]
    # Exchange would resolve a recipient with only a name ({"name": "x@evil.org"}) itself:
    # neither the policy nor the person's confirmation could say where the draft goes.
    if any(not recipient_address(entry) for entry in people):
        raise MailRefused(
            "Nothing was sent: the draft has a recipient without an address; fix it in "
            "Outlook or createDraft again."
        )
    addresses = plain_addresses(people)
    recipients_check(addresses)
    graph.post(f"{path}/send")  # 202
    return DraftSent(subject=text(draft.get("subject")), recipients=addresses)


def message_move(graph: GraphClient, args: MoveEmailInput) -> Moved:
    if _deletes(graph, args.destinationFolder):
        raise MailRefused(
            "Nothing was moved: moving a message there deletes it. Use deleteEmail instead, "
            "which asks the person first."
        )
    return _moved(graph, args.messageId, args.destinationFolder)


def _deletes(graph: GraphClient, folder: str) -> bool:
    """Whether moving to ``folder`` is a delete: Deleted Items or a Recoverable Items folder,
    by well-known name (any case, as Graph reads them) or by Deleted Items' id."""
    if WELL_KNOWN_NAME.match(folder):
        return DELETION_FOLDER.match(folder.lower()) is not None
    return folder == deleted_items_id(graph)


def message_delete(graph: GraphClient, args: ConfirmedMessageInput) -> Moved:
    # To Deleted Items, as Outlook's Delete does; DELETE /me/messages/{id} would be permanent.
    return _moved(graph, args.messageId, DELETED_ITEMS)


def _moved(graph: GraphClient, message_id: str, folder: str) -> Moved:
    path = f"/me/messages/{segment(message_id)}/move"
    moved = graph_object(graph.post(path, {"destinationId": folder}))  # 201, a new id
    return Moved(id=text(moved.get("id")), folder=folder)


def message_update(graph: GraphClient, args: UpdateEmailInput) -> Updated:
    changes: dict[str, Any] = {}
    if args.isRead is not None:
        changes["isRead"] = args.isRead
    if args.flag is not None:
        changes["flag"] = {"flagStatus": args.flag}
    if args.categories is not None:
        changes["categories"] = args.categories
    # Setting the same values again changes nothing, so a retry is safe.
    path = f"/me/messages/{segment(args.messageId)}"
    item = graph_object(graph.patch(path, changes, idempotent=True))
    return Updated(
        id=text(item.get("id")),
        isRead=item.get("isRead") is True,
        flag=flag_status(item),
        categories=strings(item.get("categories")),
    )

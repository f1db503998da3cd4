"""Writing mail: send, reply, forward, drafts, move, flag, delete.

Every tool that sends checks the recipients against M365_SEND_ALLOWED_DOMAINS before the
request that sends (policy.recipients_check); replies and drafts are read first, because
only the message knows who a reply or a draft goes to.
"""

from __future__ import annotations

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
from graph_tools.mail.shapes import (
    MailRefused,
    flag_status,
    new_message,
    plain_addresses,
    recipients,
)
from graph_tools.mail.uploads import file_attachment, fits_inline, send_with_uploads
from graph_tools.policy import recipients_check
from graph_tools.replies import graph_object, strings, text
from graph_tools.selectors import connection_get
from graph_tools.tooling import segment

DELETED_ITEMS = "deleteditems"


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
    to = reply_recipients(original, reply_all=args.replyAll, own=own_address(graph))
    recipients_check(to)
    action = "replyAll" if args.replyAll else "reply"
    graph.post(f"{path}/{action}", {"comment": args.comment})  # 202
    return SentTo(to=to)


def reply_recipients(message: dict[str, Any], *, reply_all: bool, own: str) -> list[str]:
    """Who Outlook sends the reply to: replyTo when set, else the sender (wire shapes §2A);
    reply-all adds every to and cc recipient except the person replying."""
    to = plain_addresses(message.get("replyTo")) or plain_addresses([message.get("from")])
    if reply_all:
        to += plain_addresses(message.get("toRecipients"))
        to += plain_addresses(message.get("ccRecipients"))
    unique: dict[str, str] = {}
    for address in to:
        if not reply_all or address.lower() != own.lower():
            unique.setdefault(address.lower(), address)
    return list(unique.values())


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
    to, cc, bcc = (plain_addresses(draft.get(f"{kind}Recipients")) for kind in ("to", "cc", "bcc"))
    recipients_check([*to, *cc, *bcc])
    graph.post(f"{path}/send")  # 202
    subject = text(draft.get("subject"))
    return DraftSent(subject=subject, recipients=[*to, *cc, *bcc])


def message_move(graph: GraphClient, args: MoveEmailInput) -> Moved:
    return _moved(graph, args.messageId, args.destinationFolder)


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

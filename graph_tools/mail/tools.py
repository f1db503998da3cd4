"""The mail tools and the attachment resource: declarations, questions and text renderings."""

from __future__ import annotations

from graph_tools.client import GraphClient
from graph_tools.mail import selectors, services
from graph_tools.mail.schemas import (
    AttachmentFile,
    AttachmentList,
    ConfirmedMessageInput,
    CreateDraftInput,
    Draft,
    DraftSent,
    FolderList,
    ForwardEmailInput,
    GetAttachmentInput,
    GetEmailInput,
    GetEmailsInput,
    ListMailFoldersInput,
    Message,
    MessageIdInput,
    MessageList,
    Moved,
    MoveEmailInput,
    ReplyToEmailInput,
    SearchEmailsInput,
    SendEmailInput,
    SentEmail,
    SentTo,
    Updated,
    UpdateEmailInput,
)
from graph_tools.mail.selectors import ATTACHMENT_URI, MAX_DOWNLOAD_BYTES
from graph_tools.mail.shapes import plain_addresses
from graph_tools.questions import listed, quoted
from graph_tools.replies import text
from graph_tools.tooling import Resource, Tool


def _names(addresses: list[str], limit: int = 10) -> str:
    """Recipients in a result's text, which stays short (the question named them all)."""
    shown = ", ".join(addresses[:limit])
    return f"{shown} and {len(addresses) - limit} more" if len(addresses) > limit else shown


# --- questions put to the person before a destructive call ---------------------------------
# Every recipient is named and quoted text stays on one line (graph_tools/questions.py).


def _copies(cc: list[str], bcc: list[str]) -> str:
    parts = [f"cc: {listed(cc)}" if cc else "", f"bcc: {listed(bcc)}" if bcc else ""]
    shown = "; ".join(part for part in parts if part)
    return f" ({shown})" if shown else ""


def _ask_send(args: SendEmailInput) -> str:
    count = len(args.attachments)
    files = f", with {count} attachment{'s' if count != 1 else ''}" if count else ""
    copies = _copies(args.cc, args.bcc)
    return f"Send the e-mail {quoted(args.subject)} to {listed(args.to)}{copies}{files}?"


def _ask_reply(graph: GraphClient, args: ReplyToEmailInput) -> str:
    message = selectors.message_brief(graph, message_id=args.messageId)
    own = services.own_address(graph)
    targets = services.reply_targets(message, reply_all=args.replyAll, own=own)
    to = listed(plain_addresses(targets)) or "no recipient with an address"
    return f"Send your reply to {quoted(text(message.get('subject')))} to {to}?"


def _ask_send_draft(graph: GraphClient, args: ConfirmedMessageInput) -> str:
    draft = selectors.message_brief(graph, message_id=args.messageId)
    to = listed(plain_addresses(draft.get("toRecipients"))) or "no one"
    copies = _copies(
        plain_addresses(draft.get("ccRecipients")), plain_addresses(draft.get("bccRecipients"))
    )
    return f"Send the draft {quoted(text(draft.get('subject')))} to {to}{copies}?"


def _ask_delete(graph: GraphClient, args: ConfirmedMessageInput) -> str:
    message = selectors.message_brief(graph, message_id=args.messageId)
    sender = listed(plain_addresses([message.get("from")])) or "an unknown sender"
    subject = quoted(text(message.get("subject")))
    return f"Delete the message {subject} from {sender} (move it to Deleted Items)?"


def _ask_forward(args: ForwardEmailInput) -> str:
    return f"Forward the message to {listed(args.to)}?"


# --- text renderings -----------------------------------------------------------------------


def _more(cursor: str | None) -> str:
    return "\nMore: call again with cursor=nextCursor." if cursor else ""


def _unread(is_read: bool) -> str:
    return "" if is_read else " [unread]"


def render_messages(out: MessageList) -> str:
    lines = [
        f"- {m.id} | {m.receivedDateTime} | {m.from_} | {m.subject}{_unread(m.isRead)}"
        for m in out.messages
    ]
    head = f"{len(out.messages)} messages (times {out.timeZone})"
    return "\n".join([head + (":" if lines else "."), *lines]) + _more(out.nextCursor)


def render_message(out: Message) -> str:
    # The body is the point of this tool, so unlike the lists it is in the text too.
    lines = [f"From: {out.from_}", f"To: {', '.join(out.to)}"]
    if out.cc:
        lines.append(f"Cc: {', '.join(out.cc)}")
    lines += [f"Subject: {out.subject}", f"Received: {out.receivedDateTime} ({out.timeZone})"]
    if out.attachments:
        lines.append(f"Attachments: {', '.join(f'{a.name} ({a.id})' for a in out.attachments)}")
    lines += ["", out.body]
    if out.nextBodyOffset is not None:
        lines.append(f"(more: call getEmail with bodyOffset={out.nextBodyOffset})")
    return "\n".join(lines)


def render_folders(out: FolderList) -> str:
    lines = [
        f"- {f.id} | {f.displayName} ({f.unreadItemCount} unread of {f.totalItemCount})"
        for f in out.folders
    ]
    return "\n".join([f"{len(out.folders)} folders:", *lines]) + _more(out.nextCursor)


def render_sent(out: SentEmail) -> str:
    files = f", with {out.attachmentCount} attachment(s)" if out.attachmentCount else ""
    saved = "" if out.savedToSentItems else " No copy was kept in Sent Items."
    return f"Sent to {_names(out.recipients)}{files}.{saved}"


def render_attachments(out: AttachmentList) -> str:
    lines = [
        f"- {a.id} | {a.name} | {a.contentType} | {a.size} bytes | {a.kind}"
        for a in out.attachments
    ]
    return "\n".join([f"{len(out.attachments)} attachments:", *lines])


def render_attachment(out: AttachmentFile) -> str:
    head = f"{out.name} ({out.contentType}, {out.size} bytes)"
    return f"{head}: embedded as {out.uri}." if out.uri else f"{head}: {out.note}"


TOOLS = (
    Tool(
        name="sendEmail",
        description="Send a new e-mail, optionally with cc, bcc and attachments.",
        scope="mail.send",
        toolset="mail",
        input_model=SendEmailInput,
        output_model=SentEmail,
        run=services.mail_send,
        render=render_sent,
        destructive=True,
        confirmation=_ask_send,
    ),
    Tool(
        name="getEmails",
        description="List the newest messages in a mail folder (default: inbox).",
        scope="mail.read",
        toolset="mail",
        input_model=GetEmailsInput,
        output_model=MessageList,
        run=lambda graph, a: selectors.messages_list(
            graph, folder=a.folder, count=a.count, cursor=a.cursor, time_zone=a.timeZone
        ),
        render=render_messages,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="searchEmails",
        description="Search all mail folders by words or KQL.",
        scope="mail.read",
        toolset="mail",
        input_model=SearchEmailsInput,
        output_model=MessageList,
        run=lambda graph, a: selectors.messages_search(
            graph, query=a.query, count=a.count, cursor=a.cursor, time_zone=a.timeZone
        ),
        render=render_messages,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getEmail",
        description="Read one message: headers, attachment list, body as text.",
        scope="mail.read",
        toolset="mail",
        input_model=GetEmailInput,
        output_model=Message,
        run=lambda graph, a: selectors.message_get(
            graph,
            message_id=a.messageId,
            body_offset=a.bodyOffset,
            max_chars=a.maxChars,
            time_zone=a.timeZone,
        ),
        render=render_message,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="listMailFolders",
        description="List mail folders (ids, unread counts) for getEmails or moveEmail.",
        scope="mail.read",
        toolset="mail",
        input_model=ListMailFoldersInput,
        output_model=FolderList,
        run=lambda graph, a: selectors.folders_list(graph, parent=a.parentFolder, cursor=a.cursor),
        render=render_folders,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="replyToEmail",
        description="Reply or reply-all to a message.",
        scope="mail.send",
        toolset="mail",
        input_model=ReplyToEmailInput,
        output_model=SentTo,
        run=services.message_reply,
        render=lambda out: f"Replied to {_names(out.to)}.",
        destructive=True,
        question=_ask_reply,
    ),
    Tool(
        name="forwardEmail",
        description="Forward a message with its attachments.",
        scope="mail.send",
        toolset="mail",
        input_model=ForwardEmailInput,
        output_model=SentTo,
        run=services.message_forward,
        render=lambda out: f"Forwarded to {_names(out.to)}.",
        destructive=True,
        confirmation=_ask_forward,
    ),
    Tool(
        name="createDraft",
        description="Save a new message in Drafts without sending it.",
        scope="mail.write",
        toolset="mail",
        input_model=CreateDraftInput,
        output_model=Draft,
        run=services.draft_create,
        render=lambda out: f"Draft saved: {out.id}. Send it with sendDraft.",
    ),
    Tool(
        name="sendDraft",
        description="Send a message saved in Drafts (e.g. from createDraft).",
        scope="mail.send",
        toolset="mail",
        input_model=ConfirmedMessageInput,
        output_model=DraftSent,
        run=services.draft_send,
        render=lambda out: f'Sent the draft "{out.subject}" to {_names(out.recipients)}.',
        destructive=True,
        question=_ask_send_draft,
    ),
    Tool(
        name="moveEmail",
        description="Move a message to another folder; it gets a new id.",
        scope="mail.write",
        toolset="mail",
        input_model=MoveEmailInput,
        output_model=Moved,
        run=services.message_move,
        render=lambda out: f"Moved to {out.folder}; new id {out.id}.",
    ),
    Tool(
        name="updateEmail",
        description="Mark a message read/unread, flag it, or set its categories.",
        scope="mail.write",
        toolset="mail",
        input_model=UpdateEmailInput,
        output_model=Updated,
        run=services.message_update,
        render=lambda out: (
            f"Updated {out.id}: {'read' if out.isRead else 'unread'}, flag {out.flag}, "
            f"categories: {', '.join(out.categories) or 'none'}."
        ),
        idempotent=True,
    ),
    Tool(
        name="deleteEmail",
        description="Delete a message: moves it to Deleted Items (not permanent).",
        scope="mail.write",
        toolset="mail",
        input_model=ConfirmedMessageInput,
        output_model=Moved,
        run=services.message_delete,
        render=lambda out: f"Moved to Deleted Items (not permanently deleted); new id {out.id}.",
        destructive=True,
        question=_ask_delete,
    ),
    Tool(
        name="listAttachments",
        description="List a message's attachments (ids, names, sizes).",
        scope="mail.read",
        toolset="mail",
        input_model=MessageIdInput,
        output_model=AttachmentList,
        run=lambda graph, a: selectors.attachments_list(graph, message_id=a.messageId),
        render=render_attachments,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getAttachment",
        description="Download one attachment as an embedded file (up to 10 MiB).",
        scope="mail.read",
        toolset="mail",
        input_model=GetAttachmentInput,
        output_model=AttachmentFile,
        run=lambda graph, a: selectors.attachment_get(
            graph, message_id=a.messageId, attachment_id=a.attachmentId
        ),
        render=render_attachment,
        read_only=True,
        idempotent=True,
        files=lambda out: out.files,
    ),
)

RESOURCES = (
    Resource(
        uri=ATTACHMENT_URI,
        name="mail-attachment",
        description=(
            f"A mail attachment's bytes (file attachments up to {MAX_DOWNLOAD_BYTES} bytes), "
            "as getAttachment returns it."
        ),
        mime_type="application/octet-stream",
        scope="mail.read",
        toolset="mail",
        read=selectors.attachment_read,
    ),
)

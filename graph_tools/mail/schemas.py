"""The mail tools' arguments and results (pydantic models: their JSON schemas are the tools')."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from typing import Annotated, Literal, Self

from pydantic import Field, PrivateAttr, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from graph_tools.tooling import (
    Addresses,
    Arguments,
    Confirm,
    Cursor,
    File,
    GraphId,
    NullableInt,
    NullableText,
    Result,
    Zone,
    count_field,
)

# Graph's limit for one file attachment, sent through an upload session (attachment-
# createuploadsession: "up to 150 MB").
MAX_ATTACHMENT_BYTES = 150 * 1024 * 1024
MAX_BASE64_CHARS = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4 + 64 * 1024  # + room for line breaks
WHITESPACE = re.compile(rb"\s+")

FolderName = Annotated[
    GraphId,
    Field(description="inbox, sentitems, drafts, archive, deleteditems, junkemail or an id."),
]
ContentType = Literal["text", "html"]
Subject = Annotated[str, Field(max_length=255)]
Body = Annotated[str, Field(max_length=1_000_000)]
Comment = Annotated[str, Field(max_length=100_000)]
Recipients = Annotated[Addresses, Field(description="One address or a list.")]
Copies = Addresses  # described once, on "to"
Category = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Categories = Annotated[list[Category], Field(max_length=25)]
MessageId = Annotated[GraphId, Field(description="A message id as returned.")]
# "| Unset" keeps null out of the JSON schema ({"type": "boolean", "default": null} instead
# of an anyOf): the same meaning, fewer tokens in every tools/list.
Unset = SkipJsonSchema[None]
AttachmentKind = Literal["file", "item", "reference"]


class AttachmentIn(Arguments):
    name: str = Field(min_length=1, max_length=255, description="e.g. 'report.pdf'")
    contentType: str | Unset = Field(default=None, max_length=255, description="Default: by name.")
    contentBytes: str = Field(max_length=MAX_BASE64_CHARS, description="The file, base64.")
    _data: bytes = PrivateAttr(b"")

    @model_validator(mode="after")
    def decoded(self) -> Self:
        # Strict alphabet (validate=True); only the line breaks of wrapped base64 are dropped.
        try:
            data = base64.b64decode(WHITESPACE.sub(b"", self.contentBytes.encode()), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError(f"attachment {self.name!r} is not valid base64") from None
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValueError(
                f"attachment {self.name!r} is {len(data)} bytes; Microsoft 365 takes at most "
                f"{MAX_ATTACHMENT_BYTES} (150 MB) per attachment"
            )
        self._data = data
        return self

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def mime_type(self) -> str:
        guessed, _ = mimetypes.guess_type(self.name, strict=False)
        return self.contentType or guessed or "application/octet-stream"


class SendEmailInput(Arguments):
    to: Recipients = Field(min_length=1)
    subject: Subject
    body: Body
    contentType: ContentType = "text"
    cc: Copies = Field(default_factory=list)
    bcc: Copies = Field(default_factory=list)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    saveToSentItems: bool = True
    confirm: Confirm = False


class GetEmailsInput(Arguments):
    count: int = count_field(10, 50, "messages")
    folder: FolderName = "inbox"
    cursor: Cursor = None
    timeZone: Zone = None


class SearchEmailsInput(Arguments):
    query: str = Field(
        min_length=1,
        max_length=500,
        description="Words or KQL, e.g. 'from:anna subject:budget'.",
    )
    count: int = count_field(10, 50, "messages")
    cursor: Cursor = None
    timeZone: Zone = None


class GetEmailInput(Arguments):
    messageId: MessageId
    bodyOffset: int = Field(default=0, ge=0, description="Body start (nextBodyOffset).")
    maxChars: int = Field(default=8000, ge=200, le=20000, description="Body characters.")
    timeZone: Zone = None


class ListMailFoldersInput(Arguments):
    parentFolder: GraphId | Unset = Field(default=None, description="List its subfolders.")
    cursor: Cursor = None


class ReplyToEmailInput(Arguments):
    messageId: MessageId
    comment: Comment = Field(min_length=1)
    replyAll: bool = Field(default=False, description="Also to every to/cc recipient.")
    confirm: Confirm = False


class ForwardEmailInput(Arguments):
    messageId: MessageId
    to: Recipients = Field(min_length=1)
    comment: Comment = ""
    confirm: Confirm = False


class CreateDraftInput(Arguments):
    to: Recipients = Field(default_factory=list)
    subject: Subject = ""
    body: Body = ""
    contentType: ContentType = "text"
    cc: Copies = Field(default_factory=list)
    bcc: Copies = Field(default_factory=list)


class MessageIdInput(Arguments):
    messageId: MessageId


class ConfirmedMessageInput(MessageIdInput):
    confirm: Confirm = False


class MoveEmailInput(MessageIdInput):
    destinationFolder: FolderName


class UpdateEmailInput(MessageIdInput):
    isRead: bool | Unset = None
    flag: Literal["flagged", "complete", "notFlagged"] | Unset = None
    categories: Categories | Unset = Field(default=None, description="Replaces all; [] clears.")

    @model_validator(mode="after")
    def changes_something(self) -> Self:
        if self.isRead is None and self.flag is None and self.categories is None:
            raise ValueError("give at least one of isRead, flag, categories")
        return self


class GetAttachmentInput(MessageIdInput):
    attachmentId: GraphId


# --- results -------------------------------------------------------------------------------


class MessageSummary(Result):
    id: str
    subject: str
    from_: str = Field(alias="from")
    receivedDateTime: str
    isRead: bool
    hasAttachments: bool
    flag: str
    bodyPreview: str


class MessageList(Result):
    messages: list[MessageSummary]
    nextCursor: NullableText = None
    timeZone: str


class AttachmentInfo(Result):
    id: str
    name: str
    contentType: str
    size: int
    isInline: bool
    kind: AttachmentKind


class Message(Result):
    id: str
    subject: str
    from_: str = Field(alias="from")
    to: list[str]
    cc: list[str]
    bcc: list[str]
    replyTo: list[str]
    sentDateTime: str
    receivedDateTime: str
    internetMessageId: str
    webLink: str
    attachments: list[AttachmentInfo]
    body: str
    bodyLength: int
    bodyTruncated: bool
    nextBodyOffset: NullableInt = None
    timeZone: str


class MailFolder(Result):
    id: str
    displayName: str
    unreadItemCount: int
    totalItemCount: int
    childFolderCount: int


class FolderList(Result):
    folders: list[MailFolder]
    nextCursor: NullableText = None


class SentEmail(Result):
    recipients: list[str]
    attachmentCount: int
    savedToSentItems: bool


class SentTo(Result):
    to: list[str]


class Draft(Result):
    id: str
    subject: str
    webLink: str


class DraftSent(Result):
    subject: str
    recipients: list[str]


class Moved(Result):
    id: str  # the message's new id
    folder: str


class Updated(Result):
    id: str
    isRead: bool
    flag: str
    categories: list[str]


class AttachmentList(Result):
    attachments: list[AttachmentInfo]


class AttachmentFile(AttachmentInfo):
    uri: NullableText = None  # the embedded file's resource URI
    note: NullableText = None
    # The downloaded file travels as an embedded resource (Tool.files), not in this JSON.
    _files: list[File] = PrivateAttr(default_factory=list)

    def attach(self, file: File) -> None:
        self.uri = file.uri
        self._files = [file]

    @property
    def files(self) -> list[File]:
        return self._files

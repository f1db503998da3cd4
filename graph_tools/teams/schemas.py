"""Inputs and outputs of the Teams, chat and Teams-meeting tools (camelCase, like Graph)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from graph_tools.tooling import (
    ADDRESS_PATTERN,
    GUID_PATTERN,
    Addresses,
    Arguments,
    Confirm,
    Cursor,
    GraphId,
    Output,
    Zone,
    count_field,
    iso_date_time,
    times_in_order,
)

# Teams refuses messages over about 28 KB (Graph chatMessage docs, "message size").
MAX_MESSAGE_CHARS = 20_000
MAX_MENTIONS = 20

MessageText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS)]
ContentType = Annotated[Literal["text", "html"], Field(description="text or html.")]
MENTION_REF = re.compile(rf"^(?:{GUID_PATTERN}|{ADDRESS_PATTERN.strip('^$')})$")


def _mention_ref(value: str) -> str:
    # Checked here rather than as a schema pattern: the pattern would cost every tools/list.
    if not MENTION_REF.match(value):
        raise ValueError("give an e-mail address or a user id (GUID)")
    return value


MentionRef = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_mention_ref)
]


MeetingTime = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=40),
    AfterValidator(iso_date_time),
    Field(description="Local time in timeZone: 2025-03-14T15:00:00."),
]


_GRAPH_ID = TypeAdapter(GraphId)


def _graph_id(value: str) -> str:
    try:
        return _GRAPH_ID.validate_python(value)
    except ValidationError:
        raise ValueError("pass the id exactly as a list tool returned it") from None


# GraphId's checks without GraphId's pattern and limits in the schema: an opaque id's pattern
# tells the model nothing, and every tools/list would carry it once per id argument.
OpaqueId = Annotated[str, AfterValidator(_graph_id)]

# --- inputs ------------------------------------------------------------------------------------
TEAM_ID = Field(description="From listTeams.")
CHANNEL_ID = Field(description="From listChannels.")
# Shorter than the shared Confirm's description, which every destructive tool repeats.
CONFIRM = Field(False, description="true once the person agreed (no elicitation).")


class ListTeamsInput(Arguments):
    cursor: Cursor = None


class ListChannelsInput(Arguments):
    teamId: OpaqueId = TEAM_ID
    cursor: Cursor = None


class GetChannelMessagesInput(Arguments):
    teamId: OpaqueId = TEAM_ID
    channelId: OpaqueId = CHANNEL_ID
    count: int = count_field(20, 50, "messages")
    cursor: Cursor = None
    timeZone: Zone = None


class ListChatsInput(Arguments):
    count: int = count_field(20, 50, "chats")
    cursor: Cursor = None
    timeZone: Zone = None


class GetChatMessagesInput(Arguments):
    chatId: OpaqueId = Field(description="From listChats.")
    count: int = count_field(20, 50, "messages")
    cursor: Cursor = None
    timeZone: Zone = None


class SendTeamsMessageInput(Arguments):
    teamId: OpaqueId = TEAM_ID
    channelId: OpaqueId = CHANNEL_ID
    message: MessageText
    contentType: ContentType = "text"
    mentions: list[MentionRef] = Field(
        default_factory=list,
        max_length=MAX_MENTIONS,
        description="E-mails or user ids to @mention.",
    )
    timeZone: Zone = None
    confirm: Confirm = CONFIRM


class ReplyToChannelMessageInput(Arguments):
    teamId: OpaqueId = TEAM_ID
    channelId: OpaqueId = CHANNEL_ID
    messageId: OpaqueId = Field(description="From getChannelMessages.")
    message: MessageText
    contentType: ContentType = "text"
    timeZone: Zone = None
    confirm: Confirm = CONFIRM


class SendChatMessageInput(Arguments):
    chatId: OpaqueId = Field(description="From listChats.")
    message: MessageText
    contentType: ContentType = "text"
    timeZone: Zone = None
    confirm: Confirm = CONFIRM


class CreateTeamsMeetingInput(Arguments):
    subject: str = Field(min_length=1, max_length=255)
    startTime: MeetingTime
    endTime: MeetingTime
    attendees: Addresses = Field(default_factory=list, description="E-mail addresses.")
    timeZone: Zone = None
    body: str | None = Field(None, max_length=MAX_MESSAGE_CHARS, description="Plain text.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> CreateTeamsMeetingInput:
        times_in_order(self.startTime, self.endTime, ("startTime", "endTime"))
        return self


# --- outputs -----------------------------------------------------------------------------------
# Fields Graph always returns are required: optional ones cost every tools/list an anyOf.


class Team(Output):
    id: str
    displayName: str
    description: str | None = None


class TeamList(Output):
    teams: list[Team]
    nextCursor: str | None = None


class Channel(Output):
    id: str
    displayName: str
    description: str | None = None
    membershipType: str  # standard, private or shared


class ChannelList(Output):
    channels: list[Channel]
    nextCursor: str | None = None


class Message(Output):
    id: str
    sender: str | None = Field(None, alias="from")
    createdDateTime: str
    body: str
    mentions: list[str]


class MessageList(Output):
    messages: list[Message]
    nextCursor: str | None = None
    timeZone: str


class Chat(Output):
    id: str
    topic: str | None = None
    chatType: str
    members: list[str]
    lastUpdatedDateTime: str


class ChatList(Output):
    chats: list[Chat]
    nextCursor: str | None = None
    timeZone: str


class PostedMessage(Output):
    id: str
    webUrl: str | None = None
    createdDateTime: str
    timeZone: str


class PostedChannelMessage(PostedMessage):
    mentioned: list[str]


class Attendee(Output):
    name: str | None = None
    address: str


class Meeting(Output):
    id: str
    subject: str
    start: str
    end: str
    timeZone: str
    joinUrl: str | None = None
    attendees: list[Attendee]

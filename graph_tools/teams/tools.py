"""The Teams, chat and Teams-meeting tools and the ``microsoft://teams`` resource."""

from __future__ import annotations

from collections.abc import Sequence

from graph_tools.questions import listed as every_address
from graph_tools.questions import quoted
from graph_tools.teams import selectors, services
from graph_tools.teams.schemas import (
    ChannelList,
    ChatList,
    CreateTeamsMeetingInput,
    GetChannelMessagesInput,
    GetChatMessagesInput,
    ListChannelsInput,
    ListChatsInput,
    ListTeamsInput,
    Meeting,
    MessageList,
    PostedChannelMessage,
    PostedMessage,
    ReplyToChannelMessageInput,
    SendChatMessageInput,
    SendTeamsMessageInput,
    TeamList,
)
from graph_tools.tooling import Resource, Tool

PREVIEW_CHARS = 80
MORE = "More: call again with nextCursor."


def preview(text: str) -> str:
    """The start of a message on one line, for a confirmation question."""
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW_CHARS else line[: PREVIEW_CHARS - 1] + "…"


def listed(lines: list[str], next_cursor: str | None, empty: str) -> str:
    return "\n".join([*(lines or [empty]), *([MORE] if next_cursor else [])])


def render_teams(out: TeamList) -> str:
    return listed([f"{t.displayName} (id {t.id})" for t in out.teams], out.nextCursor, "No teams.")


def render_channels(out: ChannelList) -> str:
    lines = [f"{c.displayName} [{c.membershipType}] (id {c.id})" for c in out.channels]
    return listed(lines, out.nextCursor, "No channels.")


def render_messages(out: MessageList) -> str:
    lines = [
        f"{m.createdDateTime} {m.sender or '-'}: {preview(m.body)} (id {m.id})"
        for m in out.messages
    ]
    head = [f"Times in {out.timeZone}:"] if lines else []
    return listed([*head, *lines], out.nextCursor, "No messages.")


def render_chats(out: ChatList) -> str:
    lines = [
        f"{c.topic or ', '.join(c.members[:5]) or c.chatType} [{c.chatType}] (id {c.id})"
        for c in out.chats
    ]
    return listed(lines, out.nextCursor, "No chats.")


def render_posted(out: PostedMessage, mentioned: Sequence[str] = ()) -> str:
    mentioning = f", mentioning {', '.join(mentioned)}" if mentioned else ""
    link = f"\n{out.webUrl}" if out.webUrl else ""
    return f"Posted message {out.id}{mentioning}.{link}"


def render_channel_post(out: PostedChannelMessage) -> str:
    return render_posted(out, out.mentioned)


def render_meeting(out: Meeting) -> str:
    guests = ", ".join(a.address for a in out.attendees) or "nobody"
    return (
        f'Created Teams meeting "{out.subject}" {out.start} to {out.end} ({out.timeZone}), '
        f"invited: {guests}.\nJoin: {out.joinUrl or 'not available yet'}"
    )


def confirm_channel_post(args: SendTeamsMessageInput) -> str:
    mentioning = f", mentioning {every_address(args.mentions)}" if args.mentions else ""
    return (
        f"Post {quoted(args.message, PREVIEW_CHARS)} in channel {args.channelId} of team "
        f"{args.teamId}{mentioning}?"
    )


def confirm_reply(args: ReplyToChannelMessageInput) -> str:
    message = quoted(args.message, PREVIEW_CHARS)
    return f"Reply {message} to message {args.messageId} in channel {args.channelId}?"


def confirm_chat_post(args: SendChatMessageInput) -> str:
    return f"Send {quoted(args.message, PREVIEW_CHARS)} in chat {args.chatId}?"


TOOLS: tuple[Tool, ...] = (
    Tool(
        name="listTeams",
        description="List the person's Teams teams, to get team ids.",
        scope="teams.read",
        toolset="teams",
        input_model=ListTeamsInput,
        output_model=TeamList,
        run=selectors.teams_list,
        render=render_teams,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="listChannels",
        description="List a team's channels, to get channel ids.",
        scope="teams.read",
        toolset="teams",
        input_model=ListChannelsInput,
        output_model=ChannelList,
        run=selectors.channels_list,
        render=render_channels,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getChannelMessages",
        description="Read recent messages of a Teams channel (without replies).",
        scope="teams.read",
        toolset="teams",
        input_model=GetChannelMessagesInput,
        output_model=MessageList,
        run=selectors.channel_messages_list,
        render=render_messages,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="sendTeamsMessage",
        description="Post a message in a Teams channel, optionally @mentioning people.",
        scope="teams.write",
        toolset="teams",
        input_model=SendTeamsMessageInput,
        output_model=PostedChannelMessage,
        run=services.channel_message_send,
        render=render_channel_post,
        destructive=True,
        confirmation=confirm_channel_post,
    ),
    Tool(
        name="replyToChannelMessage",
        description="Reply in the thread of a Teams channel message.",
        scope="teams.write",
        toolset="teams",
        input_model=ReplyToChannelMessageInput,
        output_model=PostedMessage,
        run=services.channel_reply_send,
        render=render_posted,
        destructive=True,
        confirmation=confirm_reply,
    ),
    Tool(
        name="listChats",
        description="List the person's Teams chats, latest first.",
        scope="teams.read",
        toolset="teams",
        input_model=ListChatsInput,
        output_model=ChatList,
        run=selectors.chats_list,
        render=render_chats,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="getChatMessages",
        description="Read recent messages of a Teams chat, newest first.",
        scope="teams.read",
        toolset="teams",
        input_model=GetChatMessagesInput,
        output_model=MessageList,
        run=selectors.chat_messages_list,
        render=render_messages,
        read_only=True,
        idempotent=True,
    ),
    Tool(
        name="sendChatMessage",
        description="Send a message in an existing Teams chat.",
        scope="teams.write",
        toolset="teams",
        input_model=SendChatMessageInput,
        output_model=PostedMessage,
        run=services.chat_message_send,
        render=render_posted,
        destructive=True,
        confirmation=confirm_chat_post,
    ),
    Tool(
        name="createTeamsMeeting",
        description="Schedule a Teams meeting in the calendar and invite attendees.",
        scope="meetings.write",
        toolset="meetings",
        input_model=CreateTeamsMeetingInput,
        output_model=Meeting,
        run=services.teams_meeting_create,
        render=render_meeting,
    ),
)

RESOURCES: tuple[Resource, ...] = (
    Resource(
        uri="microsoft://teams",
        name="teams",
        description="The person's Teams teams, each with its channels.",
        mime_type="application/json",
        scope="teams.read",
        toolset="teams",
        read=selectors.teams_resource_read,
    ),
)

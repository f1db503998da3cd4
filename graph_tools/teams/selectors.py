"""Reads: the person's teams, channels, chats and their messages, and directory look-ups.

Teams answers in UTC (ISO 8601 with ``Z``) whatever ``Prefer`` says (wire shapes §2), so times
are converted here to the zone asked for, else the mailbox's, and results say which.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from pydantic import ValidationError

from graph_tools import graph_errors
from graph_tools.batch import batch_get
from graph_tools.client import GraphClient
from graph_tools.errors import GraphError
from graph_tools.mailbox import mailbox_time_zone_or_utc
from graph_tools.paging import Page, page_get
from graph_tools.teams.schemas import (
    Channel,
    ChannelList,
    Chat,
    ChatList,
    GetChannelMessagesInput,
    GetChatMessagesInput,
    ListChannelsInput,
    ListChatsInput,
    ListTeamsInput,
    Message,
    MessageList,
    Team,
    TeamList,
)
from graph_tools.text import body_text, trimmed
from graph_tools.tooling import segment
from graph_tools.zones import known_zone, local_time

BODY_LIMIT = 2000  # characters of each message body; Teams messages are rarely longer
CHANNEL_FIELDS = "id,displayName,description,membershipType"
T = TypeVar("T")


def parsed(build: Callable[[Any], T], item: Any) -> T:
    """``build(item)``, or the "could not read" error when Graph's item has another shape."""
    try:
        return build(item)
    except (AttributeError, KeyError, TypeError, ValueError, ValidationError):
        raise graph_errors.malformed() from None


def times_zone(graph: GraphClient, given: str | None) -> str:
    """The zone a result's times are shown in: the one asked for, else the mailbox's. Teams
    scopes need not include MailboxSettings.Read: without it, UTC."""
    return known_zone(given or mailbox_time_zone_or_utc(graph))


def teams_list(graph: GraphClient, args: ListTeamsInput) -> TeamList:
    # joinedTeams takes no query options at all, not even $select (wire shapes §2A).
    page = page_get(graph, "/me/joinedTeams", listing="joinedTeams", cursor=args.cursor)
    teams = [parsed(Team.model_validate, item) for item in page.items]
    return TeamList(teams=teams, nextCursor=page.next_cursor)


def channels_list(graph: GraphClient, args: ListChannelsInput) -> ChannelList:
    page = page_get(
        graph,
        channels_path(args.teamId),
        listing=f"channels:{args.teamId}",
        cursor=args.cursor,
        params={"$select": CHANNEL_FIELDS},
    )
    channels = [parsed(Channel.model_validate, item) for item in page.items]
    return ChannelList(channels=channels, nextCursor=page.next_cursor)


def channel_messages_list(graph: GraphClient, args: GetChannelMessagesInput) -> MessageList:
    # Channel messages take only $top and $expand=replies, no $select (Graph: List channel
    # messages); they page with $skiptoken.
    path = f"{channels_path(args.teamId)}/{segment(args.channelId)}/messages"
    page = page_get(
        graph,
        path,
        listing=f"channelMessages:{args.teamId}:{args.channelId}",
        cursor=args.cursor,
        params={"$top": str(args.count)},
    )
    return message_list(graph, page, args.timeZone)


def chats_list(graph: GraphClient, args: ListChatsInput) -> ChatList:
    # /me/chats takes $expand, $filter, $top (max 50) and this one $orderby; no $select
    # (wire shapes §2A, Chats). Expanded members stop at 25 per chat (Graph: List chats).
    page = page_get(
        graph,
        "/me/chats",
        listing="chats",
        cursor=args.cursor,
        params={
            "$expand": "members",
            "$top": str(args.count),
            "$orderby": "lastMessagePreview/createdDateTime desc",
        },
    )
    zone = times_zone(graph, args.timeZone)  # after the read: a failed read costs no look-up
    chats = [parsed(partial(chat_summary, zone=zone), item) for item in page.items]
    return ChatList(chats=chats, nextCursor=page.next_cursor, timeZone=zone)


def chat_messages_list(graph: GraphClient, args: GetChatMessagesInput) -> MessageList:
    # $top (max 50) and $orderby createdDateTime desc only; no $select (wire shapes §2A).
    page = page_get(
        graph,
        f"/chats/{segment(args.chatId)}/messages",
        listing=f"chatMessages:{args.chatId}",
        cursor=args.cursor,
        params={"$top": str(args.count), "$orderby": "createdDateTime desc"},
    )
    return message_list(graph, page, args.timeZone)


def message_list(graph: GraphClient, page: Page, time_zone: str | None) -> MessageList:
    zone = times_zone(graph, time_zone)  # after the read: a failed read costs no look-up
    messages = [parsed(partial(message_summary, zone=zone), item) for item in page.items]
    return MessageList(messages=messages, nextCursor=page.next_cursor, timeZone=zone)


def channels_path(team_id: str) -> str:
    return f"/teams/{segment(team_id)}/channels"


def message_summary(item: dict[str, Any], zone: str) -> Message:
    texts = [mention.get("mentionText") for mention in item.get("mentions") or []]
    mentions = [text for text in texts if isinstance(text, str)]
    return Message.model_validate(
        {
            "id": item["id"],
            "from": message_sender(item.get("from")),
            "createdDateTime": local_time(item["createdDateTime"], zone),
            "body": message_text(item),
            "mentions": mentions,
        }
    )


def message_sender(origin: Any) -> str | None:
    """The display name of whoever sent it: a person, a bot (application) or a device."""
    for kind in ("user", "application", "device"):
        identity = (origin or {}).get(kind)
        if identity and identity.get("displayName"):
            return str(identity["displayName"])
    return None


def message_text(item: dict[str, Any]) -> str:
    """The body as plain text, trimmed; system events and deleted messages are labelled."""
    if item.get("messageType", "message") != "message":
        # e.g. "#microsoft.graph.membersAddedEventMessageDetail" -> "membersAdded"
        detail = str((item.get("eventDetail") or {}).get("@odata.type", ""))
        kind = detail.rsplit(".", 1)[-1].removesuffix("EventMessageDetail")
        return f"[system event: {kind or 'unknown'}]"
    if item.get("deletedDateTime"):
        return "[deleted]"
    return trimmed(body_text(item.get("body")), BODY_LIMIT)[0]


def chat_summary(item: dict[str, Any], zone: str) -> Chat:
    members = [member.get("displayName") for member in item.get("members") or []]
    return Chat(
        id=item["id"],
        topic=item.get("topic"),
        chatType=item["chatType"],
        members=[name for name in members if name],
        lastUpdatedDateTime=local_time(item["lastUpdatedDateTime"], zone),
    )


def users_lookup(
    graph: GraphClient, refs: Sequence[str], *, select: str
) -> dict[str, dict[str, Any] | None]:
    """Each e-mail/UPN or object id's directory entry, None when the directory has no such
    user; one $batch for up to 20 people (wire shapes §3.3). Other failures are raised."""
    if not refs:
        return {}
    answers = batch_get(graph, {ref: f"/users/{segment(ref)}?$select={select}" for ref in refs})
    return {ref: _directory_entry(answers[ref]) for ref in refs}


def _directory_entry(answer: Any) -> dict[str, Any] | None:
    if isinstance(answer, GraphError):
        if answer.status == 404:
            return None
        raise answer
    if not isinstance(answer, dict):
        raise graph_errors.malformed()
    return answer


def teams_resource_read(graph: GraphClient, params: dict[str, str]) -> str:
    """``microsoft://teams``: the person's teams, each with its channels (one $batch)."""
    body = graph.get("/me/joinedTeams")
    teams = body.get("value") if isinstance(body, dict) else None
    if not isinstance(teams, list):
        raise graph_errors.malformed()
    summaries = [parsed(Team.model_validate, team).model_dump() for team in teams]
    answers = batch_get(
        graph,
        {team["id"]: f"{channels_path(team['id'])}?$select={CHANNEL_FIELDS}" for team in summaries},
    )
    listed = [{**team, **_channels_or_error(answers[team["id"]])} for team in summaries]
    return json.dumps({"teams": listed}, ensure_ascii=False)


def _channels_or_error(answer: Any) -> dict[str, Any]:
    """One team's channels; a team that failed says why instead of failing the whole read."""
    if isinstance(answer, GraphError):
        return {"channels": [], "error": answer.tool_message}
    items = answer.get("value") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        return {"channels": [], "error": graph_errors.malformed().tool_message}
    return {"channels": [parsed(Channel.model_validate, item).model_dump() for item in items]}

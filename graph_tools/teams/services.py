"""Writes: channel messages (with @mentions), replies, chat messages and Teams meetings."""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from graph_tools.client import GraphClient
from graph_tools.errors import GraphError
from graph_tools.mailbox import mailbox_time_zone, time_zone_header
from graph_tools.policy import recipients_check
from graph_tools.teams.schemas import (
    Attendee,
    CreateTeamsMeetingInput,
    Meeting,
    PostedChannelMessage,
    PostedMessage,
    ReplyToChannelMessageInput,
    SendChatMessageInput,
    SendTeamsMessageInput,
)
from graph_tools.teams.selectors import channels_path, parsed, times_zone, users_lookup
from graph_tools.tooling import segment
from graph_tools.zones import local_time

EVENT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Mentioned:
    id: str  # the directory object id
    name: str


def channel_message_send(graph: GraphClient, args: SendTeamsMessageInput) -> PostedChannelMessage:
    people = mentioned_people(graph, args.mentions)
    zone = times_zone(graph, args.timeZone)  # before posting: a sent message ends in no error
    path = f"{channels_path(args.teamId)}/{segment(args.channelId)}/messages"
    reply = graph.post(path, message_payload(args.message, args.contentType, people))
    message = parsed(partial(posted, zone=zone), reply)
    return PostedChannelMessage(**message.model_dump(), mentioned=[p.name for p in people])


def channel_reply_send(graph: GraphClient, args: ReplyToChannelMessageInput) -> PostedMessage:
    path = (
        f"{channels_path(args.teamId)}/{segment(args.channelId)}"
        f"/messages/{segment(args.messageId)}/replies"
    )
    zone = times_zone(graph, args.timeZone)
    reply = graph.post(path, message_payload(args.message, args.contentType, []))
    return parsed(partial(posted, zone=zone), reply)


def chat_message_send(graph: GraphClient, args: SendChatMessageInput) -> PostedMessage:
    path = f"/chats/{segment(args.chatId)}/messages"
    zone = times_zone(graph, args.timeZone)
    reply = graph.post(path, message_payload(args.message, args.contentType, []))
    return parsed(partial(posted, zone=zone), reply)


def posted(reply: dict[str, Any], zone: str) -> PostedMessage:
    return PostedMessage(
        id=reply["id"],
        webUrl=reply.get("webUrl"),
        createdDateTime=local_time(reply["createdDateTime"], zone),
        timeZone=zone,
    )


def mentioned_people(graph: GraphClient, refs: Sequence[str]) -> list[Mentioned]:
    """Each mention (e-mail/UPN or object id) as its directory id and display name.

    All of them or nothing: a mention nobody in the directory answers to stops the post.
    """
    unique = list(dict.fromkeys(ref.lower() for ref in refs))
    users = users_lookup(graph, unique, select="id,displayName")
    unknown = [ref for ref, user in users.items() if user is None]
    if unknown:
        raise GraphError(
            f"Nothing was posted: nobody in the directory answers to {', '.join(unknown)}. "
            "Check the e-mail address or user id of each mention (or leave it out) and try "
            "again.",
            status=404,
            code="Request_ResourceNotFound",
        )
    people = [parsed(_mentioned, user) for user in users.values() if user is not None]
    return list({person.id: person for person in people}.values())  # one person, one mention


def _mentioned(user: dict[str, Any]) -> Mentioned:
    if not isinstance(user["id"], str) or not user["id"]:
        raise ValueError("a directory user without an id")
    return Mentioned(id=user["id"], name=str(user.get("displayName") or user["id"]))


def message_payload(text: str, content_type: str, people: Sequence[Mentioned]) -> dict[str, Any]:
    """A chatMessage body; mentions go first as ``<at id="N">Name</at>``, each matched by a
    ``mentions`` entry with the same id, so the body must be html (wire shapes §2A)."""
    if not people:
        return {"body": {"contentType": content_type, "content": text}}
    if content_type == "text":
        text = html.escape(text, quote=False).replace("\n", "<br>")
    tags = " ".join(
        f'<at id="{index}">{html.escape(person.name, quote=False)}</at>'
        for index, person in enumerate(people)
    )
    return {
        "body": {"contentType": "html", "content": f"{tags} {text}"},
        "mentions": [
            {
                "id": index,
                "mentionText": person.name,
                "mentioned": {
                    "user": {
                        "id": person.id,
                        "displayName": person.name,
                        "userIdentityType": "aadUser",
                    }
                },
            }
            for index, person in enumerate(people)
        ],
    }


def teams_meeting_create(graph: GraphClient, args: CreateTeamsMeetingInput) -> Meeting:
    """A calendar event with a Teams meeting, which sends the invitations.

    Not ``POST /me/onlineMeetings``: that meeting never reaches the calendar and wants
    attendees as directory object ids (wire shapes §2A), which is what the original got wrong.
    """
    recipients_check(args.attendees)
    zone = args.timeZone or mailbox_time_zone(graph)
    attendees = meeting_attendees(graph, args.attendees)
    recipients_check(attendee.address for attendee in attendees)  # the directory's addresses
    # transactionId makes a retried create a no-op at Graph (wire shapes §2A, POST /me/events).
    event = graph.post(
        "/me/events",
        meeting_payload(args, zone, attendees),
        headers=time_zone_header(zone),
        idempotent=True,
    )
    return parsed(partial(meeting_result, zone=zone, attendees=attendees), event)


def meeting_attendees(graph: GraphClient, addresses: Sequence[str]) -> list[Attendee]:
    """Each address as the directory knows it (primary address and name); an address the
    directory does not know is an external guest, invited as given."""
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)  # the first spelling of each address
    users = users_lookup(graph, list(unique.values()), select="displayName,mail,userPrincipalName")
    return [parsed(partial(_attendee, ref), users[ref]) for ref in unique.values()]


def _attendee(address: str, user: dict[str, Any] | None) -> Attendee:
    if user is None:
        return Attendee(address=address)
    canonical = user.get("mail") or user.get("userPrincipalName") or address
    return Attendee(name=user.get("displayName"), address=canonical)


def meeting_payload(
    args: CreateTeamsMeetingInput, zone: str, attendees: Sequence[Attendee]
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "subject": args.subject,
        "start": event_time(args.startTime, zone),
        "end": event_time(args.endTime, zone),
        "attendees": [
            {"emailAddress": attendee.model_dump(exclude_none=True), "type": "required"}
            for attendee in attendees
        ],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "transactionId": str(uuid.uuid4()),
    }
    if args.body:
        payload["body"] = {"contentType": "text", "content": args.body}
    return payload


def event_time(value: str, zone: str) -> dict[str, str]:
    """A dateTimeTimeZone: local times are in ``zone``; a time with an offset is an instant,
    sent in UTC (the reply still comes back in ``zone`` through Prefer)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        return {"dateTime": moment.astimezone(UTC).strftime(EVENT_TIME_FORMAT), "timeZone": "UTC"}
    return {"dateTime": moment.strftime(EVENT_TIME_FORMAT), "timeZone": zone}


def meeting_result(event: dict[str, Any], zone: str, attendees: list[Attendee]) -> Meeting:
    return Meeting(
        id=event["id"],
        subject=event["subject"],
        start=_local(event["start"]["dateTime"]),
        end=_local(event["end"]["dateTime"]),
        timeZone=event["start"].get("timeZone") or zone,
        joinUrl=(event.get("onlineMeeting") or {}).get("joinUrl"),
        attendees=attendees,
    )


def _local(value: str) -> str:
    """Graph's ``2025-03-14T15:00:00.0000000`` without the seven zero digits."""
    return value.removesuffix(".0000000")

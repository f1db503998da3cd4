"""Seeded Teams data of the fake: each person's joined teams, channels, channel messages, chats
and chat messages, in Graph's shapes (wire shapes §2A).

alice is in "Contoso Marketing" and "Project Falcon"; bob in "Project Falcon" (the same team
id) and "Engineering". The fake keeps each person's data apart, so each gets their own copy of
the team they share, and a post by one is not seen by the other. The colleagues are users of
the directory in graph_contacts_people.py (same ids, names and addresses), so /users/{id}
knows everyone named here.

Message ids are epoch milliseconds as strings and channel/chat ids have Teams' forms (§2).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from tests.fakes.people import ALICE, BOB, CONTOSO, Person
from tests.fakes.state import Collections

START_MS = 1_741_939_200_000  # 2025-03-14T08:00:00Z, when the seeded conversations begin
MINUTE_MS = 60_000


def team_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://teams.contoso.example/{name}"))


def thread_hex(name: str) -> str:
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def channel_id(name: str) -> str:
    return f"19:{thread_hex(name)}@thread.tacv2"


def iso(ms: int) -> str:
    """Teams' UTC timestamps: milliseconds and a Z (wire shapes §2)."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def identity(user_id: str, name: str) -> dict[str, Any]:
    return {"id": user_id, "displayName": name, "userIdentityType": "aadUser"}


def sender(user_id: str, name: str) -> dict[str, Any]:
    return {"application": None, "device": None, "user": identity(user_id, name)}


# who: (object id, display name, mail), as the directory has them
CAST_USERS = {
    "alice": (ALICE.oid, ALICE.display_name, str(ALICE.mail)),
    "bob": (BOB.oid, BOB.display_name, str(BOB.mail)),
    "priya": (
        "7f8091a2-b3c4-4d5e-9f60-718293a4b5c6",
        "Priya Raman",
        f"priya.raman@{CONTOSO.domain}",
    ),
    "erik": (
        "e1f2a3b4-5c6d-4e7f-8091-a2b3c4d5e6f7",
        "Erik Sandoval",
        f"erik.sandoval@{CONTOSO.domain}",
    ),
}

MARKETING = team_id("contoso-marketing")
FALCON = team_id("project-falcon")
ENGINEERING = team_id("engineering")
TEAMS = {
    MARKETING: ("Contoso Marketing", "Campaigns, launches and brand for Contoso."),
    FALCON: ("Project Falcon", "The Falcon launch: planning, design reviews and status."),
    ENGINEERING: ("Engineering", "Everything engineering at Contoso."),
}
JOINED = {"alice": (MARKETING, FALCON), "bob": (FALCON, ENGINEERING)}
# (team, channel key, name, description, membership)
CHANNELS = (
    (MARKETING, "marketing-general", "General", None, "standard"),
    (MARKETING, "marketing-campaigns", "Campaigns", "Spring campaign planning", "standard"),
    (FALCON, "falcon-general", "General", None, "standard"),
    (FALCON, "falcon-design", "Design Reviews", "Weekly design reviews", "standard"),
    (ENGINEERING, "engineering-general", "General", None, "standard"),
    (ENGINEERING, "engineering-incidents", "Incidents", "On-call and incidents", "private"),
)
FALCON_GENERAL = channel_id("falcon-general")
FALCON_POSTS = (
    ("alice", "Kick-off notes are in the Falcon folder."),
    ("bob", "Build pipeline for Falcon is green again."),
    ("priya", "Launch copy draft is ready for review."),
    ("alice", "Can we move the design review to Thursday?"),
    ("bob", "<p>Thursday works. I will bring the <b>API</b> diagrams.</p>"),
)
OTHER_POSTS = {
    "marketing-general": (("priya", "Brand guidelines v3 are published."),),
    "marketing-campaigns": (("alice", "Spring campaign budget approved."),),
    "falcon-design": (("priya", "Mock-ups for the onboarding flow attached."),),
    "engineering-general": (("erik", "Reminder: architecture sync at 10:00."),),
    "engineering-incidents": (("bob", "Resolved: the 02:00 alert was a false positive."),),
}
FALCON_MESSAGES = 30  # enough for paging with $top


def channel(team: str, key: str, name: str, description: str | None, kind: str) -> dict[str, Any]:
    thread = channel_id(key)
    return {
        "id": thread,
        "createdDateTime": iso(START_MS - 30 * 24 * 60 * MINUTE_MS),
        "displayName": name,
        "description": description,
        "isArchived": False,
        "membershipType": kind,
        "email": "",
        "webUrl": (
            f"https://teams.microsoft.com/l/channel/{quote(thread, safe='')}/"
            f"{quote(name)}?groupId={team}&tenantId={CONTOSO.id}"
        ),
        "tenantId": CONTOSO.id,
        "_teamId": team,  # the fake's own key: which team the channel belongs to
    }


def stored_message(
    ms: int, author: dict[str, Any] | None, body: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """A chatMessage as Graph stores and returns it; ``fields`` set the rest (where it is,
    its mentions…)."""
    return {
        "id": str(ms),
        "replyToId": None,
        "etag": str(ms),
        "messageType": "message",
        "createdDateTime": iso(ms),
        "lastModifiedDateTime": iso(ms),
        "lastEditedDateTime": None,
        "deletedDateTime": None,
        "subject": None,
        "summary": None,
        "chatId": None,
        "importance": "normal",
        "locale": "en-us",
        "webUrl": None,
        "channelIdentity": None,
        "policyViolation": None,
        "eventDetail": None,
        "from": author,
        "body": body,
        "attachments": [],
        "mentions": [],
        "reactions": [],
        **fields,
    }


def chat_message(ms: int, who: str, content: str, **where: Any) -> dict[str, Any]:
    """A seeded message of the cast member ``who``; ``where`` places it (channel or chat)."""
    content_type = "html" if content.startswith("<") else "text"
    author = sender(*CAST_USERS[who][:2]) if who else None
    return stored_message(ms, author, {"contentType": content_type, "content": content}, **where)


def channel_message(ms: int, who: str, content: str, team: str, thread: str) -> dict[str, Any]:
    web_url = (
        f"https://teams.microsoft.com/l/message/{quote(thread, safe='')}/{ms}?groupId={team}"
        f"&tenantId={CONTOSO.id}&createdTime={ms}&parentMessageId={ms}"
    )
    return chat_message(
        ms, who, content, webUrl=web_url, channelIdentity={"teamId": team, "channelId": thread}
    )


def system_message(ms: int, detail: str, **where: Any) -> dict[str, Any]:
    """A system event: no sender, an eventDetail and a placeholder body (wire shapes §2A)."""
    message = chat_message(ms, "", "<systemEventMessage/>", **where)
    message.update(
        messageType="unknownFutureValue",
        eventDetail={"@odata.type": f"#microsoft.graph.{detail}EventMessageDetail"},
    )
    return message


def falcon_general() -> list[dict[str, Any]]:
    where = {"team": FALCON, "thread": FALCON_GENERAL}
    posts = [
        channel_message(START_MS + i * 7 * MINUTE_MS, *FALCON_POSTS[i % len(FALCON_POSTS)], **where)
        for i in range(FALCON_MESSAGES)
    ]
    joined = system_message(
        START_MS - MINUTE_MS,
        "membersAdded",
        channelIdentity={"teamId": FALCON, "channelId": FALCON_GENERAL},
    )
    return [joined, *posts]


def team_messages(teams: tuple[str, ...]) -> list[dict[str, Any]]:
    messages = falcon_general() if FALCON in teams else []
    for team, key, *_ in CHANNELS:
        for index, (who, text) in enumerate(OTHER_POSTS.get(key, ()) if team in teams else ()):
            ms = START_MS + (300 + index) * MINUTE_MS
            messages.append(channel_message(ms, who, text, team, channel_id(key)))
    return messages


# --- chats -------------------------------------------------------------------------------------

ALICE_BOB = f"19:{ALICE.oid}_{BOB.oid}@unq.gbl.spaces"
BOB_ERIK = (
    f"19:{BOB.oid}_{CAST_USERS['erik'][0]}@unq.gbl.spaces"  # bob's private chat: alice is not in it
)
LAUNCH = f"19:{thread_hex('falcon-launch-prep')}@thread.v2"
CHATS = {
    # id: (topic, chatType, members, [(minutes after START, who, text)])
    ALICE_BOB: (
        None,
        "oneOnOne",
        ("alice", "bob"),
        ((120, "alice", "Lunch at 12:30?"), (122, "bob", "Sure, see you at the canteen.")),
    ),
    LAUNCH: (
        "Falcon launch prep",
        "group",
        ("alice", "bob", "priya"),
        (
            (200, "priya", "Press release goes out Monday."),
            (205, "alice", "Great, I will brief the sales team."),
            (210, "bob", "Release branch is cut."),
        ),
    ),
    BOB_ERIK: (
        None,
        "oneOnOne",
        ("bob", "erik"),
        ((90, "erik", "Your promotion case is in, keep it quiet for now."),),
    ),
}
MY_CHATS = {"alice": (ALICE_BOB, LAUNCH), "bob": (ALICE_BOB, LAUNCH, BOB_ERIK)}


def member(who: str) -> dict[str, Any]:
    user_id, name, mail = CAST_USERS[who]
    return {
        "@odata.type": "#microsoft.graph.aadUserConversationMember",
        "id": f"MCMjMSMjMCMj{thread_hex(user_id)[:16]}",
        "roles": ["owner"],
        "displayName": name,
        "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
        "userId": user_id,
        "email": mail,
        "tenantId": CONTOSO.id,
    }


def chat(chat_id: str) -> dict[str, Any]:
    topic, kind, members, lines = CHATS[chat_id]
    last = START_MS + lines[-1][0] * MINUTE_MS
    return {
        "id": chat_id,
        "topic": topic,
        "createdDateTime": iso(START_MS - 7 * 24 * 60 * MINUTE_MS),
        "lastUpdatedDateTime": iso(last),
        "chatType": kind,
        "webUrl": f"https://teams.microsoft.com/l/chat/{quote(chat_id, safe='')}/0"
        f"?tenantId={CONTOSO.id}",
        "tenantId": CONTOSO.id,
        "isHiddenForAllMembers": False,
        "members": [member(who) for who in members],  # shown only with $expand=members
    }


def chat_messages(chat_id: str) -> list[dict[str, Any]]:
    lines = CHATS[chat_id][3]
    return [
        {**chat_message(START_MS + at * MINUTE_MS, who, text, chatId=chat_id), "messageHistory": []}
        for at, who, text in lines
    ]


def teams_seed(person: Person) -> Collections:
    """This person's own copy of their teams, channels, chats and messages."""
    teams = JOINED.get(person.key, ())
    chats = MY_CHATS.get(person.key, ())
    return {
        "joinedTeams": [
            {"id": team, "displayName": TEAMS[team][0], "description": TEAMS[team][1]}
            for team in teams
        ],
        "channels": [channel(*row) for row in CHANNELS if row[0] in teams],
        "channelMessages": team_messages(teams),
        "chats": [chat(chat_id) for chat_id in chats],
        "chatMessages": [message for chat_id in chats for message in chat_messages(chat_id)],
    }

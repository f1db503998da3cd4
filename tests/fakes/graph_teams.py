"""Graph Teams endpoints of the fake (wire shapes §2A): joined teams, channels, channel
messages and replies, chats and chat messages. Seeded data: graph_teams_seed.py.

Everything lives in the caller's own collections (``joinedTeams``, ``channels``,
``channelMessages``, ``chats``, ``chatMessages``), in Graph's shapes; keys starting with "_"
are the fake's own and never shown. A team the caller has not joined is not found; a chat the
caller is not a member of is Forbidden, as Graph answers (microsoft-graph-docs#14677).
Lists page with an opaque ``$skiptoken`` in an @odata.nextLink that keeps the other options.
Directory look-ups (/users/{id}) are graph_contacts_people.py's.
"""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any
from urllib.parse import quote, urlencode

from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected
from tests.fakes.graph_teams_seed import sender, stored_message, teams_seed
from tests.fakes.people import Person
from tests.fakes.state import Collections

# Delegated permissions per operation (wire shapes §2A "Permission summary"). joinedTeams also
# accepts TeamSettings.* and Directory.*; only the least one is listed here, which is what the
# fake's own route-table test (test_fake_graph.py) names in its 403.
JOINED_TEAMS = ("Team.ReadBasic.All",)
LIST_CHANNELS = (
    "Channel.ReadBasic.All",
    "ChannelSettings.Read.All",
    "ChannelSettings.ReadWrite.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
)
READ_CHANNEL_MESSAGES = ("ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All")
SEND_CHANNEL_MESSAGE = ("ChannelMessage.Send", "Group.ReadWrite.All")
LIST_CHATS = ("Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite")
READ_CHAT_MESSAGES = ("Chat.Read", "Chat.ReadWrite")
SEND_CHAT_MESSAGE = ("ChatMessage.Send", "Chat.ReadWrite", "Group.ReadWrite.All")

MAX_TOP = 50
DEFAULT_TOP = 20
CHANNEL_FIELDS = frozenset(
    {
        "id",
        "createdDateTime",
        "displayName",
        "description",
        "isArchived",
        "membershipType",
        "email",
        "webUrl",
        "tenantId",
    }
)
CHAT_ORDER = "lastMessagePreview/createdDateTime desc"
AT_TAG = re.compile(r'<at id="?(\d+)"?>')


def seed(person: Person) -> Collections:
    """This person's seeded teams data."""
    return teams_seed(person)


# --- shared ------------------------------------------------------------------------------------


def bad_request(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


def shown(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not key.startswith("_")}


def only_options(call: GraphCall, allowed: set[str]) -> None:
    for name in call.request.query:
        if name.startswith("$") and name not in allowed:
            raise bad_request(f"Query option '{name[:50]}' is not supported for this request.")


def top(call: GraphCall) -> int:
    raw = call.request.query.get("$top", str(DEFAULT_TOP))
    if not raw.isdigit() or not 0 < int(raw) <= MAX_TOP:
        raise bad_request(f"Invalid page size requested. The maximum allowed is {MAX_TOP}.")
    return int(raw)


def page(call: GraphCall, items: list[dict[str, Any]], context: str) -> GraphReply:
    """One page of ``items`` from the offset in $skiptoken, and a nextLink to the rest."""
    size = top(call)
    offset = _offset(call.request.query.get("$skiptoken"))
    body: dict[str, Any] = {
        "@odata.context": f"{call.base_url}/$metadata#{context}",
        "@odata.count": len(items[offset : offset + size]),
        "value": items[offset : offset + size],
    }
    if offset + size < len(items):
        body["@odata.nextLink"] = _next_link(call, offset + size)
    return GraphReply(200, body)


def _offset(token: str | None) -> int:
    if token is None:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError:
        raise bad_request("The skip token is not valid.") from None
    offset = decoded.get("o") if isinstance(decoded, dict) else None
    if not isinstance(offset, int):
        raise bad_request("The skip token is not valid.")
    return max(0, offset)


def _next_link(call: GraphCall, offset: int) -> str:
    token = base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()
    query = {k: v for k, v in call.request.query.items() if k != "$skiptoken"}
    query["$skiptoken"] = token
    path = call.request.path.removeprefix("/v1.0")
    return f"{call.base_url}{path}?{urlencode(query, safe='$/,')}"


def new_message_id(call: GraphCall) -> int:
    """Epoch milliseconds, after every message the person already has (wire shapes §2)."""
    known = [
        int(message["id"])
        for name in ("channelMessages", "chatMessages")
        for message in call.data.get(name, [])
    ]
    return max([int(time.time() * 1000), *(ms + 1 for ms in known)])


def newest_first(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(messages, key=lambda message: int(message["id"]), reverse=True)


# --- teams and channels --------------------------------------------------------------------


def joined_teams_list(call: GraphCall) -> GraphReply:
    # "This method does not support OData query parameters" (G-API user-list-joinedteams).
    only_options(call, set())
    teams = [shown(team) for team in call.data.get("joinedTeams", [])]
    context = f"{call.base_url}/$metadata#teams"
    return GraphReply(200, {"@odata.context": context, "@odata.count": len(teams), "value": teams})


def _team(call: GraphCall) -> str:
    team = call.params["team"]
    if not any(joined["id"] == team for joined in call.data.get("joinedTeams", [])):
        raise GraphError(404, "NotFound", f"No team found with Group Id {team[:64]}")
    return team


def _channels(call: GraphCall) -> list[dict[str, Any]]:
    team = _team(call)
    return [item for item in call.data.get("channels", []) if item["_teamId"] == team]


def _channel(call: GraphCall) -> dict[str, Any]:
    found = [item for item in _channels(call) if item["id"] == call.params["channel"]]
    if not found:
        raise GraphError(404, "NotFound", "Channel not found.")
    return found[0]


def channels_list(call: GraphCall) -> GraphReply:
    only_options(call, {"$select", "$filter"})
    channels = [shown(item) for item in _channels(call)]
    wanted = call.request.query.get("$filter")
    if wanted is not None:
        kind = re.fullmatch(r"membershipType eq '(standard|private|shared)'", wanted)
        if kind is None:
            raise bad_request("Only $filter=membershipType eq '…' is supported.")
        channels = [item for item in channels if item["membershipType"] == kind[1]]
    names = selected(call)
    if names is not None:
        unknown = [name for name in names if name not in CHANNEL_FIELDS]
        if unknown:
            raise bad_request(
                f"Could not find a property named '{unknown[0][:64]}' on type "
                "'microsoft.graph.channel'."
            )
        channels = [{name: item[name] for name in names if name in item} for item in channels]
    context = f"teams('{call.params['team']}')/channels"
    return GraphReply(
        200, {"@odata.context": f"{call.base_url}/$metadata#{context}", "value": channels}
    )


def _channel_messages(call: GraphCall, thread: str) -> list[dict[str, Any]]:
    return [
        message
        for message in call.data.get("channelMessages", [])
        if (message.get("channelIdentity") or {}).get("channelId") == thread
    ]


def channel_messages_list(call: GraphCall) -> GraphReply:
    # Channel messages take $top (max 50) and $expand=replies only (G-API channel-list-messages).
    only_options(call, {"$top", "$skiptoken"})
    thread = _channel(call)["id"]
    roots = [m for m in _channel_messages(call, thread) if m["replyToId"] is None]
    context = f"teams('{call.params['team']}')/channels('{quote(thread)}')/messages"
    return page(call, newest_first(roots), context)


def channel_message_post(call: GraphCall) -> GraphReply:
    team, thread = call.params["team"], _channel(call)["id"]
    return _posted(call, _new_channel_message(call, team, thread, reply_to=None))


def channel_reply_post(call: GraphCall) -> GraphReply:
    team, thread = call.params["team"], _channel(call)["id"]
    parent = call.params["message"]
    if not any(m["id"] == parent for m in _channel_messages(call, thread)):
        raise GraphError(404, "NotFound", "Message not found.")
    return _posted(call, _new_channel_message(call, team, thread, reply_to=parent))


def _new_channel_message(
    call: GraphCall, team: str, thread: str, *, reply_to: str | None
) -> dict[str, Any]:
    message = _new_message(call)
    ms = message["id"]
    message.update(
        replyToId=reply_to,
        channelIdentity={"teamId": team, "channelId": thread},
        webUrl=f"https://teams.microsoft.com/l/message/{quote(thread, safe='')}/{ms}"
        f"?groupId={team}&tenantId={call.person.tid}&createdTime={ms}"
        f"&parentMessageId={reply_to or ms}",
    )
    call.data.setdefault("channelMessages", []).append(message)
    return message


# --- posting -------------------------------------------------------------------------------


def _new_message(call: GraphCall) -> dict[str, Any]:
    """The chatMessage a POST creates, from its body (G-API chatmessage-post)."""
    try:
        payload = json.loads(call.request.body)
    except ValueError:
        raise bad_request("Unable to read JSON request payload.") from None
    body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        raise bad_request("Message body content is required.")
    content_type = str(body.get("contentType", "text")).lower()
    if content_type not in ("text", "html"):
        raise bad_request(f"Invalid body contentType '{content_type[:20]}'.")
    mentions = _mentions(payload.get("mentions") or [], body["content"], content_type)
    author = sender(call.person.oid, call.person.display_name)
    content = {"contentType": content_type, "content": body["content"]}
    return stored_message(new_message_id(call), author, content, mentions=mentions)


def _mentions(given: Any, content: str, content_type: str) -> list[dict[str, Any]]:
    """Mentions as Graph stores them; each ``<at id="N">`` of an html body has one entry."""
    if not isinstance(given, list):
        raise bad_request("mentions must be a collection.")
    stored = [_mention(item) for item in given]
    tagged = {int(found) for found in AT_TAG.findall(content)} if content_type == "html" else set()
    if tagged != {mention["id"] for mention in stored}:
        raise bad_request("Every <at> tag in the body needs one mention with its id.")
    return stored


def _mention(item: Any) -> dict[str, Any]:
    user = item.get("mentioned", {}).get("user") if isinstance(item, dict) else None
    if not isinstance(user, dict) or not isinstance(item.get("id"), int) or not user.get("id"):
        raise bad_request("Each mention needs an integer id and mentioned.user.")
    return {
        "id": item["id"],
        "mentionText": item.get("mentionText"),
        "mentioned": {
            "application": None,
            "device": None,
            "conversation": None,
            "user": {
                "id": user["id"],
                "displayName": user.get("displayName"),
                "userIdentityType": user.get("userIdentityType", "aadUser"),
            },
        },
    }


def _posted(call: GraphCall, message: dict[str, Any]) -> GraphReply:
    path = call.request.path.removeprefix("/v1.0")
    context = f"{call.base_url}/$metadata#{path.strip('/')}/$entity"
    return GraphReply(201, {"@odata.context": context, **shown(message)})


# --- chats ---------------------------------------------------------------------------------


def _chat(call: GraphCall) -> dict[str, Any]:
    found = [chat for chat in call.data.get("chats", []) if chat["id"] == call.params["chat"]]
    if not found:
        raise GraphError(403, "Forbidden", "Forbidden")
    return found[0]


def _chat_messages(call: GraphCall, chat_id: str) -> list[dict[str, Any]]:
    return [m for m in call.data.get("chatMessages", []) if m["chatId"] == chat_id]


def chats_list(call: GraphCall) -> GraphReply:
    # $expand (members, lastMessagePreview), $top max 50 and one $orderby (G-API chat-list).
    only_options(call, {"$expand", "$top", "$orderby", "$skiptoken"})
    expand = {part.strip() for part in call.request.query.get("$expand", "").split(",") if part}
    if not expand <= {"members", "lastMessagePreview"}:
        raise GraphError(400, "ExpandNotSupported", "Expand is not allowed for this property.")
    order = call.request.query.get("$orderby")
    if order is not None and order != CHAT_ORDER:
        raise bad_request(f"Only $orderby={CHAT_ORDER} is supported.")
    chats = [_chat_shown(call, chat, expand) for chat in call.data.get("chats", [])]
    if order is not None:
        chats.sort(key=lambda chat: _last_message_ms(call, chat["id"]), reverse=True)
    return page(call, chats, "chats")


def _chat_shown(call: GraphCall, chat: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    item = {key: value for key, value in shown(chat).items() if key != "members"}
    if "members" in expand:
        item["members"] = chat["members"]
    if "lastMessagePreview" in expand:
        latest = newest_first(_chat_messages(call, chat["id"]))[:1]
        item["lastMessagePreview"] = (
            {key: latest[0][key] for key in ("id", "createdDateTime", "body", "from")}
            if latest
            else None
        )
    return item


def _last_message_ms(call: GraphCall, chat_id: str) -> int:
    return max((int(m["id"]) for m in _chat_messages(call, chat_id)), default=0)


def chat_messages_list(call: GraphCall) -> GraphReply:
    # $top max 50; $orderby lastModifiedDateTime (default) or createdDateTime, desc only.
    only_options(call, {"$top", "$orderby", "$skiptoken"})
    order = call.request.query.get("$orderby", "lastModifiedDateTime desc")
    if order not in ("lastModifiedDateTime desc", "createdDateTime desc"):
        raise bad_request("$orderby supports lastModifiedDateTime or createdDateTime desc.")
    chat_id = _chat(call)["id"]
    key = order.split()[0]
    messages = sorted(_chat_messages(call, chat_id), key=lambda m: m[key], reverse=True)
    return page(call, messages, f"chats('{quote(chat_id)}')/messages")


def chat_message_post(call: GraphCall) -> GraphReply:
    chat = _chat(call)
    message = {**_new_message(call), "chatId": chat["id"], "messageHistory": []}
    call.data.setdefault("chatMessages", []).append(message)
    chat["lastUpdatedDateTime"] = message["createdDateTime"]
    return _posted(call, message)


ROUTES = (
    graph_route(
        "GET", "/me/joinedTeams", any_of=JOINED_TEAMS, family="teams", handler=joined_teams_list
    ),
    graph_route(
        "GET", "/teams/{team}/channels", any_of=LIST_CHANNELS, family="teams", handler=channels_list
    ),
    graph_route(
        "GET",
        "/teams/{team}/channels/{channel}/messages",
        any_of=READ_CHANNEL_MESSAGES,
        family="teams",
        handler=channel_messages_list,
    ),
    graph_route(
        "POST",
        "/teams/{team}/channels/{channel}/messages",
        any_of=SEND_CHANNEL_MESSAGE,
        family="teams",
        handler=channel_message_post,
    ),
    graph_route(
        "POST",
        "/teams/{team}/channels/{channel}/messages/{message}/replies",
        any_of=SEND_CHANNEL_MESSAGE,
        family="teams",
        handler=channel_reply_post,
    ),
    graph_route("GET", "/me/chats", any_of=LIST_CHATS, family="teams", handler=chats_list),
    graph_route(
        "GET",
        "/chats/{chat}/messages",
        any_of=READ_CHAT_MESSAGES,
        family="teams",
        handler=chat_messages_list,
    ),
    graph_route(
        "POST",
        "/chats/{chat}/messages",
        any_of=SEND_CHAT_MESSAGE,
        family="teams",
        handler=chat_message_post,
    ),
)

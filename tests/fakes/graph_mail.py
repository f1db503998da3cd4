"""Graph mail endpoints of the fake (wire shapes §2A): folders, message lists with $top/$skip
paging, $select, $orderby and $search, one message with $expand=attachments, attachments.

The writes (send, reply, drafts, move, PATCH, uploads) are in graph_mail_send.py, the data
helpers in graph_mail_store.py and the seeded mailboxes in graph_mail_seed.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from tests.fakes import graph_mail_send as send
from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected
from tests.fakes.graph_mail_seed import seed
from tests.fakes.graph_mail_store import (
    MESSAGE_PROPERTIES,
    folder_counted,
    folder_find,
    message_find,
    message_visible,
    projected,
)

__all__ = ["ROUTES", "seed"]

# PERM, "Permission summary": who may read and who may write mail.
READ = ("Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite")
READ_FULL = ("Mail.Read", "Mail.ReadWrite")  # attachments are not "basic"
FOLDER_PROPERTIES = (
    "id",
    "displayName",
    "parentFolderId",
    "childFolderCount",
    "unreadItemCount",
    "totalItemCount",
    "sizeInBytes",
    "isHidden",
)
ATTACHMENT_PROPERTIES = (
    "id",
    "lastModifiedDateTime",
    "name",
    "contentType",
    "size",
    "isInline",
    "contentId",
    "contentLocation",
    "contentBytes",
)
MAX_TOP = 1000
SEARCH_TERM = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')
SEARCH_FIELDS = {"from", "to", "cc", "subject", "body", "participants", "hasattachments"}


def context(call: GraphCall, what: str) -> str:
    return f"{call.base_url}/$metadata#users('{call.person.oid}')/{what}"


def page(call: GraphCall, items: list[dict[str, Any]], what: str, default_top: int) -> GraphReply:
    """One page of a collection, with an @odata.nextLink keeping every query option (§2)."""
    query = call.request.query
    top, skip = _number(query, "$top", default_top), _number(query, "$skip", 0)
    if not 1 <= top <= MAX_TOP:
        raise GraphError(400, "ErrorInvalidParameter", "Invalid value for $top.")
    body: dict[str, Any] = {
        "@odata.context": context(call, what),
        "value": items[skip : skip + top],
    }
    if skip + top < len(items):
        following = urlencode({**query, "$skip": str(skip + top)})
        root = call.base_url.removesuffix("/v1.0")
        body["@odata.nextLink"] = f"{root}{call.request.path}?{following}"
    return GraphReply(200, body)


def _number(query: Any, name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    if not str(value).isdigit():
        raise GraphError(400, "BadRequest", f"Invalid value '{str(value)[:20]}' for {name}.")
    return int(value)


# --- folders -------------------------------------------------------------------------------


def folders_list(call: GraphCall) -> GraphReply:
    root = next(
        (f["parentFolderId"] for f in call.data.get("mailFolders", [])),
        None,
    )
    return _folders(call, root, "mailFolders")


def folder_get(call: GraphCall) -> GraphReply:
    """One folder by id or well-known name (moveEmail reads Deleted Items' id this way)."""
    folder = folder_counted(call.data, folder_find(call.data, call.params["folder"]))
    body = projected(call, folder, selected(call), FOLDER_PROPERTIES)
    return GraphReply(200, {"@odata.context": context(call, "mailFolders/$entity"), **body})


def child_folders_list(call: GraphCall) -> GraphReply:
    parent = folder_find(call.data, call.params["folder"])
    return _folders(call, parent["id"], f"mailFolders('{parent['id']}')/childFolders")


def _folders(call: GraphCall, parent: str | None, what: str) -> GraphReply:
    names = selected(call)
    found = [
        projected(call, folder_counted(call.data, folder), names, FOLDER_PROPERTIES)
        for folder in call.data.get("mailFolders", [])
        if folder.get("parentFolderId") == parent
    ]
    return page(call, found, what, default_top=10)


# --- messages ------------------------------------------------------------------------------


def messages_list(call: GraphCall) -> GraphReply:
    return _messages(call, call.data.get("messages", []), "messages")


def folder_messages_list(call: GraphCall) -> GraphReply:
    folder = folder_find(call.data, call.params["folder"])
    inside = [m for m in call.data.get("messages", []) if m.get("parentFolderId") == folder["id"]]
    return _messages(call, inside, f"mailFolders('{folder['id']}')/messages")


def _messages(call: GraphCall, messages: list[dict[str, Any]], what: str) -> GraphReply:
    query = call.request.query
    if "$filter" in query:
        raise GraphError(400, "BadRequest", "This fake does not implement $filter on messages.")
    search = query.get("$search")
    if search is not None and "$orderby" in query:
        raise GraphError(
            400,
            "SearchWithOrderBy",
            "The query parameter '$orderBy' is not supported with '$search'.",
        )
    if search is not None:
        # Search results come sorted by sent date (G-SRCH).
        terms = _search_terms(search)
        found = [m for m in messages if all(_matches(m, term) for term in terms)]
        ordered = sorted(found, key=lambda m: str(m.get("sentDateTime", "")), reverse=True)
    else:
        ordered = _ordered(messages, query.get("$orderby", "receivedDateTime desc"))
    names = selected(call)
    shown = [projected(call, message_visible(call, m), names, MESSAGE_PROPERTIES) for m in ordered]
    if names:
        what = f"{what}({','.join(names)})"
    return page(call, shown, what, default_top=10)


def _ordered(messages: list[dict[str, Any]], orderby: str) -> list[dict[str, Any]]:
    ordered = list(messages)
    for clause in reversed([part.split() for part in orderby.split(",") if part.strip()]):
        name, direction = clause[0], (clause[1].lower() if len(clause) > 1 else "asc")
        if name not in MESSAGE_PROPERTIES or direction not in ("asc", "desc"):
            raise GraphError(400, "BadRequest", f"Invalid $orderby clause '{name[:50]}'.")
        ordered.sort(key=lambda m: str(m.get(name) or ""), reverse=direction == "desc")
    return ordered


def _search_terms(search: str) -> list[tuple[str, str]]:
    """``"from:anna subject:\\"q3 budget\\""`` as (field, words) pairs; "" is any field."""
    if len(search) < 2 or not (search.startswith('"') and search.endswith('"')):
        raise GraphError(
            400, "BadRequest", "Syntax error: the $search value must be enclosed in double quotes."
        )
    inner = re.sub(r'\\(["\\])', r"\1", search[1:-1])
    terms = []
    for found in SEARCH_TERM.finditer(inner):
        field, value = (found[1], found[2]) if found[1] else (found[3], found[4])
        if field and field.lower() in SEARCH_FIELDS:
            terms.append((field.lower(), value.lower()))
        else:
            terms.append(("", (found[0] if field else found[5] or found[6] or "").lower()))
    return [term for term in terms if term[1]]


def _matches(message: dict[str, Any], term: tuple[str, str]) -> bool:
    field, words = term
    if field == "hasattachments":
        return str(bool(message.get("hasAttachments"))).lower() == words
    people = {
        "from": [message.get("from")],
        "to": message.get("toRecipients") or [],
        "cc": message.get("ccRecipients") or [],
    }
    people["participants"] = [*people["from"], *people["to"], *people["cc"]]
    texts = {
        "subject": str(message.get("subject", "")),
        "body": str((message.get("body") or {}).get("content", "")),
    }
    if field in people:
        return any(words in _who(person) for person in people[field])
    if field in texts:
        return words in texts[field].lower()
    everywhere = [*texts.values(), *(_who(p) for p in people["participants"])]
    return any(words.strip('"') in value.lower() for value in everywhere)


def _who(recipient: Any) -> str:
    email = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    if not isinstance(email, dict):
        return ""
    return f"{email.get('name', '')} {email.get('address', '')}".lower()


def message_get(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    body = projected(call, message_visible(call, message), selected(call), MESSAGE_PROPERTIES)
    expand = call.request.query.get("$expand")
    if expand is not None:
        body["attachments"] = _expanded_attachments(call, message, expand)
    body = {"@odata.context": context(call, "messages/$entity"), **body}
    return GraphReply(200, body)


def _expanded_attachments(call: GraphCall, message: dict[str, Any], expand: str) -> Any:
    found = re.fullmatch(r"attachments(?:\(\$select=([\w,]+)\))?", expand.strip())
    if found is None:
        raise GraphError(
            400,
            "ExpandNotSupported",
            f"Expand is not allowed for property '{expand[:50]}' according to the entity schema.",
        )
    names = found[1].split(",") if found[1] else None
    return [_attachment(call, item, names) for item in message.get("attachments", [])]


# --- attachments ---------------------------------------------------------------------------


def _attachment(call: GraphCall, item: dict[str, Any], names: list[str] | None) -> Any:
    return projected(call, item, names, ATTACHMENT_PROPERTIES)


def attachments_list(call: GraphCall) -> GraphReply:
    # Graph returns every attachment at once: this collection does not page.
    message = message_find(call.data, call.params["id"])
    names = selected(call)
    items = [_attachment(call, item, names) for item in message.get("attachments", [])]
    what = f"messages('{message['id']}')/attachments"
    return GraphReply(200, {"@odata.context": context(call, what), "value": items})


def attachment_get(call: GraphCall) -> GraphReply:
    message = message_find(call.data, call.params["id"])
    item = next(
        (a for a in message.get("attachments", []) if a["id"] == call.params["attachment"]),
        None,
    )
    if item is None:
        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found.")
    what = f"messages('{message['id']}')/attachments/$entity"
    body = {"@odata.context": context(call, what), **_attachment(call, item, selected(call))}
    return GraphReply(200, body)


ROUTES = (
    graph_route("GET", "/me/mailFolders", any_of=READ, family="outlook", handler=folders_list),
    graph_route(
        "GET", "/me/mailFolders/{folder}", any_of=READ, family="outlook", handler=folder_get
    ),
    graph_route(
        "GET",
        "/me/mailFolders/{folder}/childFolders",
        any_of=READ,
        family="outlook",
        handler=child_folders_list,
    ),
    graph_route(
        "GET",
        "/me/mailFolders/{folder}/messages",
        any_of=READ,
        family="outlook",
        handler=folder_messages_list,
    ),
    graph_route("GET", "/me/messages", any_of=READ, family="outlook", handler=messages_list),
    graph_route("GET", "/me/messages/{id}", any_of=READ, family="outlook", handler=message_get),
    graph_route(
        "GET",
        "/me/messages/{id}/attachments",
        any_of=READ_FULL,
        family="outlook",
        handler=attachments_list,
    ),
    graph_route(
        "GET",
        "/me/messages/{id}/attachments/{attachment}",
        any_of=READ_FULL,
        family="outlook",
        handler=attachment_get,
    ),
    *send.ROUTES,
)

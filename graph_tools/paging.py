"""Paging with opaque cursors: a tool returns ``nextCursor``; the model passes it back.

A cursor is Graph's ``@odata.nextLink`` (checked to lie under the Graph base first), made
relative, bound to the person and the listing it came from, and signed with SECRET_KEY: the
model cannot point it anywhere else, and a cursor from one listing or person is refused by
another. Graph pages Outlook with ``$skip`` and directory/Teams with ``$skiptoken``; either
way the whole link is followed as given, never rebuilt (wire shapes §2, Query options).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core import signing

from graph_tools import graph_errors
from graph_tools.client import GraphClient, graph_link_checked
from graph_tools.errors import InvalidCursor

SALT = "graph_tools.paging.cursor"
MAX_CURSOR_LENGTH = 4096


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def page_get(
    graph: GraphClient,
    path: str,
    *,
    listing: str,
    cursor: str | None,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Page:
    """One page of a Graph collection: the first (``path`` + ``params``) or ``cursor``'s.

    ``listing`` names what is being listed (e.g. "messages:inbox"), so a cursor only works
    for the listing that produced it. ``headers`` are sent on every page (Graph does not
    carry ``Prefer`` or ``ConsistencyLevel`` into its nextLinks).
    """
    if cursor:
        url = cursor_open(cursor, graph=graph, listing=listing)
        body = graph.request("GET", url, headers=headers).body
    else:
        body = graph.request("GET", path, params=params, headers=headers).body
    items = body.get("value") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise graph_errors.malformed()
    link = body.get("@odata.nextLink")
    if link is not None and not isinstance(link, str):
        raise graph_errors.malformed()
    next_cursor = cursor_seal(link, graph=graph, listing=listing) if link else None
    return Page(items, next_cursor)


def cursor_seal(link: str, *, graph: GraphClient, listing: str) -> str:
    graph_link_checked(link, graph.base_url)
    relative = link[len(graph.base_url) :]
    payload = {"u": relative, "p": graph.user.pk, "l": listing}
    return signing.dumps(payload, salt=SALT, compress=True)


def cursor_open(cursor: str, *, graph: GraphClient, listing: str) -> str:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor
    try:
        payload = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        raise InvalidCursor from None
    if not isinstance(payload, dict) or payload.get("p") != graph.user.pk:
        raise InvalidCursor
    relative = payload.get("u")
    if payload.get("l") != listing or not isinstance(relative, str):
        raise InvalidCursor
    return graph_link_checked(f"{graph.base_url}{relative}", graph.base_url)

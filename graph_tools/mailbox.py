"""The person's mailbox time zone, which every tool uses for times unless told otherwise."""

from __future__ import annotations

import re

from django.core.cache import cache

from graph_tools.client import GraphClient
from graph_tools.errors import GraphError

CACHE_SECONDS = 3600
FALLBACK_TIME_ZONE = "UTC"  # Graph's own default when no Prefer header is sent
# The characters of Windows and IANA zone names; nothing that could break out of the header.
ZONE_NAME = re.compile(r"^[A-Za-z0-9 _+\-/().,']{1,64}$")


def mailbox_time_zone(graph: GraphClient) -> str:
    """``GET /me/mailboxSettings/timeZone`` (MailboxSettings.Read), cached for an hour."""
    key = f"graph_tools:mailbox-time-zone:{graph.user.pk}"
    zone = cache.get(key)
    if isinstance(zone, str):
        return zone
    body = graph.get("/me/mailboxSettings/timeZone")
    value = body.get("value") if isinstance(body, dict) else None
    zone = value if isinstance(value, str) and ZONE_NAME.match(value) else FALLBACK_TIME_ZONE
    cache.set(key, zone, CACHE_SECONDS)
    return zone


def mailbox_time_zone_or_utc(graph: GraphClient) -> str:
    """The mailbox zone, or UTC when there is none to read: for tools that do not need the
    mailbox (Teams), which must not fail over the zone of their times.

    Microsoft refuses (403) when the scope lacks MailboxSettings.Read, and answers
    MailboxNotEnabledForRESTAPI for an account without an Exchange Online mailbox (wire
    shapes §3). Either is remembered as long as a zone would be, so as not to ask every call.
    """
    refused = f"graph_tools:mailbox-time-zone-refused:{graph.user.pk}"
    if cache.get(refused):
        return FALLBACK_TIME_ZONE
    try:
        return mailbox_time_zone(graph)
    except GraphError as error:
        if error.status != 403 and error.code != "MailboxNotEnabledForRESTAPI":
            raise
        cache.set(refused, True, CACHE_SECONDS)
        return FALLBACK_TIME_ZONE


def time_zone_header(zone: str) -> dict[str, str]:
    """Times in replies in ``zone`` (Prefer: outlook.timezone, wire shapes §2)."""
    return {"Prefer": f'outlook.timezone="{zone}"'}

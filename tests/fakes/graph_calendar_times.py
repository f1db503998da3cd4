"""Time zones as the fake's calendar speaks them (wire shapes §2, dateTimeTimeZone and Prefer).

Events are stored as sent: ``{"dateTime": local, "timeZone": name}``. Replies carry them in the
zone ``Prefer: outlook.timezone`` names (UTC without it, or when the name is unknown), with
``Preference-Applied`` when it was honoured. The fake knows a few Windows names (mapped to
IANA here, independently of the server's own table) and any IANA name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tests.fakes.graph import GraphCall, GraphError

WINDOWS_NAMES = {
    "UTC": "UTC",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "GMT Standard Time": "Europe/London",
    "Pacific Standard Time": "America/Los_Angeles",
    "Eastern Standard Time": "America/New_York",
    "Tokyo Standard Time": "Asia/Tokyo",
}
PREFER_ZONE = re.compile(r'outlook\.timezone="([^"]{1,64})"')
GRAPH_FORMAT = "%Y-%m-%dT%H:%M:%S.0000000"  # seven fractional digits, no offset (§2)


def zone_named(name: Any) -> tzinfo | None:
    if not isinstance(name, str) or not name or ".." in name:
        return None
    try:
        return ZoneInfo(WINDOWS_NAMES.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def preferred_zone(call: GraphCall) -> tuple[str, tzinfo, dict[str, str]]:
    """The reply's zone name, the zone, and the Preference-Applied header when honoured."""
    found = PREFER_ZONE.search(call.request.header("prefer"))
    zone = zone_named(found[1]) if found else None
    if found is None or zone is None:
        return "UTC", UTC, {}  # Graph's default; an unknown zone is ignored
    return found[1], zone, {"Preference-Applied": f'outlook.timezone="{found[1]}"'}


def zone_unsupported(name: Any) -> GraphError:
    # Real wording (3P microsoftgraph/microsoft-graph-docs#4758).
    return GraphError(
        400,
        "TimeZoneNotSupportedException",
        "A valid TimeZone value must be specified. The following TimeZone value is not "
        f"supported: '{str(name)[:64]}'.",
    )


def instant(value: Any) -> datetime:
    """A dateTimeTimeZone from a request body or the store, as an aware UTC datetime."""
    if not isinstance(value, dict) or not isinstance(value.get("dateTime"), str):
        raise GraphError(400, "ErrorInvalidRequest", "Your request can't be completed.")
    zone = zone_named(value.get("timeZone"))
    if zone is None:
        raise zone_unsupported(value.get("timeZone"))
    try:
        moment = datetime.fromisoformat(value["dateTime"])
    except ValueError:
        raise GraphError(
            400, "ErrorInvalidRequest", "Cannot convert the literal to the expected DateTime."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def query_instant(value: str | None, name: str) -> datetime:
    """A calendarView bound: an offset is honoured, none means UTC (G-API:calendarview)."""
    if not value:
        raise GraphError(
            400,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters "
            "StartDateTime and EndDateTime.",
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise GraphError(
            400,
            "ErrorInvalidParameter",
            f"The value '{value[:40]}' of parameter '{name}' is invalid.",
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def in_zone(moment: datetime, name: str, zone: tzinfo) -> dict[str, str]:
    return {"dateTime": moment.astimezone(zone).strftime(GRAPH_FORMAT), "timeZone": name}


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

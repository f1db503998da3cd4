"""Reads for the admin dashboard: a handful of aggregate queries, one per figure or series
(never one per bucket), portable between SQLite and PostgreSQL.

Buckets are hours and days of the current time zone (TIME_ZONE, or an override): the
database truncates in that zone (TruncHour/TruncDay with USE_TZ) and the empty buckets are
filled in here, stepping in absolute time so a daylight-saving change cannot skip an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from graph_tools.models import MicrosoftConnection
from mcp_gateway.models import ToolCall

# A connection whose access token expires within this long is refreshed soon (the default
# window of `refresh_graph_tokens`); needing sign-in is the state that needs a person.
EXPIRING_WINDOW = timedelta(minutes=30)
NOT_OK = ~Q(outcome=ToolCall.Outcome.OK)


@dataclass(frozen=True)
class Bucket:
    start: datetime
    calls: int
    errors: int  # every outcome but OK

    @property
    def error_rate(self) -> float:
        return self.errors / self.calls if self.calls else 0.0


@dataclass(frozen=True)
class Series:
    buckets: list[Bucket]

    @property
    def calls(self) -> int:
        return sum(bucket.calls for bucket in self.buckets)

    @property
    def errors(self) -> int:
        return sum(bucket.errors for bucket in self.buckets)

    @property
    def error_rate(self) -> float:
        return self.errors / self.calls if self.calls else 0.0


@dataclass(frozen=True)
class TokenHealth:
    connected: int  # people with a Microsoft connection
    needing_sign_in: int  # Microsoft refused the stored sign-in, or an administrator asked
    expired: int  # refreshed on next use (or by refresh_graph_tokens)
    expiring_soon: int  # within EXPIRING_WINDOW


@dataclass(frozen=True)
class Activity:
    people_24h: int
    people_30d: int
    clients_24h: int
    clients_30d: int


def tool_calls_hourly(*, now: datetime, hours: int = 24) -> Series:
    """Calls and errors per hour, for the ``hours`` hours ending with the current one."""
    current = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    starts = [_shift(current, timedelta(hours=offset)) for offset in range(1 - hours, 1)]
    return _series(starts=starts, now=now, trunc=TruncHour)


def tool_calls_daily(*, now: datetime, days: int = 30) -> Series:
    """Calls and errors per day, for the ``days`` days ending with today."""
    starts = _days(now=now, days=days)
    return _series(starts=starts, now=now, trunc=TruncDay)


def activity_get(*, now: datetime) -> Activity:
    day, month = now - timedelta(hours=24), now - timedelta(days=30)
    recent = Q(created_at__gte=day)
    figures = ToolCall.objects.filter(created_at__gte=month, created_at__lte=now).aggregate(
        people_24h=Count("person", distinct=True, filter=recent),
        people_30d=Count("person", distinct=True),
        clients_24h=Count("client", distinct=True, filter=recent),
        clients_30d=Count("client", distinct=True),
    )
    return Activity(**figures)


def token_health_get(*, now: datetime) -> TokenHealth:
    usable = Q(needs_sign_in=False)
    figures = MicrosoftConnection.objects.aggregate(
        connected=Count("pk"),
        needing_sign_in=Count("pk", filter=Q(needs_sign_in=True)),
        expired=Count("pk", filter=usable & Q(access_token_expires_at__lte=now)),
        expiring_soon=Count(
            "pk",
            filter=usable
            & Q(
                access_token_expires_at__gt=now, access_token_expires_at__lte=now + EXPIRING_WINDOW
            ),
        ),
    )
    return TokenHealth(**figures)


def outcomes_count(*, now: datetime, days: int = 30) -> list[tuple[str, int]]:
    """How many calls ended in each outcome over the days of ``tool_calls_daily``, most
    first."""
    rows = (
        ToolCall.objects.filter(created_at__gte=_days(now=now, days=days)[0], created_at__lte=now)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by("-count", "outcome")
    )
    labels = dict(ToolCall.Outcome.choices)
    return [(labels.get(row["outcome"], row["outcome"]), row["count"]) for row in rows]


def _series(*, starts: list[datetime], now: datetime, trunc: Any) -> Series:
    rows = (
        ToolCall.objects.filter(created_at__gte=starts[0], created_at__lte=now)
        .annotate(bucket=trunc("created_at"))
        .values("bucket")
        .annotate(calls=Count("pk"), errors=Count("pk", filter=NOT_OK))
        .order_by("bucket")
    )
    counted = {row["bucket"]: (row["calls"], row["errors"]) for row in rows}
    return Series([Bucket(start, *counted.get(start, (0, 0))) for start in starts])


def _days(*, now: datetime, days: int) -> list[datetime]:
    """The local midnights starting the ``days`` days that end with today."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # Wall-clock arithmetic on purpose: a day is midnight to midnight, 23 or 25 hours long.
    return [_midnight(today + timedelta(days=offset)) for offset in range(1 - days, 1)]


def _shift(moment: datetime, delta: timedelta) -> datetime:
    """``moment`` moved by an absolute ``delta``, in the current time zone."""
    return timezone.localtime(moment.astimezone(UTC) + delta)


def _midnight(wall: datetime) -> datetime:
    """The same wall-clock date at midnight, with the offset that date has."""
    naive = wall.replace(tzinfo=None)
    return timezone.make_aware(naive)

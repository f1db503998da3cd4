"""The dashboard's figures, exactly: tool calls and errors per hour and per day in the
current time zone (daylight-saving days included), active people and clients, Microsoft
token health; and the page draws them as inline SVG, linked from the admin index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from graph_tools.models import MicrosoftConnection
from mcp_gateway import dashboard
from mcp_gateway.models import ToolCall

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)


def at(when: datetime, person, client=None, outcome: str = "ok") -> None:
    made = ToolCall.objects.create(
        person=person, client=client, client_name="c", tool="whoami", outcome=outcome
    )
    ToolCall.objects.filter(pk=made.pk).update(created_at=when)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def calls(alice, bob, assistant) -> None:
    at(utc(2026, 3, 10, 12, 5), alice, assistant)
    at(utc(2026, 3, 10, 12, 6), alice, assistant, "tool_error")
    at(utc(2026, 3, 10, 12, 29), bob, assistant, "denied")
    at(utc(2026, 3, 10, 10, 59), bob)
    at(utc(2026, 3, 10, 10, 0), bob)
    at(utc(2026, 3, 9, 12, 31), alice, assistant, "crashed")  # 24 h ago, before this hour
    at(utc(2026, 2, 9, 0, 0), alice)  # the first second of the 30 days
    at(utc(2026, 2, 8, 23, 59, 59), alice, assistant)  # just before them
    at(utc(2026, 3, 10, 13, 0), alice)  # after now (a clock ahead elsewhere)


def test_it_counts_calls_and_errors_per_hour(calls) -> None:
    with CaptureQueriesContext(connection) as captured:
        series = dashboard.tool_calls_hourly(now=NOW)
    assert len(captured) == 1
    assert [b.start for b in series.buckets] == [
        utc(2026, 3, 9, 13) + timedelta(hours=h) for h in range(24)
    ]
    counted = {b.start.hour: (b.calls, b.errors) for b in series.buckets if b.calls}
    assert counted == {12: (3, 2), 10: (2, 0)}
    assert (series.calls, series.errors) == (5, 2)
    assert series.error_rate == pytest.approx(0.4)


def test_it_counts_calls_and_errors_per_day(calls) -> None:
    with CaptureQueriesContext(connection) as captured:
        series = dashboard.tool_calls_daily(now=NOW)
    assert len(captured) == 1
    assert series.buckets[0].start == utc(2026, 2, 9)
    assert series.buckets[-1].start == utc(2026, 3, 10)
    assert len(series.buckets) == 30
    counted = {b.start.date().isoformat(): (b.calls, b.errors) for b in series.buckets if b.calls}
    assert counted == {"2026-02-09": (1, 0), "2026-03-09": (1, 1), "2026-03-10": (5, 2)}


def test_it_uses_the_current_time_zone_across_a_daylight_saving_change(alice) -> None:
    # New York moves its clocks forward on 8 March 2026 at 02:00 (07:00 UTC).
    at(utc(2026, 3, 8, 4, 30), alice)  # 7 March, 23:30 EST
    at(utc(2026, 3, 9, 4, 30), alice)  # 9 March, 00:30 EDT
    at(utc(2026, 3, 8, 7, 30), alice)  # 8 March, 03:30 EDT: the hour after the jump
    with timezone.override("America/New_York"):
        daily = dashboard.tool_calls_daily(now=utc(2026, 3, 9, 12), days=3)
        hourly = dashboard.tool_calls_hourly(now=utc(2026, 3, 8, 12), hours=8)
    assert [(b.start.isoformat(), b.calls) for b in daily.buckets] == [
        ("2026-03-07T00:00:00-05:00", 1),
        ("2026-03-08T00:00:00-05:00", 1),
        ("2026-03-09T00:00:00-04:00", 1),
    ]
    steps = [
        later.start.astimezone(UTC) - earlier.start.astimezone(UTC)
        for earlier, later in zip(hourly.buckets, hourly.buckets[1:], strict=False)
    ]
    assert steps == [timedelta(hours=1)] * 7
    assert [b.start.hour for b in hourly.buckets] == [0, 1, 3, 4, 5, 6, 7, 8]
    assert [b.calls for b in hourly.buckets] == [0, 0, 1, 0, 0, 0, 0, 0]


def test_it_counts_active_people_and_clients(calls, outsider, assistant) -> None:
    at(utc(2026, 3, 1), outsider, assistant)
    assert dashboard.activity_get(now=NOW) == dashboard.Activity(
        people_24h=2, people_30d=3, clients_24h=1, clients_30d=1
    )


def test_it_counts_outcomes_over_thirty_days(calls) -> None:
    assert dashboard.outcomes_count(now=NOW) == [
        ("OK", 4),
        ("Crashed (unexpected error)", 1),
        ("Denied (scope not granted)", 1),
        ("Tool error", 1),
    ]


def connection_for(person, *, expires_in: timedelta, needs_sign_in: bool = False) -> None:
    MicrosoftConnection.objects.create(
        user=person,
        tenant_id="t",
        object_id=f"o-{person.pk}",
        access_token="ms-access-secret",
        access_token_expires_at=NOW + expires_in,
        needs_sign_in=needs_sign_in,
    )


def test_it_reports_microsoft_token_health(alice, bob, outsider, django_user_model) -> None:
    connection_for(alice, expires_in=timedelta(hours=-1), needs_sign_in=True)
    connection_for(bob, expires_in=timedelta(minutes=-1))
    connection_for(outsider, expires_in=timedelta(minutes=10))
    connection_for(django_user_model.objects.create(username="dave"), expires_in=timedelta(hours=2))
    assert dashboard.token_health_get(now=NOW) == dashboard.TokenHealth(
        connected=4, needing_sign_in=1, expired=1, expiring_soon=1
    )


def test_it_draws_the_dashboard_as_inline_svg(admin_browser, alice, assistant) -> None:
    ToolCall.objects.create(person=alice, client=assistant, client_name="c", tool="t", outcome="ok")
    index = admin_browser.get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' in index
    assert "Authentication and Authorization" in index  # the app list is still there
    response = admin_browser.get("/admin/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<div id="content-main"') :]
    assert main.count('<svg class="chart"') == 4
    assert "<script" not in main
    assert "1 tool calls, 0 errors" in html
    # An hour of the chart other than the current one (which holds the call above): a fixed
    # "00:00" failed whenever the suite ran between midnight and one.
    quiet_hour = timezone.localtime() - timedelta(hours=12)
    assert f"{quiet_hour:%H}:00: 0 calls, 0 errors" in html


def test_it_shows_the_dashboard_to_staff_who_may_read_the_audit_log(alice) -> None:
    from django.test import Client

    browser = Client()
    browser.force_login(alice)
    assert browser.get("/admin/dashboard/").status_code == 302
    alice.is_staff = True
    alice.save()
    assert browser.get("/admin/dashboard/").status_code == 403

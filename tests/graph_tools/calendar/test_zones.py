"""Time zone names and date-times as the calendar tools convert them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph_tools.errors import UnknownTimeZone
from graph_tools.zones import (
    WINDOWS_ZONES,
    graph_time,
    iso_duration,
    utc_instant,
    zone_info,
)


@pytest.mark.parametrize("windows", sorted(WINDOWS_ZONES))
def test_it_resolves_every_windows_zone(windows: str) -> None:
    assert zone_info(windows) is not None


@pytest.mark.parametrize("name", ["Mars Standard Time", "../../etc/passwd", "/etc/localtime", ""])
def test_it_resolves_nothing_else(name: str) -> None:
    assert zone_info(name) is None


def test_it_keeps_a_local_time_as_given() -> None:
    assert graph_time("2026-12-01T14:00", "Mars Standard Time") == {
        "dateTime": "2026-12-01T14:00:00",
        "timeZone": "Mars Standard Time",
    }


def test_it_follows_daylight_saving_time() -> None:
    summer = utc_instant("2026-07-01T12:00:00", "GMT Standard Time")
    winter = utc_instant("2026-12-01T12:00:00", "GMT Standard Time")
    assert (summer, winter) == (
        datetime(2026, 7, 1, 11, tzinfo=UTC),
        datetime(2026, 12, 1, 12, tzinfo=UTC),
    )


def test_it_refuses_a_local_time_in_an_unknown_zone() -> None:
    with pytest.raises(UnknownTimeZone, match="not known to this server"):
        utc_instant("2026-12-01T12:00:00", "Mars Standard Time")
    assert utc_instant("2026-12-01T12:00:00-05:00", "Mars Standard Time") == datetime(
        2026, 12, 1, 17, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("minutes", "duration"),
    [(5, "PT5M"), (30, "PT30M"), (60, "PT1H"), (90, "PT1H30M"), (1440, "PT24H")],
)
def test_it_writes_durations_the_iso_way(minutes: int, duration: str) -> None:
    assert iso_duration(minutes) == duration

"""Time zones and date-times, for every tool that shows or takes times.

Graph names zones by Windows id ("W. Europe Standard Time") or IANA name ("Europe/Berlin"),
and mailbox settings usually give a Windows id. Where a value must be turned into an instant
here (calendarView's window, an offset given by the model) or an instant shown in the
person's zone (mail and Teams times, which Graph gives in UTC only), the zone is resolved with
the standard library's tz database, Windows ids through CLDR's windowsZones mapping (territory
"001", the zone each Windows id stands for). For events a zone neither names is left to Graph,
and only an instant that needs it is refused, with advice (``UnknownTimeZone``); mail and
Teams times are then shown in UTC, and say so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graph_tools.errors import UnknownTimeZone

# CLDR common/supplemental/windowsZones.xml, territory "001".
WINDOWS_ZONES = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Aleutian Standard Time": "America/Adak",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Marquesas Standard Time": "Pacific/Marquesas",
    "Alaskan Standard Time": "America/Anchorage",
    "UTC-09": "Etc/GMT+9",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "UTC-08": "Etc/GMT+8",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Mountain Standard Time": "America/Denver",
    "Yukon Standard Time": "America/Whitehorse",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Easter Island Standard Time": "Pacific/Easter",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Eastern Standard Time": "America/New_York",
    "Haiti Standard Time": "America/Port-au-Prince",
    "Cuba Standard Time": "America/Havana",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Turks And Caicos Standard Time": "America/Grand_Turk",
    "Paraguay Standard Time": "America/Asuncion",
    "Atlantic Standard Time": "America/Halifax",
    "Venezuela Standard Time": "America/Caracas",
    "Central Brazilian Standard Time": "America/Cuiaba",
    "SA Western Standard Time": "America/La_Paz",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "Tocantins Standard Time": "America/Araguaina",
    "E. South America Standard Time": "America/Sao_Paulo",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Greenland Standard Time": "America/Nuuk",
    "Montevideo Standard Time": "America/Montevideo",
    "Magallanes Standard Time": "America/Punta_Arenas",
    "Saint Pierre Standard Time": "America/Miquelon",
    "Bahia Standard Time": "America/Bahia",
    "UTC-02": "Etc/GMT+2",
    "Mid-Atlantic Standard Time": "Etc/GMT+2",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Sao Tome Standard Time": "Africa/Sao_Tome",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "Jordan Standard Time": "Asia/Amman",
    "GTB Standard Time": "Europe/Bucharest",
    "Middle East Standard Time": "Asia/Beirut",
    "Egypt Standard Time": "Africa/Cairo",
    "E. Europe Standard Time": "Europe/Chisinau",
    "Syria Standard Time": "Asia/Damascus",
    "West Bank Standard Time": "Asia/Hebron",
    "South Africa Standard Time": "Africa/Johannesburg",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "South Sudan Standard Time": "Africa/Juba",
    "Kaliningrad Standard Time": "Europe/Kaliningrad",
    "Sudan Standard Time": "Africa/Khartoum",
    "Libya Standard Time": "Africa/Tripoli",
    "Namibia Standard Time": "Africa/Windhoek",
    "Arabic Standard Time": "Asia/Baghdad",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Belarus Standard Time": "Europe/Minsk",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Volgograd Standard Time": "Europe/Volgograd",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Astrakhan Standard Time": "Europe/Astrakhan",
    "Azerbaijan Standard Time": "Asia/Baku",
    "Russia Time Zone 3": "Europe/Samara",
    "Mauritius Standard Time": "Indian/Mauritius",
    "Saratov Standard Time": "Europe/Saratov",
    "Georgian Standard Time": "Asia/Tbilisi",
    "Caucasus Standard Time": "Asia/Yerevan",
    "Afghanistan Standard Time": "Asia/Kabul",
    "West Asia Standard Time": "Asia/Tashkent",
    "Qyzylorda Standard Time": "Asia/Qyzylorda",
    "Ekaterinburg Standard Time": "Asia/Yekaterinburg",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Central Asia Standard Time": "Asia/Bishkek",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Omsk Standard Time": "Asia/Omsk",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "Altai Standard Time": "Asia/Barnaul",
    "W. Mongolia Standard Time": "Asia/Hovd",
    "North Asia Standard Time": "Asia/Krasnoyarsk",
    "N. Central Asia Standard Time": "Asia/Novosibirsk",
    "Tomsk Standard Time": "Asia/Tomsk",
    "China Standard Time": "Asia/Shanghai",
    "North Asia East Standard Time": "Asia/Irkutsk",
    "Singapore Standard Time": "Asia/Singapore",
    "W. Australia Standard Time": "Australia/Perth",
    "Taipei Standard Time": "Asia/Taipei",
    "Ulaanbaatar Standard Time": "Asia/Ulaanbaatar",
    "Aus Central W. Standard Time": "Australia/Eucla",
    "Transbaikal Standard Time": "Asia/Chita",
    "Tokyo Standard Time": "Asia/Tokyo",
    "North Korea Standard Time": "Asia/Pyongyang",
    "Korea Standard Time": "Asia/Seoul",
    "Yakutsk Standard Time": "Asia/Yakutsk",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "Tasmania Standard Time": "Australia/Hobart",
    "Vladivostok Standard Time": "Asia/Vladivostok",
    "Lord Howe Standard Time": "Australia/Lord_Howe",
    "Bougainville Standard Time": "Pacific/Bougainville",
    "Russia Time Zone 10": "Asia/Srednekolymsk",
    "Magadan Standard Time": "Asia/Magadan",
    "Norfolk Standard Time": "Pacific/Norfolk",
    "Sakhalin Standard Time": "Asia/Sakhalin",
    "Central Pacific Standard Time": "Pacific/Guadalcanal",
    "Russia Time Zone 11": "Asia/Kamchatka",
    "New Zealand Standard Time": "Pacific/Auckland",
    "UTC+12": "Etc/GMT-12",
    "Fiji Standard Time": "Pacific/Fiji",
    "Chatham Islands Standard Time": "Pacific/Chatham",
    "UTC+13": "Etc/GMT-13",
    "Tonga Standard Time": "Pacific/Tongatapu",
    "Samoa Standard Time": "Pacific/Apia",
    "Line Islands Standard Time": "Pacific/Kiritimati",
}
# Graph writes dateTime with seven fractional digits and no offset (wire shapes §2).
LOCAL_FORMAT = "%Y-%m-%dT%H:%M:%S"


def zone_info(zone: str) -> tzinfo | None:
    """The tz database zone a Windows id or IANA name stands for, or None if unknown here."""
    try:
        return ZoneInfo(WINDOWS_ZONES.get(zone, zone))
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: not a valid zone key
        return None


def known_zone(zone: str) -> str:
    """``zone`` if instants can be shown in it here, else "UTC": a read never fails over the
    zone of its times, it says which zone they are in."""
    return zone if zone_info(zone) is not None else "UTC"


def local_time(iso_utc: str, zone: str) -> str:
    """An instant as Graph gives it ("2026-11-27T09:15:00Z", or with fractions in Teams) as
    ISO 8601 in ``zone`` with its offset, to the second: "2026-11-27T10:15:00+01:00".

    Message and chat times are DateTimeOffset values in UTC whatever Prefer says (wire
    shapes §2), so they are converted here. ValueError: not an ISO 8601 date-time.
    """
    moment = datetime.fromisoformat(iso_utc)
    if moment.tzinfo is None:  # a DateTimeOffset without its Z is UTC all the same
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone_info(zone) or UTC).isoformat(timespec="seconds")


def parsed(value: str) -> datetime:
    """An ISO 8601 date-time as validated by the schemas: naive (local) or with an offset."""
    return datetime.fromisoformat(value)


def local_text(moment: datetime) -> str:
    return moment.strftime(LOCAL_FORMAT)


def graph_time(value: str, zone: str) -> dict[str, str]:
    """A dateTimeTimeZone for a request body (G-API:user-post-events).

    A local value is sent as it is, in ``zone``, so the event keeps the person's zone (and
    its daylight saving rules). A value with an offset names an instant: it is sent as the
    wall clock of ``zone`` when that zone is known here, else as UTC, which Graph reads
    exactly.
    """
    moment = parsed(value)
    if moment.tzinfo is None:
        return {"dateTime": local_text(moment), "timeZone": zone}
    known = zone_info(zone)
    if known is None:
        return {"dateTime": local_text(moment.astimezone(UTC)), "timeZone": "UTC"}
    return {"dateTime": local_text(moment.astimezone(known)), "timeZone": zone}


def utc_instant(value: str, zone: str) -> datetime:
    """The instant a value names: its own offset, else the wall clock of ``zone``.

    calendarView reads startDateTime/endDateTime without an offset as UTC and ignores
    Prefer: outlook.timezone (wire shapes §2A), so a local value must be converted here.
    """
    moment = parsed(value)
    if moment.tzinfo is None:
        known = zone_info(zone)
        if known is None:
            raise UnknownTimeZone(zone)
        moment = moment.replace(tzinfo=known)
    return moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(LOCAL_FORMAT) + "Z"


def utc_window(days: int) -> tuple[datetime, datetime]:
    """From now to ``days`` days ahead, to the second."""
    start = datetime.now(UTC).replace(microsecond=0)
    return start, start + timedelta(days=days)


def short_time(value: object) -> str:
    """Graph's "2026-12-01T14:00:00.0000000" as "2026-12-01T14:00:00"."""
    return value[:19] if isinstance(value, str) else ""


def iso_duration(minutes: int) -> str:
    """Minutes as an ISO 8601 duration (findMeetingTimes' meetingDuration): PT1H30M."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")

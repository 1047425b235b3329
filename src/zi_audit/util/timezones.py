"""The plan's time zone: deadlines and "today" are judged on the unit's own calendar.

Indonesia has three zones without daylight saving; when the system has no time-zone
database (a bare Windows Python), their fixed offsets stand in for them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_FIXED = {
    "Asia/Jakarta": dt.timezone(dt.timedelta(hours=7), "WIB"),
    "Asia/Pontianak": dt.timezone(dt.timedelta(hours=7), "WIB"),
    "Asia/Makassar": dt.timezone(dt.timedelta(hours=8), "WITA"),
    "Asia/Jayapura": dt.timezone(dt.timedelta(hours=9), "WIT"),
}
WIB = _FIXED["Asia/Jakarta"]


def plan_zone(name: str) -> dt.tzinfo:
    """The tzinfo for an IANA name such as Asia/Makassar; ValueError if it is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name in _FIXED:
            return _FIXED[name]
        raise ValueError(f"'{name}' is not a time zone name such as Asia/Jakarta") from None


def today(tz: dt.tzinfo) -> dt.date:
    return dt.datetime.now(tz).date()


def clock(
    tz: dt.tzinfo | None = None, when: dt.datetime | None = None, *, seconds: bool = True
) -> str:
    """A moment as people on the unit's calendar read it: `2026-12-03 01:30:05 WIB`.
    Log lines, history and reports all say the zone, so a UTC server is never misread."""
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(tz or WIB)
    zone = moment.tzname() or moment.strftime("%z")
    shown = moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{shown} {zone}"

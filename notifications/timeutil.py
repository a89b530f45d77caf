"""Time zone arithmetic for messages: every time in the recipient's own zone, DST-correct."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings

UTC = datetime.UTC


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.DEFAULT_USER_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.DEFAULT_USER_TIME_ZONE)


def local_moment(day: datetime.date, at: datetime.time, tz_name: str) -> datetime.datetime:
    """The UTC instant of a wall-clock time on a day in a zone (DST handled by zoneinfo)."""
    return datetime.datetime.combine(day, at, tzinfo=zone(tz_name)).astimezone(UTC)


def in_quiet_hours(moment: datetime.datetime, tz_name: str, start, end) -> bool:
    local = moment.astimezone(zone(tz_name)).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def end_of_quiet_hours(moment: datetime.datetime, tz_name: str, start, end) -> datetime.datetime:
    """The first moment after `moment` at which quiet hours are over (UTC)."""
    tz = zone(tz_name)
    local = moment.astimezone(tz)
    candidate = datetime.datetime.combine(local.date(), end, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), end, tzinfo=tz
        )
    return candidate.astimezone(UTC)


def format_moment(value: datetime.datetime, tz_name: str) -> str:
    """“Tuesday, March 10, 2026 at 9:00 AM HST (Pacific/Honolulu)”."""
    local = value.astimezone(zone(tz_name))
    hour = local.strftime("%I").lstrip("0")
    return (
        f"{local.strftime('%A, %B')} {local.day}, {local.year} at "
        f"{hour}:{local.strftime('%M %p')} {local.tzname()} ({zone(tz_name).key})"
    )


def format_time(value: datetime.datetime, tz_name: str) -> str:
    local = value.astimezone(zone(tz_name))
    return f"{local.strftime('%I').lstrip('0')}:{local.strftime('%M %p')} {local.tzname()}"


def parse(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None

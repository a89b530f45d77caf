"""Open booking slots: plain arithmetic on a coach's availability, no queries.

* A weekly window is wall-clock time in the availability's zone: each day's window is built
  from that day's date and the zone's rules for that day, so 9:00–12:00 stays 9:00–12:00 for
  the coach when the clocks change (and moves by an hour in UTC). Candidate starts are every
  `STEP` from the window's start, computed in UTC, and a slot ends within its window.
* A slot is open when nothing busy (the coach's scheduled coaching sessions and the group
  meetings they facilitate) comes within the coach's buffer of it, and it starts between
  `earliest` (now + the coach's notice) and `latest` (now + how far ahead they take bookings).
* Days off are dates in the availability's zone.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

STEP = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime  # aware, UTC
    minutes: int

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    @property
    def value(self) -> str:
        """What a booking form posts back: the start as ISO 8601 in UTC."""
        return self.starts_at.astimezone(datetime.UTC).isoformat()


def _windows_by_weekday(windows) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    found = defaultdict(list)
    for window in windows:
        found[window.weekday].append((window.starts, window.ends))
    return found


def open_slots(
    *,
    windows: Iterable,
    days_off: Iterable,
    zone: zoneinfo.ZoneInfo,
    minutes: int,
    buffer_minutes: int,
    earliest: datetime.datetime,
    latest: datetime.datetime,
    busy: Iterable[tuple[datetime.datetime, datetime.datetime]],
    last_day: datetime.date | None = None,
) -> list[Slot]:
    """Every open slot of `minutes` starting in [earliest, latest], in time order.
    `windows` have weekday/starts/ends, `days_off` have covers(date); `last_day` (in the
    availability's zone) ends the search early, e.g. at the end of the cohort year."""
    by_weekday = _windows_by_weekday(windows)
    days_off = list(days_off)
    length = datetime.timedelta(minutes=minutes)
    buffer = datetime.timedelta(minutes=buffer_minutes)
    blocked = sorted((start - buffer, end + buffer) for start, end in busy)
    day = earliest.astimezone(zone).date()
    final = latest.astimezone(zone).date()
    if last_day is not None:
        final = min(final, last_day)
    slots = []
    while day <= final:
        if not any(off.covers(day) for off in days_off):
            for starts, ends in sorted(by_weekday.get(day.weekday(), ())):
                start = datetime.datetime.combine(day, starts, tzinfo=zone).astimezone(datetime.UTC)
                end = datetime.datetime.combine(day, ends, tzinfo=zone).astimezone(datetime.UTC)
                moment = start
                while moment + length <= end:
                    if earliest <= moment <= latest and _free(moment, moment + length, blocked):
                        slots.append(Slot(moment, minutes))
                    moment += STEP
        day += datetime.timedelta(days=1)
    return slots


def _free(start, end, blocked) -> bool:
    for busy_start, busy_end in blocked:
        if busy_start >= end:
            return True  # sorted by start: nothing later can overlap
        if busy_end > start:
            return False
    return True


def group_by_day(slots: list[Slot], zone: zoneinfo.ZoneInfo) -> list[tuple[datetime.date, list]]:
    """[(day, [(slot, local start), ...]), ...] in the viewer's zone, days in order."""
    days: dict[datetime.date, list] = {}
    for slot in slots:
        local = slot.starts_at.astimezone(zone)
        days.setdefault(local.date(), []).append((slot, local))
    return list(days.items())

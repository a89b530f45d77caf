"""The coaching burn-down: entitlement remaining over the cohort year against the even pace.
Plain functions, no queries (the sessions come from coaching.selectors).

* `burndown()` gives the points: the cohort's first day, each day with counting sessions (a
  session before the first day counts on it, one after the last on the last), and today.
  At each point the *remaining* entitlement (the program's unit, the arithmetic of
  coaching/entitlement.py) and the *even-pace remaining*: what someone using it evenly would
  have left that day.
* `burndown_chart()` turns the points into SVG coordinates: the even-pace line runs straight
  from the whole entitlement on the first day to nothing on the last; the remaining line
  steps down on each session day and stops at today. Templates draw it
  (templates/coaching/partials/burndown.html) and put the points in a table for screen readers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .entitlement import even_pace, used_amount


@dataclass(frozen=True)
class BurnPoint:
    day: datetime.date
    remaining: Decimal
    even: Decimal  # even-pace remaining that day


def burndown(
    *,
    unit: str,
    amount: Decimal,
    start: datetime.date,
    end: datetime.date,
    sessions: Iterable[tuple[datetime.date, int]],
    today: datetime.date,
) -> list[BurnPoint]:
    """`sessions`: (day, minutes) of each session that uses the entitlement."""
    amount = Decimal(amount)
    by_day: dict[datetime.date, list[int]] = {}
    for day, minutes in sessions:
        day = min(max(day, start), end)
        by_day.setdefault(day, []).append(minutes or 0)
    last = min(max(today, start), end)
    days = sorted({start, last, *(d for d in by_day if d <= last)})
    points = []
    count = minutes_total = 0
    for day in days:
        for minutes in by_day.get(day, []):
            count += 1
            minutes_total += minutes
        used = used_amount(unit, count, minutes_total)
        points.append(
            BurnPoint(
                day=day,
                remaining=max(amount - used, Decimal(0)),
                even=amount - even_pace(amount, start, end, day),
            )
        )
    return points


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class BurndownChart:
    width: int
    height: int
    left: int
    top: int
    right: float  # x of the plot's right edge
    bottom: float  # y of the plot's baseline
    even_line: str  # SVG polyline points
    remaining_line: str
    markers: list[tuple[float, float]]
    today_x: float | None
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    points: list[BurnPoint]
    unit: str
    amount: Decimal

    @property
    def latest(self) -> BurnPoint:
        return self.points[-1]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def burndown_chart(
    points: list[BurnPoint],
    *,
    unit: str,
    amount: Decimal,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    width: int = 600,
    height: int = 220,
) -> BurndownChart:
    left, top, right_pad, bottom_pad = 48, 12, 16, 28
    plot_w = width - left - right_pad
    plot_h = height - top - bottom_pad
    span = max((end - start).days, 1)
    top_value = float(amount) or 1.0

    def x(day: datetime.date) -> float:
        return left + plot_w * min(max((day - start).days, 0), span) / span

    def y(value: Decimal) -> float:
        return top + plot_h * (1 - float(value) / top_value)

    even_line = f"{_fmt(x(start))},{_fmt(y(amount))} {_fmt(x(end))},{_fmt(y(Decimal(0)))}"
    steps: list[str] = []
    previous = None
    for p in points:
        if previous is not None:
            steps.append(f"{_fmt(x(p.day))},{_fmt(y(previous.remaining))}")
        steps.append(f"{_fmt(x(p.day))},{_fmt(y(p.remaining))}")
        previous = p
    half = Decimal(amount) / 2
    return BurndownChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=left + plot_w,
        bottom=top + plot_h,
        even_line=even_line,
        remaining_line=" ".join(steps),
        markers=[(round(x(p.day), 1), round(y(p.remaining), 1)) for p in points],
        today_x=round(x(today), 1) if start < today < end else None,
        x_ticks=[
            Tick(round(x(start), 1), f"{start:%b %Y}"),
            Tick(round(x(end), 1), f"{end:%b %Y}"),
        ],
        y_ticks=[
            Tick(round(y(v), 1), f"{v.normalize():f}") for v in (Decimal(amount), half, Decimal(0))
        ],
        points=points,
        unit=unit,
        amount=Decimal(amount),
    )

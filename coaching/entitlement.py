"""Coaching entitlement arithmetic: plain functions, no queries.

Decisions (tested in tests/coaching/test_entitlement.py):

* **What uses the entitlement**: completed sessions and no-shows. A no-show held the coach's
  time, so it counts like a completed session (at its booked length, for hours). Cancelled
  sessions never count; scheduled ones count once they are logged.
* **Unit**: the program's `coaching_entitlement_unit`. In *sessions*, each counting session
  uses 1; in *hours*, it uses its duration in minutes / 60.
* **Running low**: at most the program's `coaching_running_low_percent` (default 20 %) of
  the entitlement left, or at most one session (one hour) left, whichever is larger.
  **Used up**: nothing left.
* **Pace**: the even pace at a date is `amount × (days since the cohort started / days of the
  cohort year)`. A fellow is *behind* when they have used less than the even pace minus the
  program's `coaching_behind_pace_percent` (default 15 %) of the entitlement; that is the
  under-user flag on the coverage page. Before the cohort starts nobody is behind; after it
  ends the even pace is the whole entitlement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

ONE = Decimal("1")
TENTH = Decimal("0.1")


def used_amount(unit: str, counting_sessions: int, counting_minutes: int) -> Decimal:
    """What a fellow has used, in the program's unit."""
    if unit == "hours":
        return (Decimal(counting_minutes or 0) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)
    return Decimal(counting_sessions or 0)


def even_pace(amount: Decimal, start: datetime.date, end: datetime.date, today: datetime.date):
    """The amount a fellow using their entitlement evenly would have used by `today`."""
    if today <= start:
        return Decimal(0)
    if today >= end:
        return Decimal(amount)
    share = Decimal((today - start).days) / Decimal((end - start).days)
    return (Decimal(amount) * share).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Entitlement:
    # The figures below are cached: a table of fellows asks each one several times a row,
    # and the fields they follow from never change (frozen).

    unit: str  # "sessions" or "hours"
    amount: Decimal
    used: Decimal
    expected: Decimal  # the even pace today
    behind_pace_percent: int  # program.coaching_behind_pace_percent
    running_low_percent: int  # program.coaching_running_low_percent

    @cached_property
    def remaining(self) -> Decimal:
        return max(self.amount - self.used, Decimal(0))

    @cached_property
    def percent_used(self) -> int:
        if not self.amount:
            return 100 if self.used else 0
        return min(int(self.used * 100 / self.amount), 100)

    @cached_property
    def exhausted(self) -> bool:
        return self.used >= self.amount

    @cached_property
    def running_low(self) -> bool:
        """Close to used up (but not yet): the warning shown to fellow, coach and staff."""
        threshold = max(self.amount * self.running_low_percent / 100, ONE)
        return not self.exhausted and self.remaining <= threshold

    @cached_property
    def behind_pace(self) -> bool:
        """Under-using: below the even pace by more than the margin."""
        return self.used < self.expected - self.amount * self.behind_pace_percent / 100

    @cached_property
    def pace(self) -> str:
        """One word for tables and badges: used_up, running_low, behind, on_pace."""
        if self.exhausted:
            return "used_up"
        if self.running_low:
            return "running_low"
        if self.behind_pace:
            return "behind"
        return "on_pace"

    @cached_property
    def pace_label(self) -> str:
        return {
            "used_up": "Used up",
            "running_low": "Running low",
            "behind": "Behind pace",
            "on_pace": "On pace",
        }[self.pace]

    @cached_property
    def unit_label(self) -> str:
        if self.unit == "hours":
            return "hour" if self.amount == 1 else "hours"
        return "session" if self.amount == 1 else "sessions"


def entitlement_for(
    *, program, cohort, counting_sessions: int, counting_minutes: int, today: datetime.date
) -> Entitlement:
    return entitlement_of(
        unit=program.coaching_entitlement_unit,
        amount=program.coaching_entitlement_amount,
        behind_pace_percent=program.coaching_behind_pace_percent,
        running_low_percent=program.coaching_running_low_percent,
        start=cohort.start_date,
        end=cohort.end_date,
        counting_sessions=counting_sessions,
        counting_minutes=counting_minutes,
        today=today,
    )


def entitlement_of(
    *,
    unit: str,
    amount,
    behind_pace_percent: int,
    running_low_percent: int,
    start: datetime.date,
    end: datetime.date,
    counting_sessions: int,
    counting_minutes: int,
    today: datetime.date,
) -> Entitlement:
    """`entitlement_for` from the program's and cohort's fields alone (rows of a values()
    query, where there is no program or cohort instance)."""
    amount = Decimal(amount)
    return Entitlement(
        unit=unit,
        amount=amount,
        used=used_amount(unit, counting_sessions, counting_minutes),
        expected=even_pace(amount, start, end, today),
        behind_pace_percent=behind_pace_percent,
        running_low_percent=running_low_percent,
    )

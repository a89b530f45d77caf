"""What every figure module shares: the statuses counted, amounts as people write them, and
a correlated count or sum as one column of a row (no GROUP BY in the outer query)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce

from coaching.entitlement import used_amount
from cohorts.models import EnrollmentStatus
from curriculum.selectors import RateRow, as_percent, attendance_rate

ACCESS = EnrollmentStatus.with_cohort_access()
WEEK = datetime.timedelta(days=7)


def tidy(amount: Decimal | int | float | str) -> Decimal:
    """10.0 → 10, 3.50 → 3.5: amounts as a person writes them."""
    amount = Decimal(amount)
    return (
        amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()
    )


def percent(part: Decimal | int, whole: Decimal | int) -> int | None:
    return None if not whole else round(Decimal(part) * 100 / Decimal(whole))


def rate_percent(row: RateRow) -> int | None:
    return as_percent(
        attendance_rate(present=row.present, late=row.late, excused=row.excused, absent=row.absent)
    )


@dataclass
class StatusCount:
    value: str
    label: str
    count: int


def count_of(rows: QuerySet[Any]) -> Subquery:
    """How many of `rows` (correlated with OuterRef), as a column: COUNT(*) without GROUP BY
    is one row, 0 when nothing matches."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def sum_of(rows: QuerySet[Any], field: str) -> Coalesce:
    summed = rows.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


class CoachingUse:
    """What `fellow_count` fellows used of their coaching entitlement (`amount` each, in
    `unit`): the dashboard's coaching figures and the funder report's read the same way."""

    unit: str
    amount: Decimal

    def use_counts(self) -> tuple[int, int, int]:
        """(fellows, sessions that used entitlement, their minutes)."""
        raise NotImplementedError

    @property
    def hours(self) -> Decimal:
        return tidy(used_amount("hours", 0, self.use_counts()[2]))

    @property
    def used(self) -> Decimal:
        _fellows, sessions, minutes = self.use_counts()
        return tidy(used_amount(self.unit, sessions, minutes))

    @property
    def entitled(self) -> Decimal:
        return tidy(self.amount * self.use_counts()[0])

    @property
    def percent_used(self) -> int | None:
        return percent(self.used, self.entitled)

"""The yearly nudge to alumni (the notifications sweep runs `scan`): once a year after their
cohort ends, each alumnus with a plan is asked what has changed since, with a direct link to
record a result on their past plan.

One query whatever the number of alumni; the ledger's unique key (recipient, kind,
enrollment, "year:N") makes running it every few minutes harmless, so each alumnus hears
once per anniversary. A nudge due while the site was down still goes out within
`CATCH_UP_DAYS`; after that it is not sent late.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from cohorts.models import Enrollment, EnrollmentStatus
from notifications.ledger import row
from notifications.timeutil import local_moment, zone

YEARLY_KIND = "results_yearly"
NUDGE_AT = datetime.time(9, 0)  # 9:00 in the alumnus's own zone
CATCH_UP_DAYS = 30


def anniversary(end: datetime.date, years: int) -> datetime.date:
    """`years` years after `end` (29 February falls on 28 February in other years)."""
    try:
        return end.replace(year=end.year + years)
    except ValueError:
        return end.replace(year=end.year + years, day=28)


def latest_anniversary(end: datetime.date, today: datetime.date) -> tuple[int, datetime.date]:
    """(N, day) of the Nth anniversary of `end` most recently reached by `today`; N is 0
    while the first year is not over."""
    years = today.year - end.year
    if years > 0 and anniversary(end, years) > today:
        years -= 1
    years = max(years, 0)
    return years, anniversary(end, years)


def scan(now: datetime.datetime) -> list:
    # A day of margin either side of UTC: each alumnus's own calendar decides below.
    earliest_end = anniversary(now.date() + datetime.timedelta(days=1), -1)
    alumni = Enrollment.objects.filter(
        status=EnrollmentStatus.COMPLETED,
        cohort__end_date__lte=earliest_end,
        action_plan__isnull=False,
    ).values(
        "pk",
        "user_id",
        "user__time_zone",
        "cohort__name",
        "cohort__end_date",
        "cohort__program__name",
        "action_plan__code",
        "action_plan__title",
    )
    rows = []
    for alumnus in alumni:
        tz_name = alumnus["user__time_zone"]
        today = now.astimezone(zone(tz_name)).date()
        years, day = latest_anniversary(alumnus["cohort__end_date"], today)
        if years < 1 or today > day + datetime.timedelta(days=CATCH_UP_DAYS):
            continue
        rows.append(
            row(
                recipient_id=alumnus["user_id"],
                kind=YEARLY_KIND,
                subject_type="cohorts.enrollment",
                subject_id=alumnus["pk"],
                occurrence=f"year:{years}",
                due_at=local_moment(day, NUDGE_AT, tz_name),
                expires_at=local_moment(
                    day + datetime.timedelta(days=CATCH_UP_DAYS + 1), NUDGE_AT, tz_name
                ),
                enrollment_id=alumnus["pk"],
                title="What has changed since your fellowship?",
                url=reverse("outcomes:result_add", kwargs={"code": alumnus["action_plan__code"]}),
                payload={
                    "years": years,
                    "program": alumnus["cohort__program__name"],
                    "cohort": alumnus["cohort__name"],
                    "plan": alumnus["action_plan__title"],
                },
            )
        )
    return rows

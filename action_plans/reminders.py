"""Set-based scans of action-plan data for the notifications sweep (registered in apps.py;
the kinds are in notices.py), and the milestone due dates of a person's calendar feed.

Each scan makes one query whatever the number of fellows and returns unsaved ledger rows;
the ledger's unique key makes running it every few minutes harmless.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q
from django.urls import reverse

from cohorts.models import EnrollmentStatus
from notifications.ledger import absolute, row
from notifications.models import Notification
from notifications.timeutil import local_moment, zone

from .models import ActionPlan, Milestone, MilestoneStatus, PlanStatus
from .notices import MILESTONE_DUE, MILESTONE_OVERDUE, MILESTONE_SOON, PLAN_SILENT

NUDGE_AT = datetime.time(9, 0)  # nudges go out at 9:00 in the fellow's own zone
ONE_DAY = datetime.timedelta(days=1)
MIDNIGHT = datetime.time(0, 0)


def _nudge_moment(day: datetime.date, fellow_zone: str, cohort_zone: str) -> datetime.datetime:
    """9:00 of `day` in the fellow's zone, but never before the cohort's `day` has begun:
    which nudge applies is decided on the cohort's calendar (the one every page counts on),
    so an "overdue" email cannot arrive while the plan page still says "due today"."""
    return max(local_moment(day, NUDGE_AT, fellow_zone), local_moment(day, MIDNIGHT, cohort_zone))


def scan(now) -> list[Notification]:
    return milestone_nudges(now) + silent_plan_nudges(now)


def _plan_url(code) -> str:
    return reverse("action_plans:plan_detail", kwargs={"code": code})


def milestone_nudges(now) -> list[Notification]:
    """7 days before (the program's `milestone_nudge_days_before`), on the due date, then
    every `overdue_nudge_interval_days` while overdue: until done or the plan is completed.
    Withdrawn fellows (and alumni) get nothing."""
    latest_day = now.date() + datetime.timedelta(days=60)
    milestones = (
        Milestone.objects.filter(
            goal__plan__enrollment__status=EnrollmentStatus.ACTIVE,
            due_date__lte=latest_day,
        )
        .exclude(status=MilestoneStatus.DONE)
        .exclude(goal__plan__status=PlanStatus.COMPLETED)
        .values(
            "pk",
            "title",
            "due_date",
            "goal__plan__code",
            "goal__plan__title",
            "goal__plan__enrollment_id",
            "goal__plan__enrollment__user_id",
            "goal__plan__enrollment__user__time_zone",
            "goal__plan__enrollment__cohort__time_zone",
            "goal__plan__enrollment__cohort__program__milestone_nudge_days_before",
            "goal__plan__enrollment__cohort__program__overdue_nudge_interval_days",
            "goal__plan__enrollment__cohort__program__plan_short_name",
        )
    )
    rows = []
    for m in milestones:
        rows.extend(_nudges_for(m, now))
    return rows


def _nudges_for(m: dict, now) -> list[Notification]:
    tz_name = m["goal__plan__enrollment__user__time_zone"]
    cohort_tz = m["goal__plan__enrollment__cohort__time_zone"]
    today = now.astimezone(zone(cohort_tz)).date()
    due: datetime.date = m["due_date"]
    days_before = m["goal__plan__enrollment__cohort__program__milestone_nudge_days_before"]
    interval = max(1, m["goal__plan__enrollment__cohort__program__overdue_nudge_interval_days"])
    found = []

    def add(kind, occurrence, day, expires_at, title):
        found.append(
            row(
                recipient_id=m["goal__plan__enrollment__user_id"],
                kind=kind.key,
                subject_type="action_plans.milestone",
                subject_id=m["pk"],
                occurrence=occurrence,
                due_at=_nudge_moment(day, tz_name, cohort_tz),
                expires_at=expires_at,
                enrollment_id=m["goal__plan__enrollment_id"],
                title=title,
                url=_plan_url(m["goal__plan__code"]),
                payload={
                    "milestone": m["title"],
                    "due_date": due.isoformat(),
                    "plan": m["goal__plan__title"],
                    # What the program calls the plan (cohorts/terms.py).
                    "plan_word": m["goal__plan__enrollment__cohort__program__plan_short_name"],
                },
            )
        )

    due_moment = _nudge_moment(due, tz_name, cohort_tz)
    soon_day = due - datetime.timedelta(days=days_before)
    if days_before > 0 and soon_day - ONE_DAY <= today < due:
        add(
            MILESTONE_SOON,
            f"soon:{due}",
            soon_day,
            due_moment,
            f"Due in {days_before} days: {m['title']}",
        )
    if due - ONE_DAY <= today <= due:
        add(
            MILESTONE_DUE,
            f"due:{due}",
            due,
            _nudge_moment(due + ONE_DAY, tz_name, cohort_tz),
            f"Due today: {m['title']}",
        )
    overdue_days = (today - due).days
    step = overdue_days // interval
    if step >= 1:
        day = due + datetime.timedelta(days=step * interval)
        add(
            MILESTONE_OVERDUE,
            f"overdue:{due}:{step}",
            day,
            _nudge_moment(day + datetime.timedelta(days=interval), tz_name, cohort_tz),
            f"Overdue: {m['title']}",
        )
    return found


def _silent_plans():
    return ActionPlan.objects.filter(
        status=PlanStatus.APPROVED, enrollment__status=EnrollmentStatus.ACTIVE
    ).annotate(last_update=Max("updates__as_of"))


def silent_plan_nudges(now) -> list[Notification]:
    """A nudge when an approved plan has had no progress update for the program's threshold
    (30 days by default): once per silent stretch of that length."""
    plans = _silent_plans().values(
        "pk",
        "code",
        "title",
        "created_at",
        "status_changed_at",
        "last_update",
        "enrollment_id",
        "enrollment__user_id",
        "enrollment__user__time_zone",
        "enrollment__cohort__time_zone",
        "enrollment__cohort__program__at_risk_days_without_plan_update",
        "enrollment__cohort__program__plan_short_name",
    )
    rows = []
    for p in plans:
        tz_name = p["enrollment__user__time_zone"]
        cohort_tz = p["enrollment__cohort__time_zone"]
        tz = zone(cohort_tz)
        today = now.astimezone(tz).date()
        days = max(1, p["enrollment__cohort__program__at_risk_days_without_plan_update"])
        last = p["last_update"] or (p["status_changed_at"] or p["created_at"]).astimezone(tz).date()
        step = (today - last).days // days
        if step < 1:
            continue
        day = last + datetime.timedelta(days=step * days)
        rows.append(
            row(
                recipient_id=p["enrollment__user_id"],
                kind=PLAN_SILENT.key,
                subject_type="action_plans.actionplan",
                subject_id=p["pk"],
                occurrence=f"silent:{last}:{step}",
                due_at=_nudge_moment(day, tz_name, cohort_tz),
                expires_at=_nudge_moment(day + datetime.timedelta(days=days), tz_name, cohort_tz),
                enrollment_id=p["enrollment_id"],
                title=f"Time for a progress update on {p['title']}",
                url=_plan_url(p["code"]),
                payload={
                    "plan": p["title"],
                    "plan_word": p["enrollment__cohort__program__plan_short_name"],
                    "days": days,
                    "last_update": p["last_update"].isoformat() if p["last_update"] else "",
                },
            )
        )
    return rows


def silent_enrollment_ids(cohort, since: datetime.date) -> set[int]:
    """Enrollments of the cohort whose running plan has no progress update since `since`
    (a day of the cohort's calendar)."""
    since_start = local_moment(since, datetime.time(0), cohort.time_zone)
    return set(
        _silent_plans()
        .filter(enrollment__cohort=cohort)
        .filter(
            Q(last_update__lt=since)
            | Q(last_update__isnull=True, status_changed_at__lt=since_start)
        )
        .values_list("enrollment_id", flat=True)
    )


def plan_is_silent(*, status, last_update, status_changed_at, since: datetime.date, cohort) -> bool:
    """The rule of `silent_enrollment_ids` for one plan already loaded (the dashboard counts
    every cohort of a program at once): an approved plan with no update since `since`."""
    if status != PlanStatus.APPROVED:
        return False
    if last_update is not None:
        return last_update < since
    return status_changed_at is not None and cohort.local_date(status_changed_at) < since


def calendar_milestones(user) -> list[dict]:
    """Due dates of the person's open milestones, for their calendar feed."""
    milestones = (
        Milestone.objects.filter(
            goal__plan__enrollment__user=user,
            goal__plan__enrollment__status=EnrollmentStatus.ACTIVE,
        )
        .exclude(status=MilestoneStatus.DONE)
        .values("code", "title", "due_date", "goal__plan__code")
    )
    return [
        {
            "code": m["code"],
            "title": m["title"],
            "due_date": m["due_date"],
            "url": absolute(_plan_url(m["goal__plan__code"])),
        }
        for m in milestones
    ]

"""The two digests: the daily digest of held notifications, and the weekly staff digest."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from cohorts.models import Cohort, CohortStatus, EnrollmentStatus, Program, ProgramStaff

from .ledger import absolute, row
from .models import Kind, Notification, State
from .timeutil import local_moment, zone

DEFAULT_QUIET_END = datetime.time(7, 0)
STAFF_DIGEST_AT = datetime.time(8, 0)


def scan_daily_digests(now) -> list[Notification]:
    """One digest a day per person with held notifications, at the end of their quiet hours."""
    people = (
        Notification.objects.filter(state=State.HELD)
        .values(
            "recipient_id", "recipient__time_zone", "recipient__notification_settings__quiet_end"
        )
        .distinct()
    )
    rows = []
    for person in people:
        tz_name = person["recipient__time_zone"]
        today = now.astimezone(zone(tz_name)).date()
        at = person["recipient__notification_settings__quiet_end"] or DEFAULT_QUIET_END
        due_at = local_moment(today, at, tz_name)
        if now < due_at:
            continue
        rows.append(
            row(
                recipient_id=person["recipient_id"],
                kind=Kind.DAILY_DIGEST,
                subject_type="accounts.user",
                subject_id=person["recipient_id"],
                occurrence=today.isoformat(),
                due_at=due_at,
                title="Your daily digest",
                url="/notifications/",
            )
        )
    return rows


def scan_staff_digests(now) -> list[Notification]:
    """Monday 8:00 in each staff member's zone, for each program with a running cohort."""
    staff = (
        ProgramStaff.objects.filter(program__cohorts__status=CohortStatus.ACTIVE)
        .values("user_id", "user__time_zone", "program_id", "program__name")
        .distinct()
    )
    rows = []
    for member in staff:
        tz_name = member["user__time_zone"]
        today = now.astimezone(zone(tz_name)).date()
        monday = today - datetime.timedelta(days=today.weekday())
        due_at = local_moment(monday, STAFF_DIGEST_AT, tz_name)
        if now < due_at:
            continue
        year, week, _ = monday.isocalendar()
        rows.append(
            row(
                recipient_id=member["user_id"],
                kind=Kind.STAFF_DIGEST,
                subject_type="cohorts.program",
                subject_id=member["program_id"],
                occurrence=f"{year}-W{week:02d}",
                due_at=due_at,
                expires_at=due_at + datetime.timedelta(days=3),
                title=f"Weekly digest: {member['program__name']}",
                payload={"program_id": member["program_id"]},
            )
        )
    return rows


def at_risk(cohort: Cohort, today: datetime.date) -> list[dict]:
    """A simple at-risk list (the staff dashboard refines it): overdue milestones, and no
    progress update for the program's threshold when plan updates exist."""
    from action_plans.models import MilestoneStatus

    program = cohort.program
    enrollments = (
        cohort.enrollments.filter(status=EnrollmentStatus.ACTIVE)
        .select_related("user")
        .annotate(
            overdue=Count(
                "action_plan__goals__milestones",
                filter=Q(action_plan__goals__milestones__due_date__lt=today)
                & ~Q(action_plan__goals__milestones__status=MilestoneStatus.DONE),
            )
        )
    )
    silent = _silent_enrollment_ids(cohort, today, program.at_risk_days_without_plan_update)
    flagged = []
    for enrollment in enrollments:
        reasons = []
        if enrollment.overdue:
            reasons.append(
                f"{enrollment.overdue} overdue milestone{'s' if enrollment.overdue != 1 else ''}"
            )
        if enrollment.pk in silent:
            reasons.append(f"no plan update in {program.at_risk_days_without_plan_update} days")
        if reasons:
            flagged.append(
                {
                    "name": enrollment.user.display_name,
                    "reasons": reasons,
                    "overdue": enrollment.overdue,
                }
            )
    return flagged


def _silent_enrollment_ids(cohort, today, days) -> set[int]:
    try:
        from action_plans.reminders import silent_enrollment_ids
    except ImportError:
        return set()
    return silent_enrollment_ids(cohort, today - datetime.timedelta(days=days))


def staff_digest_context(n: Notification, *, now) -> dict:
    program = Program.objects.get(pk=n.payload["program_id"])
    today = now.astimezone(zone(n.recipient.time_zone)).date()
    cohorts = []
    for cohort in program.cohorts.filter(status=CohortStatus.ACTIVE).annotate(
        active=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
        withdrawn=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WITHDRAWN)),
    ):
        flagged = at_risk(cohort, today)
        cohorts.append(
            {
                "name": cohort.name,
                "active": cohort.active,
                "withdrawn": cohort.withdrawn,
                "overdue_milestones": sum(f["overdue"] for f in flagged),
                "at_risk": flagged,
                "url": absolute(cohort.get_absolute_url()),
            }
        )
    return {"program_name": program.name, "cohorts": cohorts}

"""The two digests: the daily digest of held notifications, and the weekly staff digest."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from cohorts.models import CohortStatus, EnrollmentStatus, Program, ProgramStaff

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


def staff_digest_context(n: Notification, *, now) -> dict:
    """Cohort health and who is at risk, for each running cohort of the program. The at-risk
    list is the staff dashboard's (reports.metrics): same thresholds, same reasons. A fixed
    number of queries per cohort, whatever the number of fellows."""
    from reports.access import Scope
    from reports.metrics import at_risk, attendance, coaching, plans

    program = Program.objects.get(pk=n.payload["program_id"])
    cohorts = []
    for cohort in (
        program.cohorts.filter(status=CohortStatus.ACTIVE)
        .annotate(
            active=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
            withdrawn=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WITHDRAWN)
            ),
        )
        .order_by("start_date", "pk")
    ):
        cohort.program = program
        scope = Scope(cohort=cohort, viewer=n.recipient)
        today = scope.today(now)
        plan_figures = plans(scope, today)
        flagged = at_risk(
            scope,
            today,
            attendance=attendance(scope, now),
            coaching=coaching(scope, now),
            plans=plan_figures,
        )
        cohorts.append(
            {
                "name": cohort.name,
                "active": cohort.active,
                "withdrawn": cohort.withdrawn,
                "overdue_milestones": plan_figures.overdue,
                "at_risk": [
                    {
                        "name": f.enrollment.user.display_name,
                        "reasons": [r.text for r in f.reasons],
                        "url": absolute(f.enrollment.get_absolute_url()),
                    }
                    for f in flagged
                ],
                "url": absolute(cohort.get_absolute_url()),
                "at_risk_url": absolute(reverse("reports:at_risk", kwargs={"code": cohort.code})),
            }
        )
    return {"program_name": program.name, "cohorts": cohorts}

"""What the reports app tells people about (registered in apps.py): the weekly staff digest.
Monday 8:00 in each staff member's zone, for each program with a running cohort, the health
of each cohort and who is at risk, with the dashboard's figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from cohorts.models import CohortStatus, EnrollmentStatus, Program, ProgramStaff
from notifications.ledger import absolute, row
from notifications.models import Notification
from notifications.registry import Kind, Topic
from notifications.timeutil import local_moment, zone

from .access import Scope
from .metrics import at_risk_among, fellow_rows, plans

STAFF_DIGEST_AT = datetime.time(8, 0)

WEEKLY_DIGEST = Topic(
    key="staff_digest",
    label="Weekly cohort digest (program staff)",
    order=90,
    audience=frozenset({"staff"}),
    help_text="For program staff: cohort health and who is at risk, every Monday.",
)


def scan_staff_digests(now: datetime.datetime) -> list[Notification]:
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
                kind=STAFF_DIGEST.key,
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


def no_longer_staff(rows: list[Notification]) -> dict[int, str]:
    """Digests whose recipient left the program's staff since the row was written (one
    query for the batch)."""
    staff_of = set(
        ProgramStaff.objects.filter(user_id__in={n.recipient_id for n in rows}).values_list(
            "user_id", "program_id"
        )
    )
    return {
        n.pk: "no longer staff"
        for n in rows
        if (n.recipient_id, n.payload.get("program_id")) not in staff_of
    }


def staff_digest_context(n: Notification, now: datetime.datetime) -> dict[str, Any]:
    """Cohort health and who is at risk, for each running cohort of the program. The at-risk
    list is the staff dashboard's (reports.metrics): same thresholds, same reasons. A fixed
    number of queries per cohort, whatever the number of fellows."""
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
        fellows = fellow_rows(scope, now)
        plan_figures = plans(scope, now, fellows=fellows)
        flagged = at_risk_among(scope, now, fellows)
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
    return {"program_name": program.name, "cohorts": cohorts, "terms": program.terms}


STAFF_DIGEST = Kind(
    key="staff_digest",
    label="Weekly cohort digest",
    topic=WEEKLY_DIGEST.key,
    template="reports/email/staff_digest",
    context=staff_digest_context,
    skip=no_longer_staff,
)

TOPICS = [WEEKLY_DIGEST]
KINDS = [STAFF_DIGEST]

"""The weekly staff digest: Monday 8:00 in each staff member's zone, cohort health and who
is at risk."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils.html import escape

from action_plans.models import PlanStatus
from curriculum.models import Attendance, AttendanceStatus
from notifications.delivery import deliver_batch
from notifications.emails import build_email
from notifications.models import Notification
from notifications.sweep import write_due
from reports.access import Scope
from reports.metrics import at_risk_for
from reports.notices import STAFF_DIGEST, scan_staff_digests, staff_digest_context

from ..factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from ..factories.cohorts import CohortFactory, EnrollmentFactory
from ..factories.curriculum import SessionFactory
from ..queries import count_queries

MONDAY = "2026-11-09 14:00:00+00:00"  # 9 AM in New York


@pytest.fixture
def make_plan():
    def make(enrollment, *, milestones=()):
        plan = ActionPlanFactory(enrollment=enrollment, status=PlanStatus.APPROVED)
        goal = GoalFactory(plan=plan)
        for title, due in milestones:
            MilestoneFactory(goal=goal, title=title, due_date=due)
        return plan

    return make


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def send_due():
    """Delivers every pending row of the ledger, as a worker would."""

    def run():
        return deliver_batch(
            list(Notification.objects.filter(state="pending").values_list("pk", flat=True))
        )

    return run


def _sweep(moment):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan_staff_digests])


def test_staff_get_one_digest_a_week_on_monday_morning(cast):
    cast.staff.time_zone = "America/Los_Angeles"
    cast.staff.save()
    _sweep("2026-11-09 15:59:00+00:00")  # Monday 7:59 AM in Los Angeles
    assert not Notification.objects.filter(recipient=cast.staff).exists()
    _sweep("2026-11-09 16:00:00+00:00")
    _sweep("2026-11-11 16:00:00+00:00")  # later the same week: still one
    assert Notification.objects.filter(recipient=cast.staff, kind=STAFF_DIGEST.key).count() == 1
    _sweep("2026-11-16 16:00:00+00:00")
    assert Notification.objects.filter(recipient=cast.staff, kind=STAFF_DIGEST.key).count() == 2
    # Staff of a program are told about their own program only.
    digest = Notification.objects.filter(recipient=cast.staff).first()
    assert digest.subject_id == cast.program.pk


def test_digest_shows_cohort_health_and_who_is_at_risk(cast, make_plan, send_due, outbox):
    make_plan(
        cast.enrollments["peer"],
        milestones=[("Stakeholder map", datetime.date(2026, 10, 1))],
    )
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", datetime.date(2026, 12, 1))])
    _sweep("2026-11-09 14:00:00+00:00")  # Monday 9 AM in New York
    with time_machine.travel("2026-11-09 14:00:00+00:00", tick=False):
        send_due()
    (message,) = [m for m in outbox if m.to == [cast.staff.email]]
    assert "Weekly digest: Health Equity Leadership Institute" in message.subject
    assert "2026–2027 cohort" in message.body
    assert "3 active fellows, 1 withdrawn; 1 overdue milestone." in message.body
    assert f"{cast.peer.display_name}: " in message.body
    assert "1 overdue milestone" in message.body
    # The fellow's milestone is not due yet: no overdue reason for them.
    fellow_line = next(
        line for line in message.body.splitlines() if cast.fellow.display_name in line
    )
    assert "overdue" not in fellow_line


def _digest_for(cast):
    _sweep(MONDAY)
    digest = Notification.objects.get(recipient=cast.staff, kind=STAFF_DIGEST.key)
    with time_machine.travel(MONDAY, tick=False):
        now = datetime.datetime.now(datetime.UTC)
        return digest, now, staff_digest_context(digest, now=now)


def test_who_is_at_risk_is_the_dashboards_list(cast, make_plan):
    """Every reason of the dashboard (reports.metrics), nobody more, nobody less."""
    make_plan(cast.enrollments["peer"], milestones=[("Map", datetime.date(2026, 10, 1))])
    cast.program.at_risk_missed_sessions = 2
    cast.program.save()
    for day in (1, 8):
        session = SessionFactory(
            cohort=cast.cohort,
            starts_at=datetime.datetime(2026, 10, day, 15, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 10, day, 17, tzinfo=datetime.UTC),
        )
        Attendance.objects.create(
            session=session,
            enrollment=cast.enrollments["classmate"],
            status=AttendanceStatus.ABSENT,
        )
    _, now, context = _digest_for(cast)
    (cohort,) = [c for c in context["cohorts"] if c["name"] == cast.cohort.name]
    expected = at_risk_for(Scope(cohort=cast.cohort, viewer=cast.staff), now)
    assert [(f["name"], f["reasons"]) for f in cohort["at_risk"]] == [
        (f.enrollment.user.display_name, [r.text for r in f.reasons]) for f in expected
    ]
    codes = {f.enrollment.user_id: f.codes for f in expected}
    assert "missed_sessions" in codes[cast.classmate.pk]
    assert {"overdue_milestones", "no_coach"} <= set(codes[cast.peer.pk])
    assert cast.withdrawn.pk not in codes  # only active fellows are ever at risk
    # Each fellow is linked to their page (absolute, for an email).
    peer = next(f for f in cohort["at_risk"] if f["name"] == cast.peer.display_name)
    assert peer["url"].endswith(cast.enrollments["peer"].get_absolute_url())
    assert peer["url"].startswith("http")
    assert cohort["at_risk_url"].endswith(f"/reports/cohorts/{cast.cohort.code}/at-risk/")


def test_digest_links_each_fellow_and_escapes_names_in_html(cast, outbox):
    cast.peer.full_name = "Pedro <b>Peer</b>"
    cast.peer.save()
    digest, now, _ = _digest_for(cast)
    message = build_email(digest, now=now)
    html = message.alternatives[0][0]
    link = cast.enrollments["peer"].get_absolute_url()
    assert f'{link}">{escape(cast.peer.display_name)}</a>' in html
    assert "<b>Peer</b>" not in html
    assert link in message.body


def test_digest_costs_a_fixed_number_of_queries_per_cohort(cast):
    digest, now, _ = _digest_for(cast)

    def build():
        return staff_digest_context(digest, now=now)

    def add_fellows(cohort, n):
        for _ in range(n):
            EnrollmentFactory(cohort=cohort)

    before, _, _ = count_queries(build)
    add_fellows(cast.cohort, 8)
    same, sql, _ = count_queries(build)
    assert before == same, "\n".join(sql)
    # Another running cohort costs the same again as the first, not a query per fellow.
    extra = CohortFactory(program=cast.program)
    add_fellows(extra, 1)
    one_more, _, _ = count_queries(build)
    add_fellows(extra, 6)
    still, _, _ = count_queries(build)
    assert one_more == still
    per_cohort = one_more - same
    assert 0 < per_cohort <= 12


def test_staff_who_left_the_program_before_monday_get_no_digest(cast, send_due, outbox):
    from cohorts.models import ProgramStaff
    from notifications.models import State
    from tests.factories.cohorts import ProgramStaffFactory

    _sweep(MONDAY)
    # Another director stays: a program is never left without one (a database rule).
    ProgramStaffFactory(program=cast.program, role="director")
    ProgramStaff.objects.filter(user=cast.staff, program=cast.program).delete()
    with time_machine.travel(MONDAY, tick=False):
        send_due()
    digest = Notification.objects.get(recipient=cast.staff, kind=STAFF_DIGEST.key)
    assert (digest.state, digest.skip_reason) == (State.SKIPPED, "no longer staff")
    assert not [m for m in outbox if m.to == [cast.staff.email]]

"""One "today": every day-based figure counts on the cohort's calendar, so staff in
Chicago, a coach in Honolulu and a fellow in Guam see the same figure at the same instant."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from action_plans import services
from action_plans.models import Milestone, MilestoneStatus, PlanStatus
from tests.factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
ZONES = {"staff": "America/Chicago", "coach": "Pacific/Honolulu", "fellow": "Pacific/Guam"}
# The New York cohort's 9 November, late evening: already 10 November in Guam.
LATE_ON_THE_9TH = datetime.datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
# Just after midnight of 10 November in New York: still 9 November in Honolulu.
EARLY_ON_THE_10TH = datetime.datetime(2026, 11, 10, 5, 30, tzinfo=UTC)


@pytest.fixture
def due_on_the_9th(cast):
    for role, zone in ZONES.items():
        user = cast.user(role)
        user.time_zone = zone
        user.save(update_fields=["time_zone"])
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], status=PlanStatus.APPROVED)
    goal = GoalFactory(plan=plan)
    MilestoneFactory(goal=goal, due_date=datetime.date(2026, 11, 9))
    return plan


def _figures(client_for, cast, plan):
    """Overdue milestones as each viewer sees them on each page that counts them."""
    seen = {}
    for role in ZONES:
        page = client_for(role).get(plan.get_absolute_url())
        seen[f"plan page for {role}"] = page.context["page"].progress.overdue
    for role in ("staff", "coach"):
        table = client_for(role).get(reverse("action_plans:cohort_plans", args=[cast.cohort.code]))
        seen[f"plans table for {role}"] = sum(p.progress.overdue for p in table.context["plans"])
        board = client_for(role).get(reverse("reports:cohort_dashboard", args=[cast.cohort.code]))
        seen[f"dashboard for {role}"] = board.context["board"].plans.overdue
    program = client_for("staff").get(
        reverse("reports:program_dashboard", args=[cast.program.slug])
    )
    row = next(h for h in program.context["headlines"] if h.cohort.pk == cast.cohort.pk)
    seen["program dashboard"] = row.milestones_overdue
    return seen


@pytest.mark.parametrize("moment, overdue", [(LATE_ON_THE_9TH, 0), (EARLY_ON_THE_10TH, 1)])
def test_every_viewer_counts_overdue_on_the_cohort_day(
    client_for, cast, due_on_the_9th, moment, overdue
):
    with time_machine.travel(moment, tick=False):
        seen = _figures(client_for, cast, due_on_the_9th)
    assert seen == dict.fromkeys(seen, overdue)


def test_a_milestone_done_late_at_night_in_guam_is_done_on_the_cohort_day(cast, due_on_the_9th):
    milestone = Milestone.objects.get(goal__plan=due_on_the_9th)
    with time_machine.travel(LATE_ON_THE_9TH, tick=False):
        services.milestone_set_status(milestone=milestone, status=MilestoneStatus.DONE)
    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2026, 11, 9)


def test_a_fellow_in_guam_may_date_an_update_only_up_to_the_cohort_day(
    client_for, cast, due_on_the_9th
):
    client = client_for("fellow")
    url = reverse("action_plans:update_add", args=[due_on_the_9th.code])
    with time_machine.travel(LATE_ON_THE_9TH, tick=False):
        shown = client.get(url).context["form"]["as_of"].value()
        refused = client.post(url, {"as_of": "2026-11-10", "signal": "on_track", "body": "x"})
    assert str(shown) == "2026-11-09"
    assert "cannot be dated in the future" in str(refused.context["form"].errors["as_of"])


def test_the_viewers_today_cannot_come_back(tmp_path):
    """The lint rule: `timezone.localdate()` is refused outside Cohort.local_date()."""
    root = Path(__file__).resolve().parents[2]
    module = root / "action_plans" / "_lint_probe_today.py"
    module.write_text(
        "from django.utils import timezone\n\n\ndef today():\n    return timezone.localdate()\n"
    )
    try:
        found = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", str(module)],
            cwd=root,
            capture_output=True,
            text=True,
        )
    finally:
        module.unlink()
    assert found.returncode == 1
    assert "TID251" in found.stdout and "Cohort.local_date()" in found.stdout


def test_a_coaching_session_date_is_checked_on_the_cohort_day(cast):
    """The cohort (New York) starts on 1 September 2026; sessions may fall from 30 days
    before. 1:00 AM on 2 August in New York is still 1 August for a coach in Honolulu."""
    from django.utils import timezone

    from coaching.services import coaching_session_create

    starts = datetime.datetime(2026, 8, 2, 5, 0, tzinfo=UTC)
    with timezone.override("Pacific/Honolulu"):
        session = coaching_session_create(
            enrollment=cast.enrollments["fellow"],
            coach=cast.coach,
            data={"starts_at": starts, "duration_minutes": 60},
            now=datetime.datetime(2026, 7, 20, tzinfo=UTC),
        )
    assert session.pk is not None

"""The demo's plans look like a real, mostly healthy cohort (demo/action_plans.py): every
workflow state and milestone state shown, a handful of fellows at risk on the staff
dashboard, each for a reason, and the demo fellow's rich approved plan."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from action_plans.models import ActionPlan, Milestone, MilestoneStatus, PlanStatus
from cohorts.models import Cohort, EnrollmentStatus
from demo.cohorts import SLUG as INSTITUTE
from tests.mfa import mark_mfa_done

from .conftest import AUTUMN, SPRING


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now",
    [
        AUTUMN,  # the autumn term
        SPRING,  # the spring term
    ],
    ids=["autumn", "spring"],
)
def test_demo_cohort_is_mostly_healthy_and_shows_every_state(client, seeded_demo, now):
    with time_machine.travel(now, tick=False):
        seeded_demo(now)  # seeding again: test_seed_demo.py

        current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
        active = current.enrollments.filter(status=EnrollmentStatus.ACTIVE)
        plans = ActionPlan.objects.filter(enrollment__cohort=current)
        assert plans.count() == active.count()

        workflow = Counter(ActionPlan.objects.values_list("status", flat=True))
        assert set(workflow) == set(PlanStatus.values)  # completed: the past cohort's
        assert workflow[PlanStatus.APPROVED] > workflow[PlanStatus.CHANGES_REQUESTED]

        milestones = Milestone.objects.filter(goal__plan__enrollment__cohort=current)
        today = now.date()
        open_ = milestones.exclude(status=MilestoneStatus.DONE)
        assert milestones.filter(status=MilestoneStatus.DONE).exists()
        assert open_.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(14))
        assert open_.filter(due_date__lt=today).exists()  # overdue
        assert milestones.filter(status=MilestoneStatus.BLOCKED).exists()
        # Overdue milestones are the exception, not the rule.
        assert open_.filter(due_date__lt=today).count() <= 3

        staff = User.objects.get(email="staff@cohortwise.demo")
        client.force_login(staff)
        mark_mfa_done(client)
        response = client.get(reverse("reports:cohort_dashboard", kwargs={"code": current.code}))
        assert response.status_code == 200
        flagged = response.context["board"].at_risk
        assert 4 <= len(flagged) <= 7, [(f.enrollment, f.codes) for f in flagged]
        assert all(f.reasons for f in flagged)
        codes = Counter(code for f in flagged for code in f.codes)
        assert codes["overdue_milestones"] and codes["no_plan_update"]

        demo_plan = ActionPlan.objects.get(
            enrollment__user__email="fellow.amara.okafor@cohortwise.demo"
        )
        assert demo_plan.enrollment.cohort == current
        assert demo_plan.status == PlanStatus.APPROVED
        states = set(
            Milestone.objects.filter(goal__plan=demo_plan).values_list("status", flat=True)
        )
        assert {MilestoneStatus.DONE, MilestoneStatus.BLOCKED} <= states
        assert demo_plan.updates.count() >= 3 and demo_plan.comments.count() >= 2

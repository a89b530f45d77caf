import pytest

from action_plans.models import PlanStatus

from ..factories.action_plans import (
    ActionPlanFactory,
    CompetencyDomainFactory,
    CompetencyFactory,
    GoalFactory,
    MilestoneFactory,
)
from ..factories.curriculum import CompetencyFrameworkFactory


@pytest.fixture
def framework(cast):
    """The cohort's competency framework, with two competencies."""
    framework = CompetencyFrameworkFactory(name="Equity Leadership Framework")
    domain = CompetencyDomainFactory(framework=framework, name="Leading change")
    CompetencyFactory(domain=domain, name="Building coalitions")
    CompetencyFactory(domain=domain, name="Using data for equity")
    cast.cohort.framework = framework
    cast.cohort.save()
    return framework


@pytest.fixture
def plan(cast):
    """The fellow's plan (draft, shared with the peer group) with one goal, two milestones."""
    plan = ActionPlanFactory(
        enrollment=cast.enrollments["fellow"], title="Community health workers in Medicaid"
    )
    goal = GoalFactory(plan=plan, title="Pay for community health worker services", order=0)
    MilestoneFactory(goal=goal, title="Draft the state plan amendment", order=0)
    MilestoneFactory(goal=goal, title="Brief the Medicaid director", order=1)
    return plan


@pytest.fixture
def submitted_plan(plan):
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    return plan


@pytest.fixture
def milestone(plan):
    return plan.goals.get().milestones.order_by("order").first()

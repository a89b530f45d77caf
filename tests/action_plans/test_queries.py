"""Pages cost the same number of queries at 1x and 10x data."""

import pytest
from django.urls import reverse

from action_plans.models import FocusLevel, MilestoneStatus, PlanStatusChange

from ..factories.accounts import UserFactory
from ..factories.action_plans import (
    ActionPlanFactory,
    CompetencyFactory,
    GoalFactory,
    MilestoneFactory,
    PlanCommentFactory,
    ProgressUpdateFactory,
)
from ..factories.cohorts import EnrollmentFactory
from ..queries import assert_stable_queries

pytestmark = pytest.mark.django_db


def _fill(plan, n, framework=None):
    """n more goals, each with milestones in every status, updates, comments and revisions."""
    from action_plans.models import PlanRevision

    levels = list(FocusLevel)
    for i in range(n):
        goal = GoalFactory(plan=plan)
        for status in MilestoneStatus:
            milestone = MilestoneFactory(goal=goal, status=status)
            PlanCommentFactory(plan=plan, milestone=milestone, author=UserFactory())
        ProgressUpdateFactory(plan=plan)
        PlanCommentFactory(plan=plan, author=UserFactory())
        PlanStatusChange.objects.create(
            plan=plan, to_status="draft", changed_by=UserFactory(), changed_at=plan.created_at
        )
        plan.focus_levels.get_or_create(level=levels[i % len(levels)])
        last = plan.revisions.order_by("-number").first()
        PlanRevision.objects.create(
            plan=plan,
            number=(last.number + 1) if last else 1,
            author=UserFactory(),
            created_at=plan.created_at,
            snapshot={"title": f"v{i}"},
        )
        if framework is not None:
            domain = framework.domains.first()
            plan.competencies.add(CompetencyFactory(domain=domain))


@pytest.mark.parametrize("role", ["fellow", "staff", "coach", "peer"])
def test_plan_page(role, cast, client_for, plan, framework):
    _fill(plan, 1, framework)
    client = client_for(role)
    count = assert_stable_queries(
        lambda: client.get(plan.get_absolute_url()), lambda n: _fill(plan, n, framework)
    )
    assert count <= 12  # the query budget of every page


def test_print_view_history_and_inline_fragment(cast, client_for, plan):
    _fill(plan, 1)
    client = client_for("fellow")
    milestone = plan.goals.first().milestones.first()
    for fetch in (
        lambda: client.get(reverse("action_plans:plan_print", kwargs={"code": plan.code})),
        lambda: client.get(
            reverse("action_plans:plan_history", kwargs={"code": plan.code}), {"a": 1, "b": 2}
        ),
        lambda: client.post(
            reverse("action_plans:milestone_status", kwargs={"code": milestone.code}),
            {"status": "in_progress"},
            HTTP_HX_REQUEST="true",
        ),
    ):
        assert_stable_queries(fetch, lambda n: _fill(plan, n))


def _more_plans(cast, n):
    for _ in range(n):
        enrollment = EnrollmentFactory(cohort=cast.cohort)
        other = ActionPlanFactory(enrollment=enrollment)
        other.focus_levels.create(level=FocusLevel.SOCIETAL)
        _fill(other, 1)


@pytest.mark.parametrize("role", ["staff", "coach"])
def test_cohort_plans_table(role, cast, client_for, plan):
    _fill(plan, 1)
    _more_plans(cast, 1)
    client = client_for(role)
    table = reverse("action_plans:cohort_plans", kwargs={"code": cast.cohort.code})
    assert_stable_queries(lambda: client.get(table), lambda n: _more_plans(cast, n))
    assert_stable_queries(
        lambda: client.get(table, {"focus_level": "societal", "status": "draft"}),
        lambda n: _more_plans(cast, n),
    )


def test_panels_on_other_pages(cast, client_for, plan):
    _fill(plan, 1)
    fellow = client_for("fellow")
    assert_stable_queries(
        lambda: fellow.get(reverse("cohorts:fellow_home")), lambda n: _fill(plan, n)
    )
    staff = client_for("staff")
    assert_stable_queries(
        lambda: staff.get(cast.cohort.get_absolute_url()), lambda n: _more_plans(cast, n)
    )
    coach = client_for("coach")
    assert_stable_queries(
        lambda: coach.get(cast.enrollments["fellow"].get_absolute_url()), lambda n: _fill(plan, n)
    )


def test_drag_and_drop_reorder(cast, client_for, plan):
    """The reorder endpoint: one UPDATE whatever the number of milestones it moves."""
    goal = plan.goals.get()
    client = client_for("fellow")
    reorder = reverse("action_plans:milestone_reorder", kwargs={"code": goal.code})
    codes = []

    def fetch():
        return client.post(reorder, {"milestones": codes[::-1]}, HTTP_HX_REQUEST="true")

    def grow(n):
        for _ in range(3 * n):
            MilestoneFactory(goal=goal)
        _fill(plan, n)
        codes[:] = [str(m.code) for m in goal.milestones.order_by("order")]

    grow(0)
    assert_stable_queries(fetch, grow)
    assert [str(m.code) for m in goal.milestones.order_by("order")] == codes[::-1]

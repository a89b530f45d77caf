"""Permission matrix of the action_plans URLs (PRODUCT.md's "action plan" row). The fellow's
plan is shared with their peer group (the default visibility); tests/action_plans covers
the private and cohort settings role by role."""

from action_plans.models import ActionPlan, Goal, Milestone, PlanStatus

from ..factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from . import LOGIN, Case, all_roles

READERS = {"admin": 200, "staff": 200, "coach": 200, "fellow": 200, "peer": 200}
# Pages only the fellow uses: everyone else who may read the plan gets 403.
FELLOW_ONLY_GET = {"admin": 403, "staff": 403, "coach": 403, "peer": 403, "fellow": 200}
FELLOW_ONLY_POST = {**FELLOW_ONLY_GET, "fellow": 302}
STAFF_ONLY_POST = {"admin": 302, "staff": 302, "coach": 403, "peer": 403, "fellow": 403}
FELLOW_AND_STAFF_GET = {"admin": 200, "staff": 200, "coach": 403, "peer": 403, "fellow": 200}


def _with_plan(status=PlanStatus.DRAFT):
    def setup(cast):
        plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], status=status)
        goal = GoalFactory(plan=plan, title="Enroll community health workers")
        MilestoneFactory(goal=goal, title="Draft the state plan amendment")
        MilestoneFactory(goal=goal, title="Brief the Medicaid director")

    return setup


def _plan(cast):
    return {"code": ActionPlan.objects.get(enrollment=cast.enrollments["fellow"]).code}


def _goal(cast):
    return {"code": Goal.objects.get(plan__enrollment=cast.enrollments["fellow"]).code}


def _milestone(cast):
    milestone = Milestone.objects.filter(goal__plan__enrollment=cast.enrollments["fellow"])
    return {"code": milestone.order_by("order").last().code}


def _milestone_codes(cast):
    milestones = Milestone.objects.filter(goal__plan__enrollment=cast.enrollments["fellow"])
    return [str(code) for code in milestones.order_by("order").values_list("code", flat=True)]


def _cohort(cast):
    return {"code": cast.cohort.code}


CASES = [
    Case(
        "action_plans:review_queue",
        {"admin": 200, "staff": 200, "other_staff": 200, "coach": 404, "fellow": 404},
        setup=_with_plan(PlanStatus.SUBMITTED),
    ),
    Case(
        "action_plans:my_plan",
        all_roles(
            200, anonymous=LOGIN, fellow=302, peer=302, classmate=302, other_cohort_fellow=302
        ),
        label="no plan yet",
    ),
    Case(
        "action_plans:my_plan",
        all_roles(
            200, anonymous=LOGIN, fellow=302, peer=302, classmate=302, other_cohort_fellow=302
        ),
        setup=_with_plan(),
        label="with a plan",
    ),
    Case(
        "action_plans:plan_start",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=lambda cast: {"code": cast.enrollments["fellow"].code},
    ),
    Case(
        "action_plans:plan_start",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=lambda cast: {"code": cast.enrollments["fellow"].code},
        method="post",
        data=lambda cast: {"title": "", "visibility": "everyone"},
        label="invalid",
    ),
    Case("action_plans:plan_detail", READERS, kwargs=_plan, setup=_with_plan()),
    Case("action_plans:plan_print", READERS, kwargs=_plan, setup=_with_plan()),
    Case("action_plans:plan_edit", FELLOW_ONLY_GET, kwargs=_plan, setup=_with_plan()),
    Case(
        "action_plans:plan_edit",
        FELLOW_ONLY_GET,
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"title": "", "visibility": "peer_group"},
        label="invalid",
    ),
    Case(
        "action_plans:plan_submit",
        FELLOW_ONLY_POST,
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
    ),
    Case(
        "action_plans:plan_review",
        STAFF_ONLY_POST,
        kwargs=_plan,
        setup=_with_plan(PlanStatus.SUBMITTED),
        method="post",
        data=lambda cast: {"decision": "approve"},
    ),
    Case(
        "action_plans:plan_review",
        {"admin": 200, "staff": 200, "coach": 403, "peer": 403, "fellow": 403},
        kwargs=_plan,
        setup=_with_plan(PlanStatus.SUBMITTED),
        method="post",
        data=lambda cast: {"decision": "changes", "note": ""},
        label="changes without a note",
    ),
    Case(
        "action_plans:plan_complete",
        STAFF_ONLY_POST,
        kwargs=_plan,
        setup=_with_plan(PlanStatus.APPROVED),
        method="post",
    ),
    Case("action_plans:plan_history", FELLOW_AND_STAFF_GET, kwargs=_plan, setup=_with_plan()),
    Case(
        "action_plans:plan_history",
        FELLOW_AND_STAFF_GET,
        kwargs=_plan,
        setup=_with_plan(),
        data=lambda cast: {"a": "x", "b": "99"},
        label="invalid",
    ),
    Case("action_plans:goal_add", FELLOW_ONLY_GET, kwargs=_plan, setup=_with_plan()),
    Case(
        "action_plans:goal_add",
        FELLOW_ONLY_GET,
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"title": ""},
        label="invalid",
    ),
    Case("action_plans:goal_edit", FELLOW_ONLY_GET, kwargs=_goal, setup=_with_plan()),
    Case(
        "action_plans:goal_edit",
        FELLOW_ONLY_GET,
        kwargs=_goal,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"title": ""},
        label="invalid",
    ),
    Case(
        "action_plans:goal_delete",
        FELLOW_ONLY_POST,
        kwargs=_goal,
        setup=_with_plan(),
        method="post",
    ),
    Case("action_plans:milestone_add", FELLOW_ONLY_GET, kwargs=_goal, setup=_with_plan()),
    Case(
        "action_plans:milestone_add",
        FELLOW_ONLY_GET,
        kwargs=_goal,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"title": "Too late", "due_date": "2030-01-01", "status": "not_started"},
        label="due outside the cohort",
    ),
    Case("action_plans:milestone_edit", FELLOW_ONLY_GET, kwargs=_milestone, setup=_with_plan()),
    Case(
        "action_plans:milestone_edit",
        FELLOW_ONLY_GET,
        kwargs=_milestone,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"title": "", "due_date": "not a date", "status": "done"},
        label="invalid",
    ),
    Case(
        "action_plans:milestone_status",
        FELLOW_ONLY_POST,
        kwargs=_milestone,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"status": "done"},
    ),
    Case(
        "action_plans:milestone_move",
        FELLOW_ONLY_POST,
        kwargs=_milestone,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"direction": "up"},
    ),
    Case(
        "action_plans:milestone_reorder",
        FELLOW_ONLY_POST,
        kwargs=_goal,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"milestones": _milestone_codes(cast)[::-1]},
    ),
    Case(
        "action_plans:milestone_delete",
        FELLOW_ONLY_POST,
        kwargs=_milestone,
        setup=_with_plan(),
        method="post",
    ),
    Case("action_plans:update_add", FELLOW_ONLY_GET, kwargs=_plan, setup=_with_plan()),
    Case(
        "action_plans:update_add",
        FELLOW_ONLY_GET,
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"as_of": "2026-10-01", "signal": "sideways", "body": ""},
        label="invalid",
    ),
    Case(
        "action_plans:comment_add",
        {**READERS, **dict.fromkeys(READERS, 302)},
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"body": "Who owns the data-sharing agreement?"},
    ),
    Case(
        "action_plans:comment_add",
        READERS,
        kwargs=_plan,
        setup=_with_plan(),
        method="post",
        data=lambda cast: {"body": "   "},
        label="invalid",
    ),
    Case(
        "action_plans:cohort_plans",
        {
            "admin": 200,
            "staff": 200,
            "coach": 200,
            "other_coach": 200,
            "fellow": 403,
            "peer": 403,
            "classmate": 403,
        },
        kwargs=_cohort,
        setup=_with_plan(),
    ),
    Case(
        "action_plans:cohort_plans",
        {
            "admin": 200,
            "staff": 200,
            "coach": 200,
            "other_coach": 200,
            "fellow": 403,
            "peer": 403,
            "classmate": 403,
        },
        kwargs=_cohort,
        data=lambda cast: {"status": "bogus", "focus_level": "galactic"},
        label="invalid filter",
    ),
]

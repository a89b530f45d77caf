"""A program's plan template: sections hidden and the goals and milestones every new plan
starts with (days after the cohort starts); plans already started are untouched."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from action_plans.models import ActionPlan, Milestone
from action_plans.services import plan_create
from cohorts.models import Program
from cohorts.plan_template import parse_skeleton
from tests.factories.action_plans import ActionPlanFactory
from tests.queries import assert_stable_queries

SKELETON = """Define the project
- Charter agreed with the sponsor | 30
- Baseline data | 60

Share what was learned
- Poster at the gathering | 9999"""


def _url(cast):
    return reverse("cohorts:program_plan_template", kwargs={"slug": cast.program.slug})


def test_the_skeleton_reads_goals_and_milestones():
    goals = parse_skeleton("Goal A\n- First | 10\n-  Second step  |0\nGoal B")
    assert goals == [
        {
            "title": "Goal A",
            "milestones": [{"title": "First", "days": 10}, {"title": "Second step", "days": 0}],
        },
        {"title": "Goal B", "milestones": []},
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("- Orphan | 3", "comes under a goal"),
        ("Goal\n- No days", "days after the cohort starts"),
        ("Goal\n- Negative | -3", "days after the cohort starts"),
        ("Goal\n- Too late | 800", "at most 730 days"),
        ("x" * 201, "at most 200"),
    ],
)
def test_a_skeleton_that_does_not_read_says_which_line(text, says):
    with pytest.raises(ValidationError, match=says):
        parse_skeleton(text)


def test_staff_save_a_template_and_new_plans_start_from_it(cast, client_for):
    text = SKELETON.replace("9999", "300")
    response = client_for("staff").post(_url(cast), {"skeleton": text, "hidden": ["equity_aim"]})
    assert response.status_code == 302
    program = Program.objects.get(pk=cast.program.pk)
    assert program.plan_template["hidden"] == ["equity_aim"]

    existing = ActionPlanFactory(enrollment=cast.enrollments["peer"])
    plan = plan_create(enrollment=cast.enrollments["fellow"], by=cast.fellow, title="Clinic access")
    milestones = Milestone.objects.filter(goal__plan=plan).order_by("goal__order", "order")
    start = cast.cohort.start_date
    assert [(m.goal.title, m.title, m.due_date) for m in milestones] == [
        ("Define the project", "Charter agreed with the sponsor", start + datetime.timedelta(30)),
        ("Define the project", "Baseline data", start + datetime.timedelta(60)),
        ("Share what was learned", "Poster at the gathering", start + datetime.timedelta(300)),
    ]
    assert not Milestone.objects.filter(goal__plan=existing).exists()  # untouched


def test_a_milestone_past_the_cohorts_end_is_due_on_its_last_day(cast):
    cast.program.plan_template = {
        "goals": [{"title": "Wrap up", "milestones": [{"title": "Report", "days": 700}]}]
    }
    cast.program.save()
    plan = plan_create(enrollment=cast.enrollments["fellow"], by=cast.fellow, title="A plan")
    assert Milestone.objects.get(goal__plan=plan).due_date == cast.cohort.end_date


def test_hidden_sections_leave_the_form_and_the_plan_page(cast, client_for):
    cast.program.plan_template = {"hidden": ["equity_aim", "policy_levers"], "goals": []}
    cast.program.save()
    client = client_for("fellow")
    form = client.get(
        reverse("action_plans:plan_start", args=[cast.enrollments["fellow"].code])
    ).context["form"]
    assert "equity_aim" not in form.fields and "policy_levers" not in form.fields
    assert "problem" in form.fields
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Equity aim" not in html and "Problem or opportunity" in html


def test_bad_input_comes_back_next_to_the_field_and_nothing_is_saved(cast, client_for):
    response = client_for("staff").post(_url(cast), {"skeleton": SKELETON, "hidden": ["nope"]})
    assert response.status_code == 200
    form = response.context["form"]
    assert "Line 6: at most 730 days." in form.errors["skeleton"]
    assert "hidden" in form.errors
    assert Program.objects.get(pk=cast.program.pk).plan_template == {}


def test_the_page_shows_what_a_new_plan_starts_with(cast, client_for):
    cast.program.plan_template = {
        "goals": [{"title": "<b>Define</b>", "milestones": [{"title": "Charter", "days": 30}]}]
    }
    cast.program.save()
    html = client_for("staff").get(_url(cast)).content.decode()
    skeleton = html.split('data-testid="plan-skeleton"')[1]
    assert "&lt;b&gt;Define&lt;/b&gt;" in skeleton
    assert "Charter — 30 days after the cohort starts" in skeleton


def test_the_template_page_costs_the_same_with_more_goals(cast, client_for):
    client = client_for("staff")

    def grow(times):
        program = Program.objects.get(pk=cast.program.pk)
        goals = [
            {"title": f"Goal {n}", "milestones": [{"title": "M", "days": n}]}
            for n in range(times * 3)
        ]
        program.plan_template = {"goals": goals}
        program.save()

    assert assert_stable_queries(lambda: client.get(_url(cast)), grow) <= 12
    assert ActionPlan.objects.count() == 0

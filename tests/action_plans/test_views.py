"""The plan pages as fellows, coaches, peers and staff use them."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from action_plans.models import (
    ActionPlan,
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    PlanVisibility,
)

from ..factories.action_plans import (
    ActionPlanFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def url(name, obj):
    return reverse(f"action_plans:{name}", kwargs={"code": obj.code})


def plan_form_data(**overrides):
    data = {
        "title": "Community health workers in Medicaid",
        "initiative": "Make CHW services a covered Medicaid benefit.",
        "problem": "CHWs are grant-funded and leave when grants end.",
        "equity_aim": "Rural Native Hawaiian and Pacific Islander families.",
        "focus_levels": [FocusLevel.COMMUNITY, FocusLevel.ORGANIZATIONAL],
        "policy_levers": "State plan amendment; managed-care contracts.",
        "stakeholders": "CHW association, three managed-care plans.",
        "success_measures": "200 CHWs billing Medicaid by June 2027.",
        "visibility": PlanVisibility.PEER_GROUP,
    }
    data.update(overrides)
    return data


def test_fellow_starts_a_plan_from_their_start_page(cast, client_for, framework):
    client = client_for("fellow")
    home = client.get(reverse("cohorts:fellow_home")).content.decode()
    start = url("plan_start", cast.enrollments["fellow"])
    assert start in home
    competency = framework.domains.get().competencies.first()
    response = client.post(start, plan_form_data(competencies=[competency.pk]))
    plan = ActionPlan.objects.get(enrollment=cast.enrollments["fellow"])
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.focus_level_values() == ["organizational", "community"]
    assert list(plan.competencies.all()) == [competency]
    # A second visit to the start page goes to the plan.
    assert client.get(start)["Location"] == plan.get_absolute_url()


def test_plan_form_offers_only_the_cohorts_competencies(cast, client_for, framework):
    from ..factories.action_plans import CompetencyFactory

    outsider = CompetencyFactory(name="Quarterly earnings")
    client = client_for("fellow")
    start = url("plan_start", cast.enrollments["fellow"])
    body = client.get(start).content.decode()
    assert "Building coalitions" in body and "Quarterly earnings" not in body
    response = client.post(start, plan_form_data(competencies=[outsider.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_plan_form_errors_show_next_to_the_field_and_nothing_is_saved(cast, client_for, plan):
    response = client_for("fellow").post(url("plan_edit", plan), plan_form_data(title=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in body and "is-invalid" in body
    plan.refresh_from_db()
    assert plan.title == "Community health workers in Medicaid"


def test_fellow_edits_their_plan_and_a_version_is_kept(cast, client_for, plan):
    response = client_for("fellow").post(
        url("plan_edit", plan), plan_form_data(problem="Grant money runs out in 2027.")
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.problem == "Grant money runs out in 2027."
    assert plan.revisions.count() == 1


@pytest.mark.parametrize(("role", "status"), [("peer", 403), ("classmate", 404), ("coach", 403)])
def test_nobody_edits_another_fellows_plan(cast, client_for, plan, role, status):
    response = client_for(role).post(url("plan_edit", plan), plan_form_data(title="Mine now"))
    assert response.status_code == status
    plan.refresh_from_db()
    assert plan.title == "Community health workers in Medicaid"


def test_a_submitted_plan_is_not_edited_until_reviewed(cast, client_for, submitted_plan):
    client = client_for("fellow")
    response = client.get(url("plan_edit", submitted_plan), follow=True)
    assert "cannot be edited right now" in response.content.decode()


def test_an_alumnus_is_told_their_cohort_has_ended_not_that_the_plan_is_approved(cast, client_for):
    past_plan = ActionPlanFactory(
        enrollment=cast.enrollments["alumnus"], status=PlanStatus.APPROVED
    )
    response = client_for("alumnus").post(
        url("plan_edit", past_plan), plan_form_data(title="Rewritten"), follow=True
    )
    body = response.content.decode()
    assert "Your time in 2025–2026 cohort has ended" in body
    assert "cannot be edited right now" not in body
    past_plan.refresh_from_db()
    assert past_plan.title != "Rewritten"


def test_staff_approve_a_submitted_plan(cast, client_for, submitted_plan):
    body = client_for("staff").get(submitted_plan.get_absolute_url()).content.decode()
    assert "Review this plan" in body
    response = client_for("staff").post(
        url("plan_review", submitted_plan), {"decision": "approve"}, follow=True
    )
    assert "The plan is approved." in response.content.decode()
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.APPROVED
    assert submitted_plan.status_changes.get().changed_by == cast.staff


@pytest.mark.parametrize("role", ["coach", "fellow", "peer"])
def test_approval_by_a_non_staff_user_is_refused(cast, client_for, submitted_plan, role):
    body = client_for(role).get(submitted_plan.get_absolute_url()).content.decode()
    assert "Review this plan" not in body
    response = client_for(role).post(url("plan_review", submitted_plan), {"decision": "approve"})
    assert response.status_code == 403
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.SUBMITTED


def test_requesting_changes_needs_a_note_which_the_fellow_then_sees(
    cast, client_for, submitted_plan
):
    staff = client_for("staff")
    response = staff.post(url("plan_review", submitted_plan), {"decision": "changes", "note": ""})
    assert "Say what should change" in response.content.decode()
    staff.post(
        url("plan_review", submitted_plan),
        {"decision": "changes", "note": "Add a measure for <rural> families."},
    )
    body = client_for("fellow").get(submitted_plan.get_absolute_url()).content.decode()
    assert "Changes requested" in body
    assert "Add a measure for &lt;rural&gt; families." in body
    assert "Submit for review" in body


def test_fellow_submits_a_plan(cast, client_for, plan):
    response = client_for("fellow").post(url("plan_submit", plan), follow=True)
    assert "submitted for review" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- Milestones -----------------------------------------------------------------------------


def test_milestone_due_outside_the_cohort_is_refused_with_a_clear_message(cast, client_for, plan):
    goal = plan.goals.get()
    response = client_for("fellow").post(
        url("milestone_add", goal),
        {"title": "Statewide rollout", "due_date": "2027-12-01", "status": "not_started"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The due date must fall within the cohort" in body
    assert "is-invalid" in body
    assert not Milestone.objects.filter(title="Statewide rollout").exists()


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_fellow_adds_a_milestone_with_evidence(cast, client_for, plan):
    goal = plan.goals.get()
    response = client_for("fellow").post(
        url("milestone_add", goal),
        {
            "title": "Tribal consultation held",
            "due_date": "2027-01-20",
            "status": "done",
            "evidence_note": "Minutes signed by the tribal health director.",
            "evidence_url": "https://example.org/minutes.pdf",
        },
    )
    milestone = Milestone.objects.get(title="Tribal consultation held")
    assert response.status_code == 302
    assert milestone.completed_on == datetime.date(2026, 11, 22)
    assert milestone.order == 2
    body = client_for("coach").get(plan.get_absolute_url()).content.decode()
    assert "Minutes signed by the tribal health director." in body


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_inline_status_change_returns_the_work_section_only(cast, client_for, milestone):
    response = client_for("fellow").post(
        url("milestone_status", milestone), {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="plan-work">')
    assert "Milestone done: Draft the state plan amendment" in body  # the timeline follows
    assert "<html" not in body
    assert "1 of 2 milestones done" in body
    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2026, 11, 22)


def test_status_change_without_htmx_redirects_back(cast, client_for, milestone):
    response = client_for("fellow").post(url("milestone_status", milestone), {"status": "blocked"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#milestone-{milestone.code}")


def test_bad_inline_status_is_reported_in_the_fragment(cast, client_for, milestone):
    response = client_for("fellow").post(
        url("milestone_status", milestone), {"status": "abandoned"}, HTTP_HX_REQUEST="true"
    )
    assert "Choose one of the listed statuses." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_plan_page_puts_next_milestones_first_and_marks_overdue(cast, client_for, plan):
    goal = plan.goals.get()
    MilestoneFactory(
        goal=goal, title="Overdue stakeholder map", due_date=datetime.date(2026, 10, 1)
    )
    MilestoneFactory(
        goal=goal,
        title="Finished kickoff",
        due_date=datetime.date(2026, 9, 15),
        status=MilestoneStatus.DONE,
    )
    body = client_for("fellow").get(plan.get_absolute_url()).content.decode()
    next_up = body.split('data-testid="next-up"')[1].split("</ul>")[0]
    assert next_up.index("Overdue stakeholder map") < next_up.index("Draft the state plan")
    assert "Finished kickoff" not in next_up
    assert "Overdue</span>" in next_up
    assert "1 of 4 milestones done" in body
    assert 'aria-valuenow="25"' in body


def test_milestone_reorder(cast, client_for, plan):
    first, second = plan.goals.get().milestones.order_by("order")
    client_for("fellow").post(url("milestone_move", second), {"direction": "up"})
    assert list(plan.goals.get().milestones.order_by("order")) == [second, first]


def test_plan_page_lists_milestones_in_their_order(cast, client_for, plan):
    first, second = plan.goals.get().milestones.order_by("order")
    Milestone.objects.filter(pk=first.pk).update(order=1)
    Milestone.objects.filter(pk=second.pk).update(order=0)
    body = client_for("fellow").get(plan.get_absolute_url()).content.decode()
    table = body.split("<tbody")[1].split("</tbody>")[0]
    assert table.index(second.title) < table.index(first.title)


# --- Updates, comments, timeline ------------------------------------------------------------


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_fellow_posts_an_update_shown_on_the_timeline(cast, client_for, plan):
    client = client_for("fellow")
    response = client.post(
        url("update_add", plan),
        {"as_of": "2026-11-20", "signal": "at_risk", "body": "The budget office <paused> hiring."},
    )
    assert response.status_code == 302
    body = client.get(plan.get_absolute_url()).content.decode()
    timeline = body.split('id="timeline-heading"')[1]
    assert "At risk" in timeline
    assert "The budget office &lt;paused&gt; hiring." in timeline
    assert "Milestone due: Draft the state plan amendment" in timeline


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_update_in_the_future_is_refused(cast, client_for, plan):
    response = client_for("fellow").post(
        url("update_add", plan), {"as_of": "2026-12-25", "signal": "on_track", "body": "Done!"}
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not plan.updates.exists()


def test_coach_comments_on_a_milestone_and_the_fellow_is_to_be_told(
    cast, client_for, plan, milestone
):
    with mock.patch("notifications.hooks.notify") as hook:
        response = client_for("coach").post(
            url("comment_add", plan), {"body": "Who drafts the SPA?", "milestone": milestone.code}
        )
    comment = plan.comments.get()
    ((rows,), _) = hook.call_args
    assert [(n.recipient_id, n.subject_id) for n in rows] == [(cast.fellow.pk, comment.pk)]
    assert response["Location"].endswith(f"#comment-{comment.code}")
    body = client_for("fellow").get(plan.get_absolute_url()).content.decode()
    assert "Who drafts the SPA?" in body and f"on “{milestone.title}”" in body


def test_empty_comment_is_refused_next_to_the_field(cast, client_for, plan):
    response = client_for("staff").post(url("comment_add", plan), {"body": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not plan.comments.exists()


# --- History, print, staff table ------------------------------------------------------------


def test_history_compares_two_versions(cast, client_for, plan):
    client = client_for("fellow")
    client.post(url("plan_edit", plan), plan_form_data(equity_aim="Rural families."))
    client.post(url("plan_edit", plan), plan_form_data(equity_aim="Rural and island families."))
    body = client_for("staff").get(url("plan_history", plan), {"a": 1, "b": 2}).content.decode()
    assert "Changes from version 1 to version 2" in body
    assert "+ Rural and island families." in body
    assert "− Rural families." in body
    bad = client_for("staff").get(url("plan_history", plan), {"a": 1, "b": 9}).content.decode()
    assert "Choose two versions from the list." in bad


def test_history_with_one_version_shows_no_errors_about_a_form_it_does_not_show(
    cast, client_for, plan
):
    client_for("fellow").post(url("plan_edit", plan), plan_form_data(equity_aim="Rural."))
    body = client_for("staff").get(url("plan_history", plan), {"a": 1, "b": 9}).content.decode()
    assert "There is only 1 version so far." in body
    assert "error-summary" not in body and "<title>Error:" not in body


def test_print_view_is_a_clean_document(cast, client_for, plan):
    body = client_for("fellow").get(url("plan_print", plan)).content.decode()
    assert "Print or save as PDF" in body and "no-print" in body
    assert "Draft the state plan amendment" in body
    assert "Leadership Action Plan of <strong>Fiona Fellow</strong>" in body


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_staff_table_lists_plans_with_progress_and_filters(cast, client_for, plan):
    plan.focus_levels.create(level=FocusLevel.COMMUNITY)
    goal = plan.goals.get()
    MilestoneFactory(goal=goal, due_date=datetime.date(2026, 10, 1))  # overdue
    MilestoneFactory(goal=goal, status=MilestoneStatus.DONE)
    ProgressUpdateFactory(plan=plan, as_of=datetime.date(2026, 11, 2), signal="off_track")
    other = ActionPlanFactory(
        enrollment=cast.enrollments["peer"], title="Language access", status=PlanStatus.APPROVED
    )
    other.focus_levels.create(level=FocusLevel.SOCIETAL)
    table = reverse("action_plans:cohort_plans", kwargs={"code": cast.cohort.code})
    client = client_for("staff")
    body = client.get(table).content.decode()
    assert "Community health workers in Medicaid" in body and "Language access" in body
    row = body.split(f'data-plan="{plan.code}"')[1].split("</tr>")[0]
    assert "1/4" in row and "2 Nov 2026 · Off track" in row and ">1</span>" in row
    body = client.get(table, {"focus_level": "societal"}).content.decode()
    assert "Language access" in body and "Community health workers" not in body
    body = client.get(table, {"status": "draft"}).content.decode()
    assert "Language access" not in body and "Community health workers" in body
    body = client.get(table, {"status": "nonsense"}).content.decode()
    assert "Select a valid choice" in body


def test_coach_table_shows_only_their_fellows(cast, client_for, plan):
    ActionPlanFactory(enrollment=cast.enrollments["classmate"], title="Guam vaccine equity")
    table = reverse("action_plans:cohort_plans", kwargs={"code": cast.cohort.code})
    body = client_for("coach").get(table).content.decode()
    assert "Community health workers in Medicaid" in body
    assert "Guam vaccine equity" not in body


# --- Panels on other apps' pages ------------------------------------------------------------


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_fellow_home_panel_shows_progress_next_milestones_and_update_link(cast, client_for, plan):
    MilestoneFactory(goal=plan.goals.get(), title="Late thing", due_date=datetime.date(2026, 10, 1))
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "My Leadership Action Plan" in body
    assert "0 of 3 milestones done" in body and "1 overdue" in body
    assert "Late thing" in body
    assert url("update_add", plan) in body


def test_cohort_panel_summarises_plans_for_staff(cast, client_for, submitted_plan):
    body = client_for("staff").get(cast.cohort.get_absolute_url()).content.decode()
    assert reverse("action_plans:cohort_plans", kwargs={"code": cast.cohort.code}) in body
    assert "All plans of the cohort" in body
    fellow_body = client_for("classmate").get(cast.cohort.get_absolute_url()).content.decode()
    assert "All plans of the cohort" not in fellow_body


def test_enrollment_panel_links_the_plan(cast, client_for, plan):
    body = client_for("coach").get(cast.enrollments["fellow"].get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in body


def test_nav_links_the_fellows_plan(cast, client_for, plan):
    client = client_for("fellow")
    body = client.get(reverse("cohorts:fellow_home")).content.decode()
    assert reverse("action_plans:my_plan") in body
    assert client.get(reverse("action_plans:my_plan"))["Location"] == plan.get_absolute_url()


def test_plan_page_scripts_carry_the_csp_nonce(cast, client_for, plan):
    response = client_for("fellow").get(plan.get_absolute_url())
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert "js/action_plans.js" in body
    assert body.count("<script") == body.count(f'nonce="{nonce}"')
    assert "onclick" not in body


def test_user_text_on_the_plan_is_escaped(cast, client_for, plan):
    plan.title = "<img src=x onerror=alert(1)>"
    plan.save()
    body = client_for("peer").get(plan.get_absolute_url()).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def _codes(goal, order="order"):
    return [str(c) for c in goal.milestones.order_by(order).values_list("code", flat=True)]


def test_drag_and_drop_reorder_with_htmx_returns_the_work_section(cast, client_for, plan):
    goal = plan.goals.get()
    new_order = _codes(goal)[::-1]
    response = client_for("fellow").post(
        url("milestone_reorder", goal), {"milestones": new_order}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="plan-work">')
    table = body.split("data-reorder-url")[1].split("</tbody>")[0]
    assert table.index("Brief the Medicaid director") < table.index("Draft the state plan")
    assert _codes(goal) == new_order


def test_reorder_without_htmx_redirects_to_the_goal(cast, client_for, plan):
    goal = plan.goals.get()
    response = client_for("fellow").post(
        url("milestone_reorder", goal), {"milestones": _codes(goal)[::-1]}
    )
    assert response.status_code == 302 and response.url.endswith(f"#goal-{goal.code}")


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda codes, other: {"milestones": codes[:1]}, id="one left out"),
        pytest.param(lambda codes, other: {"milestones": codes + codes[:1]}, id="one twice"),
        pytest.param(lambda codes, other: {"milestones": [*codes, other]}, id="another goal's"),
        pytest.param(lambda codes, other: {"milestones": [codes[0], other]}, id="swapped"),
        pytest.param(lambda codes, other: {"milestones": ["not-a-code", *codes]}, id="garbage"),
        pytest.param(lambda codes, other: {}, id="nothing"),
    ],
)
def test_reorder_refuses_bad_input_with_400_and_saves_nothing(cast, client_for, plan, bad):
    goal = plan.goals.get()
    before = _codes(goal)
    other_plan = ActionPlanFactory(enrollment=cast.enrollments["peer"])
    other = str(MilestoneFactory(goal__plan=other_plan).code)
    response = client_for("fellow").post(
        url("milestone_reorder", goal), bad(before[::-1], other), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.content.decode().strip()  # says what is wrong
    assert _codes(goal) == before


def test_reorder_is_the_fellows_alone_and_on_the_plan_page(cast, client_for, plan):
    goal = plan.goals.get()
    body = client_for("fellow").get(plan.get_absolute_url()).content.decode()
    assert f'data-reorder-url="{url("milestone_reorder", goal)}"' in body
    assert "Drag a row to reorder" in body
    for role in ("coach", "staff", "peer"):
        page = client_for(role).get(plan.get_absolute_url()).content.decode()
        assert "data-reorder-url" not in page, role
        response = client_for(role).post(
            url("milestone_reorder", goal), {"milestones": _codes(goal)[::-1]}
        )
        assert response.status_code == 403, role
    assert _codes(goal) == _codes(goal, "pk")


@pytest.mark.parametrize("name", ["goal_add", "update_add"])
def test_an_empty_post_is_validated_not_taken_for_a_get(cast, client_for, plan, name):
    goals, updates = plan.goals.count(), plan.updates.count()
    response = client_for("fellow").post(url(name, plan), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert (plan.goals.count(), plan.updates.count()) == (goals, updates)


def test_readers_see_each_status_as_a_badge(cast, client_for, plan):
    first, second = plan.goals.get().milestones.order_by("order")
    Milestone.objects.filter(pk=first.pk).update(status=MilestoneStatus.BLOCKED)
    body = client_for("coach").get(plan.get_absolute_url()).content.decode()
    assert '<span class="badge text-bg-danger">Blocked</span>' in body
    assert '<span class="badge text-bg-secondary">Not started</span>' in body

"""The plan's rules, at the service layer: refusals first with a clear message, then the
database constraint as the backstop."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from action_plans import services
from action_plans.models import (
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanRevision,
    PlanStatus,
    PlanStatusChange,
)
from action_plans.notices import PLAN_COMMENT
from action_plans.selectors import revision_diff

from ..factories.action_plans import (
    ActionPlanFactory,
    CompetencyFactory,
    GoalFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db


def test_fellow_starts_a_draft_plan_with_focus_levels_and_competencies(cast, framework):
    competencies = list(framework.domains.get().competencies.all())
    plan = services.plan_create(
        enrollment=cast.enrollments["fellow"],
        by=cast.fellow,
        title="Doulas for every birthing person on Medicaid",
        equity_aim="Black and Native Hawaiian mothers, who die at three times the rate.",
        focus_levels=[FocusLevel.PATIENT, FocusLevel.COMMUNITY],
        competencies=competencies,
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.focus_level_labels() == ["Patient", "Community"]
    assert set(plan.competencies.all()) == set(competencies)
    change = plan.status_changes.get()
    assert (change.to_status, change.changed_by) == (PlanStatus.DRAFT, cast.fellow)
    assert plan.revisions.get().number == 1


def test_competencies_must_come_from_the_cohorts_framework(cast, framework):
    foreign = CompetencyFactory(name="Stock-market timing")  # another framework
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            enrollment=cast.enrollments["fellow"],
            by=cast.fellow,
            title="A plan",
            competencies=[foreign],
        )
    assert "cohort’s framework" in str(exc.value)
    assert not cast.enrollments["fellow"].__class__.objects.filter(action_plan__isnull=False)


def test_only_the_fellow_writes_their_plan(cast, plan):
    with pytest.raises(ValidationError, match="Only the fellow"):
        services.plan_update(plan=plan, by=cast.peer, title="Hijacked")
    with pytest.raises(ValidationError, match="Only the fellow"):
        services.plan_create(enrollment=cast.enrollments["peer"], by=cast.fellow, title="x")
    plan.refresh_from_db()
    assert plan.title == "Community health workers in Medicaid"


def test_each_text_change_keeps_a_version_and_the_diff_says_what_changed(cast, plan):
    services.plan_update(plan=plan, by=cast.fellow, problem="Few CHWs are paid.\nNo billing code.")
    services.plan_update(plan=plan, by=cast.fellow, visibility="cohort")  # no text change
    services.plan_update(
        plan=plan, by=cast.fellow, problem="Few CHWs are paid.\nA billing code exists since May."
    )
    versions = list(PlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    diff = revision_diff(versions[0], versions[1])
    assert [field.label for field in diff] == ["Problem or opportunity"]
    lines = diff[0].lines
    assert ("remove", "No billing code.") in lines
    assert ("add", "A billing code exists since May.") in lines
    assert ("same", "Few CHWs are paid.") in lines


def test_revision_numbers_are_unique_per_plan(cast, plan):
    PlanRevision.objects.create(plan=plan, number=7, created_at=plan.created_at, snapshot={})
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanRevision.objects.create(plan=plan, number=7, created_at=plan.created_at, snapshot={})


def test_workflow_draft_submitted_changes_requested_resubmitted_approved(cast):
    plan = services.plan_create(
        enrollment=cast.enrollments["fellow"], by=cast.fellow, title="CHWs in Medicaid"
    )
    goal = services.goal_create(plan=plan, title="Pay for CHW services")
    services.milestone_create(goal=goal, title="Draft SPA", due_date=datetime.date(2027, 1, 15))
    services.plan_submit(plan=plan, by=cast.fellow)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.plan_update(plan=plan, by=cast.fellow, title="Sneaky edit under review")

    with pytest.raises(ValidationError) as exc:
        services.plan_review(plan=plan, by=cast.staff, approve=False, note="  ")
    assert "Say what should change" in str(exc.value)
    services.plan_review(plan=plan, by=cast.staff, approve=False, note="Name the payers.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CHANGES_REQUESTED

    services.plan_update(plan=plan, by=cast.fellow, stakeholders="Three managed-care plans")
    services.plan_submit(plan=plan, by=cast.fellow)
    services.plan_review(plan=plan, by=cast.staff, approve=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    # Approved plans keep being updated.
    services.plan_update(plan=plan, by=cast.fellow, success_measures="500 CHWs billing by June")

    history = list(plan.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert history == [
        ("", "draft", cast.fellow.pk),
        ("draft", "submitted", cast.fellow.pk),
        ("submitted", "changes_requested", cast.staff.pk),
        ("changes_requested", "submitted", cast.fellow.pk),
        ("submitted", "approved", cast.staff.pk),
    ]
    assert PlanStatusChange.objects.get(to_status="changes_requested").note == "Name the payers."
    assert all(c.changed_at for c in plan.status_changes.all())


@pytest.mark.parametrize("role", ["coach", "fellow", "peer", "other_staff"])
def test_only_program_staff_approve(cast, submitted_plan, role):
    with pytest.raises(ValidationError, match="Only program staff"):
        services.plan_review(plan=submitted_plan, by=cast.user(role), approve=True)
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.SUBMITTED


def test_a_draft_cannot_be_approved_and_an_empty_plan_cannot_be_submitted(cast, plan):
    with pytest.raises(ValidationError, match="Only a plan submitted"):
        services.plan_review(plan=plan, by=cast.staff, approve=True)
    plan.goals.all().delete()
    with pytest.raises(ValidationError, match="at least one goal with a milestone"):
        services.plan_submit(plan=plan, by=cast.fellow)


def test_plans_complete_at_cohort_end(cast, plan):
    plan.status = PlanStatus.APPROVED
    plan.save()
    with pytest.raises(ValidationError, match="when the cohort ends"):
        services.plan_complete(
            plan=plan, by=cast.staff, now=datetime.datetime(2027, 5, 1, 16, tzinfo=datetime.UTC)
        )
    # The cohort (New York) ends on 31 August on its own calendar, whatever UTC says.
    late_on_the_30th = datetime.datetime(2027, 8, 31, 3, 30, tzinfo=datetime.UTC)
    assert services.complete_plans_of_ended_cohorts(now=late_on_the_30th) == 0
    first_minutes_of_the_31st = datetime.datetime(2027, 8, 31, 4, 30, tzinfo=datetime.UTC)
    assert services.complete_plans_of_ended_cohorts(now=first_minutes_of_the_31st) == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    change = plan.status_changes.last()
    assert (change.to_status, change.changed_by) == ("completed", None)
    milestone = Milestone.objects.filter(goal__plan=plan).first()
    with pytest.raises(ValidationError, match="completed"):
        services.milestone_set_status(milestone=milestone, status=MilestoneStatus.DONE)


# --- Milestones -----------------------------------------------------------------------------


@pytest.mark.parametrize("due", [datetime.date(2026, 8, 31), datetime.date(2027, 9, 1)])
def test_milestone_due_outside_the_cohort_is_refused(cast, plan, due):
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(goal=goal, title="Out of range", due_date=due)
    assert exc.value.message_dict["due_date"] == [
        "The due date must fall within the cohort, between 1 September 2026 and 31 August 2027."
    ]
    assert not goal.milestones.filter(title="Out of range").exists()


def test_milestone_due_on_the_cohorts_first_and_last_day_is_accepted(cast, plan):
    goal = plan.goals.get()
    for due in (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)):
        services.milestone_create(goal=goal, title=f"On {due}", due_date=due)
    assert goal.milestones.count() == 4


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_done_sets_the_completion_date_and_undone_clears_it(milestone):
    services.milestone_set_status(milestone=milestone, status=MilestoneStatus.DONE)
    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2026, 11, 22)
    services.milestone_set_status(milestone=milestone, status=MilestoneStatus.BLOCKED)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == ("blocked", None)


def test_unknown_milestone_status_is_refused(milestone):
    with pytest.raises(ValidationError, match="listed statuses"):
        services.milestone_set_status(milestone=milestone, status="abandoned")


def test_database_refuses_a_done_milestone_without_a_date(milestone):
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(completed_on=datetime.date(2026, 10, 1))


def test_milestones_can_be_reordered(plan):
    goal = plan.goals.get()
    first, second = goal.milestones.order_by("order")
    services.milestone_move(milestone=second, direction="up")
    assert list(goal.milestones.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    services.milestone_move(milestone=second, direction="up")  # already first: no change
    assert goal.milestones.order_by("order").first() == second
    with pytest.raises(ValidationError):
        services.milestone_move(milestone=second, direction="sideways")


def test_evidence_link_must_be_a_url(plan):
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(
            goal=goal, title="x", due_date=datetime.date(2026, 12, 1), evidence_url="not a link"
        )
    assert "evidence_url" in exc.value.message_dict


# --- Updates and comments -------------------------------------------------------------------


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_progress_updates_are_dated_and_not_in_the_future(cast, plan):
    update = services.update_post(plan=plan, by=cast.fellow, signal="at_risk", body="Budget cut.")
    assert update.as_of == datetime.date(2026, 11, 22)
    with pytest.raises(ValidationError, match="future"):
        services.update_post(
            plan=plan,
            by=cast.fellow,
            signal="on_track",
            body="x",
            as_of=datetime.date(2026, 12, 1),
        )
    with pytest.raises(ValidationError) as exc:
        services.update_post(plan=plan, by=cast.fellow, signal="sideways", body="x")
    assert "signal" in exc.value.message_dict
    with pytest.raises(ValidationError, match="Only the fellow"):
        services.update_post(plan=plan, by=cast.coach, signal="on_track", body="x")


def test_comment_is_recorded_and_handed_to_notifications(cast, plan, milestone):
    with mock.patch("notifications.hooks.notify") as hook:
        comment = services.comment_post(
            plan=plan, by=cast.coach, body="Who signs off?", milestone=milestone
        )
    ((rows,), _) = hook.call_args
    assert [(n.recipient_id, n.kind, n.subject_id) for n in rows] == [
        (cast.fellow.pk, PLAN_COMMENT.key, comment.pk)
    ]
    assert (comment.plan, comment.milestone, comment.author) == (plan, milestone, cast.coach)


def test_comment_on_another_plans_milestone_is_refused(cast, plan):
    other = MilestoneFactory()
    with pytest.raises(ValidationError, match="another plan"):
        services.comment_post(plan=plan, by=cast.coach, body="x", milestone=other)


def test_daily_task_completes_approved_plans_of_ended_cohorts(cast, plan):
    from action_plans.tasks import complete_plans_of_ended_cohorts

    plan.status = PlanStatus.APPROVED
    plan.save()
    with time_machine.travel("2027-09-01 12:00:00+00:00", tick=False):
        assert complete_plans_of_ended_cohorts.delay().get() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED


def test_milestones_reordered_all_at_once(plan):
    goal = plan.goals.get()
    first, second = goal.milestones.order_by("order")
    MilestoneFactory(goal=goal, title="Third", order=2)
    third = goal.milestones.get(title="Third")
    services.milestone_reorder(goal=goal, codes=[third.code, first.code, second.code])
    assert list(goal.milestones.order_by("order")) == [third, first, second]


@pytest.mark.parametrize(
    "codes",
    [
        pytest.param(lambda m, other: [m[1]], id="one missing"),
        pytest.param(lambda m, other: [m[1], m[0], m[0]], id="one twice"),
        pytest.param(lambda m, other: [m[1], m[0], other], id="one of another goal"),
        pytest.param(lambda m, other: [m[1], other], id="swapped for another goal's"),
        pytest.param(lambda m, other: [], id="none"),
    ],
)
def test_reorder_refuses_anything_but_the_goals_milestones_once(plan, codes):
    goal = plan.goals.get()
    milestones = [m.code for m in goal.milestones.order_by("order")]
    other = MilestoneFactory(goal=GoalFactory(plan=plan)).code
    with pytest.raises(ValidationError):
        services.milestone_reorder(goal=goal, codes=codes(milestones, other))
    assert [m.code for m in goal.milestones.order_by("order")] == milestones


def test_completed_plan_cannot_be_reordered(plan):
    goal = plan.goals.get()
    codes = [m.code for m in goal.milestones.order_by("-order")]
    plan.status = PlanStatus.COMPLETED
    plan.save()
    with pytest.raises(ValidationError):
        services.milestone_reorder(goal=goal, codes=codes)


def test_an_alumnus_cannot_submit_a_leftover_draft(cast):
    draft = ActionPlanFactory(enrollment=cast.enrollments["alumnus"], status=PlanStatus.DRAFT)
    MilestoneFactory(goal=GoalFactory(plan=draft))
    with pytest.raises(ValidationError, match="enrollment is active"):
        services.plan_submit(plan=draft, by=cast.alumnus)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT

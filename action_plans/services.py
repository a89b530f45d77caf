"""Writes of the action_plans app. Every function is atomic, validates with `full_clean()`
(the database constraints are the backstop) and takes who did it, so the workflow and the
revision history can say who and when. Access is checked by the views (access.py) before
these are called; the workflow rules themselves (who may approve) are checked here too."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from audit.services import record
from cohorts import roles
from cohorts.models import Enrollment, EnrollmentStatus, Program
from curriculum.models import Competency
from notifications import hooks

from . import notices
from .models import (
    ActionPlan,
    FocusLevel,
    Goal,
    Milestone,
    MilestoneStatus,
    PlanComment,
    PlanFocusLevel,
    PlanRevision,
    PlanStatus,
    PlanStatusChange,
    ProgressUpdate,
)

# Which moves the workflow allows, and who makes them.
FELLOW_MOVES: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
    PlanStatus.CHANGES_REQUESTED: {PlanStatus.SUBMITTED},
}
STAFF_MOVES: dict[str, set[str]] = {
    PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.CHANGES_REQUESTED},
    PlanStatus.APPROVED: {PlanStatus.COMPLETED},
}


# --- The plan -----------------------------------------------------------------------------


def _check_competencies(
    plan: ActionPlan, competencies: Iterable[Competency] | None
) -> list[Competency]:
    competencies = list(competencies or [])
    framework_id = plan.enrollment.cohort.framework_id
    outside = [c for c in competencies if c.domain.framework_id != framework_id]
    if outside:
        names = ", ".join(str(c) for c in outside)
        raise ValidationError(
            {"competencies": f"Choose competencies from your cohort’s framework ({names} is not)."}
        )
    return competencies


def _set_focus_levels(plan: ActionPlan, levels: Iterable[str]) -> None:
    wanted = set(levels)
    unknown = wanted - set(FocusLevel.values)
    if unknown:
        raise ValidationError({"focus_levels": f"Unknown focus level: {', '.join(unknown)}."})
    plan.focus_levels.exclude(level__in=wanted).delete()
    have = set(plan.focus_levels.values_list("level", flat=True))
    PlanFocusLevel.objects.bulk_create(
        [PlanFocusLevel(plan=plan, level=level) for level in sorted(wanted - have)]
    )


def _record_revision(
    plan: ActionPlan, author: User, now: datetime.datetime | None = None
) -> PlanRevision | None:
    """Keeps a version of the plan's text when it differs from the last one kept."""
    snapshot = plan.text_snapshot()
    last = plan.revisions.order_by("-number").first()
    if last is not None and last.snapshot == snapshot:
        return None
    return PlanRevision.objects.create(
        plan=plan,
        number=(last.number + 1) if last else 1,
        author=author,
        created_at=now or timezone.now(),
        snapshot=snapshot,
    )


def _record_status(
    plan: ActionPlan,
    *,
    to_status: str,
    by: User | None,
    note: str = "",
    from_status: str = "",
    now: datetime.datetime | None = None,
) -> PlanStatusChange:
    now = now or timezone.now()
    change = PlanStatusChange.objects.create(
        plan=plan,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        changed_at=now,
        note=note,
    )
    plan.status = to_status
    plan.status_changed_at = now
    return change


@transaction.atomic
def plan_create(
    *,
    enrollment: Enrollment,
    by: User,
    focus_levels: Iterable[str] = (),
    competencies: Iterable[Competency] = (),
    now: datetime.datetime | None = None,
    **fields: Any,
) -> ActionPlan:
    """Starts the fellow's plan (a draft) and keeps its first version."""
    if not roles.is_fellow_of(by, enrollment):
        raise ValidationError("Only the fellow writes their own action plan.")
    if ActionPlan.objects.filter(enrollment=enrollment).exists():
        raise ValidationError("You already have an action plan for this cohort.")
    plan = ActionPlan(enrollment=enrollment, **fields)
    competencies = _check_competencies(plan, competencies)
    plan.full_clean()
    plan.save()
    _record_status(plan, to_status=PlanStatus.DRAFT, by=by, now=now)
    plan.save(update_fields=["status", "status_changed_at"])
    plan.competencies.set(competencies)
    _set_focus_levels(plan, focus_levels)
    _start_from_template(plan)
    _record_revision(plan, by, now)
    return plan


def _start_from_template(plan: ActionPlan) -> None:
    """A new plan starts with the goals and milestones of its program's plan template, each
    milestone due its number of days after the cohort starts (at the latest on its last day).
    Plans started before a template changes keep what they have."""
    cohort = plan.enrollment.cohort
    # As stored now (the program object at hand may be older than a template just saved).
    template = (
        Program.objects.filter(pk=cohort.program_id).values_list("plan_template", flat=True).first()
        or {}
    )
    for goal_order, skeleton in enumerate(template.get("goals", [])):
        goal = Goal.objects.create(plan=plan, title=skeleton["title"], order=goal_order)
        for order, step in enumerate(skeleton["milestones"]):
            due = cohort.start_date + datetime.timedelta(days=step["days"])
            milestone = Milestone(
                goal=goal, title=step["title"], due_date=min(due, cohort.end_date), order=order
            )
            milestone.full_clean()
            milestone.save()


@transaction.atomic
def plan_update(
    *,
    plan: ActionPlan,
    by: User,
    focus_levels: Iterable[str] | None = None,
    competencies: Iterable[Competency] | None = None,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> ActionPlan:
    """Saves the fellow's edits; a changed text keeps a new version."""
    if not roles.is_fellow_of(by, plan.enrollment):
        raise ValidationError("Only the fellow edits their own action plan.")
    if not plan.is_text_editable:
        raise ValidationError(
            f"The plan cannot be edited while it is {plan.get_status_display().lower()}."
        )
    model_update(plan, data=fields)
    if competencies is not None:
        # Refused competencies undo the save: the service is one transaction.
        plan.competencies.set(_check_competencies(plan, competencies))
    if focus_levels is not None:
        _set_focus_levels(plan, focus_levels)
    _record_revision(plan, by, now)
    return plan


def _locked(plan: ActionPlan) -> ActionPlan:
    return (
        ActionPlan.objects.select_for_update().select_related("enrollment__cohort").get(pk=plan.pk)
    )


@transaction.atomic
def plan_submit(*, plan: ActionPlan, by: User, now: datetime.datetime | None = None) -> ActionPlan:
    locked = _locked(plan)
    if not roles.is_fellow_of(by, locked.enrollment):
        raise ValidationError("Only the fellow submits their own plan.")
    if locked.enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Plans are submitted while the fellow's enrollment is active.")
    if PlanStatus.SUBMITTED not in FELLOW_MOVES.get(locked.status, set()):
        raise ValidationError(
            f"A plan that is {locked.get_status_display().lower()} cannot be submitted."
        )
    if not locked.goals.filter(milestones__isnull=False).exists():
        raise ValidationError("Add at least one goal with a milestone before submitting.")
    change = _record_status(
        locked, from_status=locked.status, to_status=PlanStatus.SUBMITTED, by=by, now=now
    )
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    hooks.notify(notices.plan_submitted_rows(plan=locked, change=change, now=change.changed_at))
    return locked


@transaction.atomic
def plan_review(
    *,
    plan: ActionPlan,
    by: User,
    approve: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ActionPlan:
    """Staff approve a submitted plan, or ask for changes (which needs a note)."""
    locked = _locked(plan)
    if not roles.is_cohort_staff(by, locked.enrollment.cohort):
        raise ValidationError("Only program staff approve action plans.")
    if locked.status != PlanStatus.SUBMITTED:
        raise ValidationError("Only a plan submitted for review can be approved or sent back.")
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": "Say what should change, so the fellow knows."})
    to_status = PlanStatus.APPROVED if approve else PlanStatus.CHANGES_REQUESTED
    change = _record_status(
        locked, from_status=locked.status, to_status=to_status, by=by, note=note, now=now
    )
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    record(
        action="plans.approved" if approve else "plans.changes_requested",
        by=by,
        target=locked,
        program=locked.enrollment.cohort.program_id,
    )
    hooks.notify(notices.plan_reviewed_rows(plan=locked, change=change, now=change.changed_at))
    return locked


@transaction.atomic
def plan_complete(
    *, plan: ActionPlan, by: User | None, now: datetime.datetime | None = None
) -> ActionPlan:
    """Closes an approved plan once its cohort has ended (`by` None: the scheduled task)."""
    locked = _locked(plan)
    today = locked.enrollment.cohort.local_date(now)
    if by is not None and not roles.is_cohort_staff(by, locked.enrollment.cohort):
        raise ValidationError("Only program staff close action plans.")
    if locked.status != PlanStatus.APPROVED:
        raise ValidationError("Only an approved plan can be completed.")
    end = locked.enrollment.cohort.end_date
    if today < end:
        raise ValidationError(f"Plans are completed when the cohort ends ({end:%-d %B %Y}).")
    _record_status(
        locked, from_status=locked.status, to_status=PlanStatus.COMPLETED, by=by, now=now
    )
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    record(
        action="plans.completed", by=by, target=locked, program=locked.enrollment.cohort.program_id
    )
    return locked


def complete_plans_of_ended_cohorts(*, now: datetime.datetime | None = None) -> int:
    """Completes every approved plan whose cohort has ended on its own calendar; returns
    how many."""
    now = now or timezone.now()
    done = 0
    # No zone is a day ahead of UTC by more than one: the cohort's day decides below.
    latest_day = now.astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    for plan in ActionPlan.objects.filter(
        status=PlanStatus.APPROVED, enrollment__cohort__end_date__lte=latest_day
    ).select_related("enrollment__cohort"):
        today = plan.enrollment.cohort.local_date(now)
        if plan.enrollment.cohort.end_date <= today:
            plan_complete(plan=plan, by=None, now=now)
            done += 1
    return done


# --- Goals and milestones -------------------------------------------------------------------


def _require_open(plan: ActionPlan) -> None:
    if plan.status == PlanStatus.COMPLETED:
        raise ValidationError("This plan is completed and can no longer change.")


@transaction.atomic
def goal_create(*, plan: ActionPlan, title: str) -> Goal:
    _require_open(plan)
    last = plan.goals.aggregate(last=Max("order"))["last"]
    goal = Goal(plan=plan, title=title, order=0 if last is None else last + 1)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, title: str) -> Goal:
    _require_open(goal.plan)
    goal.title = title
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    _require_open(goal.plan)
    goal.delete()


def _apply_status(milestone: Milestone, status: str, today: date) -> None:
    """Done sets the completion date (keeping one already given); any other status clears it."""
    milestone.status = status
    if status == MilestoneStatus.DONE:
        milestone.completed_on = milestone.completed_on or today
    else:
        milestone.completed_on = None


@transaction.atomic
def milestone_create(
    *,
    goal: Goal,
    title: str,
    due_date: date,
    status: str = MilestoneStatus.NOT_STARTED,
    evidence_note: str = "",
    evidence_url: str = "",
    now: datetime.datetime | None = None,
) -> Milestone:
    _require_open(goal.plan)
    last = goal.milestones.aggregate(last=Max("order"))["last"]
    milestone = Milestone(
        goal=goal,
        title=title,
        due_date=due_date,
        evidence_note=evidence_note,
        evidence_url=evidence_url,
        order=0 if last is None else last + 1,
    )
    _apply_status(milestone, status, goal.plan.enrollment.cohort.local_date(now))
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, now: datetime.datetime | None = None, **fields: Any
) -> Milestone:
    _require_open(milestone.goal.plan)
    status = fields.pop("status", milestone.status)
    _apply_status(milestone, status, milestone.goal.plan.enrollment.cohort.local_date(now))
    model_update(milestone, data=fields, also=["status", "completed_on"])
    return milestone


@transaction.atomic
def milestone_set_status(
    *, milestone: Milestone, status: str, now: datetime.datetime | None = None
) -> Milestone:
    """The quick status change of the plan page."""
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": "Choose one of the listed statuses."})
    return milestone_update(milestone=milestone, status=status, now=now)


@transaction.atomic
def milestone_move(*, milestone: Milestone, direction: str) -> Milestone:
    """Moves a milestone one place up or down within its goal."""
    _require_open(milestone.goal.plan)
    if direction not in ("up", "down"):
        raise ValidationError("Move a milestone up or down.")
    siblings = list(milestone.goal.milestones.select_for_update().order_by("order", "due_date"))
    index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order", "updated_at"])
    return milestone


@transaction.atomic
def milestone_reorder(
    *, goal: Goal, codes: list[str], now: datetime.datetime | None = None
) -> list[Milestone]:
    """Puts the goal's milestones in the order of `codes`, which names every one of them
    once; anything else changes nothing."""
    _require_open(goal.plan)
    milestones = {str(m.code): m for m in goal.milestones.select_for_update()}
    codes = [str(code) for code in codes]
    if len(codes) != len(set(codes)) or set(codes) != set(milestones):
        raise ValidationError({"milestones": "List every milestone of this goal once, in order."})
    now = now or timezone.now()
    changed = []
    for position, code in enumerate(codes):
        milestone = milestones[code]
        if milestone.order != position:
            milestone.order, milestone.updated_at = position, now
            changed.append(milestone)
    Milestone.objects.bulk_update(changed, ["order", "updated_at"])
    return [milestones[code] for code in codes]


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    _require_open(milestone.goal.plan)
    milestone.delete()


# --- Updates and comments -------------------------------------------------------------------


@transaction.atomic
def update_post(
    *,
    plan: ActionPlan,
    by: User,
    signal: str,
    body: str,
    as_of: date | None = None,
    now: datetime.datetime | None = None,
) -> ProgressUpdate:
    _require_open(plan)
    if not roles.is_fellow_of(by, plan.enrollment):
        raise ValidationError("Only the fellow posts progress updates on their plan.")
    cohort = plan.enrollment.cohort
    today = cohort.local_date(now)
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"as_of": "An update cannot be dated in the future."})
    if as_of < cohort.start_date:
        raise ValidationError({"as_of": "An update cannot be dated before the cohort starts."})
    update = ProgressUpdate(plan=plan, author=by, signal=signal, body=body, as_of=as_of)
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def comment_post(
    *,
    plan: ActionPlan,
    by: User,
    body: str,
    milestone: Milestone | None = None,
    now: datetime.datetime | None = None,
) -> PlanComment:
    """Records a comment and tells the plan's people (sent after commit)."""
    comment = PlanComment(plan=plan, milestone=milestone, author=by, body=body)
    comment.full_clean()
    comment.save()
    hooks.notify(notices.plan_comment_rows(comment=comment, now=now or timezone.now()))
    return comment

"""Reads that feed the action_plans pages, with their joins decided here so a page costs
the same number of queries however many goals, milestones, updates and comments it shows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db import models
from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.viewer import Viewer
from cohorts.models import Cohort, Enrollment, EnrollmentStatus
from curriculum.models import Competency

from .models import (
    PLAN_TEXT_FIELDS,
    ActionPlan,
    Goal,
    Milestone,
    MilestoneStatus,
    PlanComment,
    PlanRevision,
    PlanStatus,
    PlanStatusChange,
    ProgressUpdate,
    overdue_q,
)


@dataclass
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(milestones: Iterable[Milestone], today: date) -> Progress:
    milestones = list(milestones)
    return Progress(
        done=sum(1 for m in milestones if m.is_done),
        total=len(milestones),
        overdue=sum(1 for m in milestones if m.is_overdue(today)),
    )


@dataclass
class TimelineEntry:
    on: date
    kind: str  # "update", "milestone_done", "milestone_due", "status"
    item: object
    overdue: bool = False


@dataclass
class PlanPage:
    plan: ActionPlan
    goals: list
    milestones: list
    next_up: list
    progress: Progress
    updates: list
    comments: list
    status_changes: list
    competencies: list = field(default_factory=list)
    timeline: list = field(default_factory=list)
    today: date | None = None

    @property
    def last_update(self) -> ProgressUpdate | None:
        return self.updates[0] if self.updates else None

    @property
    def review_note(self) -> PlanStatusChange | None:
        """The note of the latest "changes requested", while it is the plan's status."""
        if self.plan.status == PlanStatus.CHANGES_REQUESTED and self.status_changes:
            return self.status_changes[-1]
        return None


NEXT_UP_COUNT = 5

# The plan page's queries, compiled once and run again with the next plan's id: building and
# compiling them cost more CPU than running them (accounts/compiled.py).
_GOALS = CompiledQuery()
_MILESTONES = CompiledQuery()
_COMPETENCIES = CompiledQuery()
_UPDATES = CompiledQuery()
_COMMENTS = CompiledQuery()
_STATUS_CHANGES = CompiledQuery()


def _milestones_of_plan(values: Mapping[str, Any]) -> QuerySet[Milestone]:
    # An aggregate query drops the model's default ordering: it is given again here.
    return (
        Milestone.objects.filter(goal__plan_id=values["plan_id"])
        .annotate(comment_count=Count("comments"))
        .order_by("order", "due_date", "pk")
    )


def plan_page(plan: ActionPlan, today: date | None = None) -> PlanPage:
    """Everything the plan page (and its print view and htmx fragments) shows, in a fixed
    number of queries."""
    cohort = plan.enrollment.cohort
    today = today or cohort.local_date()
    of_plan = {"plan_id": plan.pk}
    # Goals and milestones carry what the page adds to them (`milestone_list`, `overdue`).
    goals: list[Any] = _GOALS.instances(
        "of plan", of_plan, lambda v: Goal.objects.filter(plan_id=v["plan_id"])
    )
    # Each goal's milestones, in their order, as `goal.milestone_list`.
    by_goal: dict[int, list[Any]] = {goal.pk: [] for goal in goals}
    for milestone in _MILESTONES.instances("of plan", of_plan, _milestones_of_plan):
        by_goal[milestone.goal_id].append(milestone)
    # The plan comes from an access helper, with its enrollment, cohort and program joined.
    # (The focus levels may have come with it too: `access.with_focus_levels`.)
    if not hasattr(plan, "focus_levels_read"):
        prefetch_related_objects([plan], "focus_levels")
    competencies = _COMPETENCIES.instances(
        "of plan",
        of_plan,
        lambda v: Competency.objects.filter(action_plans=v["plan_id"]).select_related("domain"),
    )
    milestones = []
    for goal in goals:
        goal.plan = plan
        goal.milestone_list = by_goal[goal.pk]
        for milestone in goal.milestone_list:
            milestone.goal = goal
            milestone.overdue = milestone.is_overdue(today)
            milestones.append(milestone)
    by_pk = {m.pk: m for m in milestones}
    open_milestones = sorted(
        (m for m in milestones if not m.is_done), key=lambda m: (m.due_date, m.order, m.pk)
    )
    updates = _UPDATES.instances(
        "of plan",
        of_plan,
        lambda v: ProgressUpdate.objects.filter(plan_id=v["plan_id"]).select_related("author"),
    )
    comments: list[Any] = _COMMENTS.instances(
        "of plan",
        of_plan,
        lambda v: PlanComment.objects.filter(plan_id=v["plan_id"]).select_related("author"),
    )
    for comment in comments:
        comment.milestone = by_pk.get(comment.milestone_id)
    status_changes = _STATUS_CHANGES.instances(
        "of plan",
        of_plan,
        lambda v: PlanStatusChange.objects.filter(plan_id=v["plan_id"]).select_related(
            "changed_by"
        ),
    )
    page = PlanPage(
        plan=plan,
        goals=goals,
        milestones=milestones,
        next_up=open_milestones[:NEXT_UP_COUNT],
        progress=progress_of(milestones, today),
        updates=updates,
        comments=comments,
        status_changes=status_changes,
        competencies=competencies,
        today=today,
    )
    page.timeline = _timeline(page, cohort)
    return page


def _timeline(page: PlanPage, cohort: Cohort) -> list[TimelineEntry]:
    entries = [TimelineEntry(u.as_of, "update", u) for u in page.updates]
    for m in page.milestones:
        if m.is_done:
            entries.append(TimelineEntry(m.completed_on, "milestone_done", m))
        else:
            entries.append(TimelineEntry(m.due_date, "milestone_due", m, overdue=m.overdue))
    for change in page.status_changes:
        if change.from_status:
            on = cohort.local_date(change.changed_at)
            entries.append(TimelineEntry(on, "status", change))
    order = {"milestone_due": 0, "update": 1, "milestone_done": 2, "status": 3}
    return sorted(entries, key=lambda e: (e.on, order[e.kind]), reverse=True)


# --- The cohort plans table -----------------------------------------------------------------


def cohort_plans(
    user: object,  # a Viewer; ActionPlan.objects.visible_to decides
    cohort: Cohort,
    *,
    status: str = "",
    focus_level: str = "",
    today: date | None = None,
) -> list[ActionPlan]:
    """The plans of a cohort the viewer may read, with progress, overdue count and the
    date of the last update, for the staff (and coach) table."""
    today = today or cohort.local_date()
    done = Q(goals__milestones__status=MilestoneStatus.DONE)
    last_update = (
        ProgressUpdate.objects.filter(plan=OuterRef("pk")).order_by("-as_of", "-pk").values
    )
    plans = (
        ActionPlan.objects.visible_to(user)
        .filter(enrollment__cohort=cohort)
        .select_related("enrollment__user")
        .prefetch_related("focus_levels")
        .annotate(
            milestone_total=Count("goals__milestones", distinct=True),
            milestone_done=Count("goals__milestones", filter=done, distinct=True),
            milestone_overdue=Count(
                "goals__milestones",
                filter=overdue_q(today, prefix="goals__milestones__"),
                distinct=True,
            ),
            last_update_on=Subquery(last_update("as_of")[:1]),
            last_signal=Subquery(last_update("signal")[:1]),
        )
        .order_by("enrollment__user__full_name")
    )
    if status:
        plans = plans.filter(status=status)
    if focus_level:
        plans = plans.filter(focus_levels__level=focus_level)
    # Each row also carries its annotations and `progress`.
    rows: list[Any] = list(plans)
    for plan in rows:
        plan.progress = Progress(plan.milestone_done, plan.milestone_total, plan.milestone_overdue)
    return rows


def cohort_status_counts(user: Viewer, cohort: Cohort, today: date | None = None) -> dict:
    """Plan status counts and overdue milestones of the cohort's plans the viewer may read."""
    today = today or cohort.local_date()
    plans = ActionPlan.objects.visible_to(user).filter(enrollment__cohort=cohort)
    by_status = dict(plans.values_list("status").annotate(n=Count("pk")).order_by())
    overdue = Milestone.objects.filter(goal__plan__in=plans).overdue(today).count()
    return {
        "rows": [(value, label, by_status.get(value, 0)) for value, label in PlanStatus.choices],
        "total": sum(by_status.values()),
        "overdue": overdue,
    }


# --- Revision history -----------------------------------------------------------------------


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list[tuple[str, str]]  # (kind, text): kind is "add", "remove", "same" or "hunk"


def revision_diff(older: PlanRevision, newer: PlanRevision) -> list[FieldDiff]:
    """What changed between two versions, field by field, line by line (difflib)."""
    diffs = []
    for name in PLAN_TEXT_FIELDS:
        before = (older.snapshot.get(name) or "").splitlines()
        after = (newer.snapshot.get(name) or "").splitlines()
        if before == after:
            continue
        lines = []
        for line in difflib.unified_diff(before, after, lineterm="", n=2):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(("hunk", "…"))
            elif line.startswith("+"):
                lines.append(("add", line[1:]))
            elif line.startswith("-"):
                lines.append(("remove", line[1:]))
            else:
                lines.append(("same", line[1:]))
        # The plan's text fields, never a relation: they all have a verbose name.
        label = str(cast(models.Field, ActionPlan._meta.get_field(name)).verbose_name)
        diffs.append(FieldDiff(name=name, label=label[:1].upper() + label[1:], lines=lines))
    return diffs


def compared_revisions(
    revisions: list[PlanRevision], a: int | None = None, b: int | None = None
) -> tuple[PlanRevision, PlanRevision] | None:
    """(older, newer) of the plan's revisions (newest first) numbered `a` and `b`, in
    order; by default the latest two. None when either number is not in the list."""
    if a is None and b is None:
        return (revisions[1], revisions[0]) if len(revisions) >= 2 else None
    numbers: dict[int | None, PlanRevision] = {r.number: r for r in revisions}
    older, newer = numbers.get(a), numbers.get(b)
    if older is None or newer is None:
        return None
    return (newer, older) if older.number > newer.number else (older, newer)


# --- "My plan" ------------------------------------------------------------------------------


def my_plan_target(user: User) -> tuple[Enrollment | None, ActionPlan | None]:
    """Where "My plan" leads the user: `(enrollment, None)` when their active enrollment
    has no plan yet (to start one), `(None, plan)` for their latest plan (alumni keep
    theirs), `(None, None)` when there is neither."""
    enrollments = list(
        user.enrollments.with_cohort_access()
        .select_related("action_plan")
        .order_by("-cohort__start_date")
    )
    active = next((e for e in enrollments if e.status == EnrollmentStatus.ACTIVE), None)
    if active is not None and not hasattr(active, "action_plan"):
        return active, None
    plan = next((e.action_plan for e in enrollments if hasattr(e, "action_plan")), None)
    return None, plan


def review_queue(program_ids: Iterable[int]) -> QuerySet[ActionPlan]:
    """Plans waiting for a staff review in these programs, the longest waiting first."""
    return (
        ActionPlan.objects.filter(
            status=PlanStatus.SUBMITTED, enrollment__cohort__program_id__in=program_ids
        )
        .select_related("enrollment__user", "enrollment__cohort__program")
        .order_by("status_changed_at", "pk")
    )

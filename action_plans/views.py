"""Thin views: access helper first, then a form and a service, then render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import EnrollmentStatus

from . import services
from .access import (
    get_cohort_for_plan_overview,
    get_enrollment_to_start_plan,
    get_goal_for_viewer,
    get_milestone_for_viewer,
    get_plan_for_viewer,
)
from .forms import (
    CommentForm,
    CompareForm,
    GoalForm,
    MilestoneForm,
    MilestoneStatusForm,
    MoveForm,
    PlanFilterForm,
    PlanForm,
    ProgressUpdateForm,
    ReviewForm,
)
from .models import ActionPlan, MilestoneStatus
from .selectors import cohort_plans as select_cohort_plans
from .selectors import plan_page, revision_diff


def _apply_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError next to the form's fields (or on top of it)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- The plan -----------------------------------------------------------------------------


@require_GET
def my_plan(request):
    """The fellow's current plan (or the page to start it); alumni get their latest plan."""
    enrollments = list(
        request.user.enrollments.with_cohort_access()
        .select_related("action_plan")
        .order_by("-cohort__start_date")
    )
    active = next((e for e in enrollments if e.status == EnrollmentStatus.ACTIVE), None)
    if active is not None and not hasattr(active, "action_plan"):
        return redirect("action_plans:plan_start", code=active.code)
    for enrollment in enrollments:
        if hasattr(enrollment, "action_plan"):
            return redirect(enrollment.action_plan)
    return render(request, "action_plans/no_plan.html")


@require_http_methods(["GET", "POST"])
def plan_start(request, code):
    enrollment = get_enrollment_to_start_plan(request.user, code)
    existing = ActionPlan.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return redirect(existing)
    form = PlanForm(request.POST or None, cohort=enrollment.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your action plan is started. Add goals and milestones next.")
            return redirect(plan)
    return render(
        request,
        "action_plans/plan_form.html",
        {"form": form, "enrollment": enrollment, "plan": None},
    )


def _plan_context(request, plan, permissions, **extra) -> dict:
    page = plan_page(plan)
    context = {
        "page": page,
        "plan": page.plan,
        "access": permissions,
        "status_choices": MilestoneStatus.choices,
        "update_form": ProgressUpdateForm(),
        "comment_form": CommentForm(plan=page.plan) if permissions.can_comment else None,
        "review_form": ReviewForm() if permissions.can_review else None,
    }
    context.update(extra)
    return context


@require_GET
def plan_detail(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    return render(
        request, "action_plans/plan_detail.html", _plan_context(request, plan, permissions)
    )


@require_GET
def plan_print(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    return render(
        request, "action_plans/plan_print.html", _plan_context(request, plan, permissions)
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    if not permissions.is_owner:
        permissions.require("can_edit", "Only the fellow edits their action plan.")
    if not permissions.can_edit:
        messages.error(
            request,
            f"Your plan is {plan.get_status_display().lower()}: it cannot be edited right now.",
        )
        return redirect(plan)
    form = PlanForm(request.POST or None, instance=plan, cohort=plan.enrollment.cohort)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.plan_update(plan=plan, by=request.user, **fields)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your plan is saved.")
            return redirect(plan)
    return render(
        request,
        "action_plans/plan_form.html",
        {"form": form, "enrollment": plan.enrollment, "plan": plan},
    )


@require_POST
def plan_submit(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("is_owner", "Only the fellow submits their plan.")
    try:
        services.plan_submit(plan=plan, by=request.user)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, "Your plan is submitted for review. Staff will be in touch.")
    return redirect(plan)


@require_POST
def plan_review(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("is_staff", "Only program staff approve action plans.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.plan_review(
                plan=plan,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            approved = form.cleaned_data["decision"] == "approve"
            messages.success(
                request, "The plan is approved." if approved else "Changes are requested."
            )
            return redirect(plan)
    context = _plan_context(request, plan, permissions, review_form=form)
    return render(request, "action_plans/plan_detail.html", context, status=200)


@require_POST
def plan_complete(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("is_staff", "Only program staff close action plans.")
    try:
        services.plan_complete(plan=plan, by=request.user)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, "The plan is marked completed.")
    return redirect(plan)


@require_GET
def plan_history(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("can_see_history", "Only the fellow and program staff see versions.")
    revisions = list(plan.revisions.select_related("author"))  # newest first
    numbers = {r.number: r for r in revisions}
    initial = {}
    if len(revisions) >= 2:
        initial = {"a": revisions[1].number, "b": revisions[0].number}
    form = CompareForm(request.GET or None, initial=initial)
    diff = older = newer = None
    if request.GET:
        if form.is_valid():
            older = numbers.get(form.cleaned_data["a"])
            newer = numbers.get(form.cleaned_data["b"])
            if older is None or newer is None:
                form.add_error(None, "Choose two versions from the list.")
            else:
                if older.number > newer.number:
                    older, newer = newer, older
                diff = revision_diff(older, newer)
    elif len(revisions) >= 2:
        older, newer = revisions[1], revisions[0]
        diff = revision_diff(older, newer)
    return render(
        request,
        "action_plans/plan_history.html",
        {
            "plan": plan,
            "revisions": revisions,
            "form": form,
            "diff": diff,
            "older": older,
            "newer": newer,
        },
    )


# --- Goals and milestones -------------------------------------------------------------------


def _require_work(permissions, plan):
    if not permissions.is_owner:
        permissions.require("can_work", "Only the fellow changes their plan.")
    permissions.require("can_work", "This plan is completed and can no longer change.")


def _form_page(request, *, form, plan, heading, submit, intro="", delete_url=None, status=200):
    return render(
        request,
        "action_plans/simple_form.html",
        {
            "form": form,
            "plan": plan,
            "heading": heading,
            "submit": submit,
            "intro": intro,
            "delete_url": delete_url,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def goal_add(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    _require_work(permissions, plan)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, title=form.cleaned_data["title"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Goal added. Now give it a milestone.")
            return redirect("action_plans:milestone_add", code=goal.code)
    return _form_page(request, form=form, plan=plan, heading="Add a goal", submit="Add goal")


@require_http_methods(["GET", "POST"])
def goal_edit(request, code):
    goal, permissions = get_goal_for_viewer(request.user, code)
    _require_work(permissions, goal.plan)
    form = GoalForm(request.POST or None, initial={"title": goal.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, title=form.cleaned_data["title"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Goal saved.")
            return redirect(goal)
    return _form_page(
        request,
        form=form,
        plan=goal.plan,
        heading="Edit goal",
        submit="Save goal",
        delete_url=reverse("action_plans:goal_delete", kwargs={"code": goal.code}),
    )


@require_POST
def goal_delete(request, code):
    goal, permissions = get_goal_for_viewer(request.user, code)
    _require_work(permissions, goal.plan)
    plan = goal.plan
    services.goal_delete(goal=goal)
    messages.success(request, "Goal and its milestones deleted.")
    return redirect(plan)


@require_http_methods(["GET", "POST"])
def milestone_add(request, code):
    goal, permissions = get_goal_for_viewer(request.user, code)
    _require_work(permissions, goal.plan)
    cohort = goal.plan.enrollment.cohort
    form = MilestoneForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Milestone added.")
            return redirect(milestone)
    return _form_page(
        request,
        form=form,
        plan=goal.plan,
        heading="Add a milestone",
        intro=f"Goal: {goal.title}",
        submit="Add milestone",
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request, code):
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    plan = milestone.goal.plan
    _require_work(permissions, plan)
    form = MilestoneForm(request.POST or None, instance=milestone, cohort=plan.enrollment.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(milestone=milestone, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Milestone saved.")
            return redirect(milestone)
    return _form_page(
        request,
        form=form,
        plan=plan,
        heading="Edit milestone",
        intro=f"Goal: {milestone.goal.title}",
        submit="Save milestone",
        delete_url=reverse("action_plans:milestone_delete", kwargs={"code": milestone.code}),
    )


@require_POST
def milestone_status(request, code):
    """The quick status change: an htmx request gets the plan's work section back (the same
    partial the page renders); without htmx, a redirect to the plan."""
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    plan = milestone.goal.plan
    _require_work(permissions, plan)
    form = MilestoneStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.milestone_set_status(milestone=milestone, status=form.cleaned_data["status"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = "Choose one of the listed statuses."
    if request.htmx:
        context = _plan_context(request, plan, permissions, status_error=error)
        return render(request, "action_plans/plan_detail.html#plan-work", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{milestone.title}” is now {milestone.get_status_display()}.")
    return redirect(milestone)


@require_POST
def milestone_move(request, code):
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    _require_work(permissions, milestone.goal.plan)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.milestone_move(milestone=milestone, direction=form.cleaned_data["direction"])
    else:
        messages.error(request, "Move a milestone up or down.")
    return redirect(milestone)


@require_POST
def milestone_delete(request, code):
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    plan = milestone.goal.plan
    _require_work(permissions, plan)
    services.milestone_delete(milestone=milestone)
    messages.success(request, "Milestone deleted.")
    return redirect(plan)


# --- Updates and comments -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def update_add(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    _require_work(permissions, plan)
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your update is posted.")
            return redirect(plan)
    return _form_page(
        request,
        form=form,
        plan=plan,
        heading="Post a progress update",
        intro="What moved since last time, what got in the way, and what comes next.",
        submit="Post update",
    )


@require_POST
def comment_add(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("can_comment", "You may read this plan but not comment on it.")
    form = CommentForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            comment = services.comment_post(
                plan=plan,
                by=request.user,
                body=form.cleaned_data["body"],
                milestone=form.cleaned_data["milestone"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your comment is posted.")
            return redirect(comment)
    context = _plan_context(request, plan, permissions, comment_form=form)
    return render(request, "action_plans/plan_detail.html", context)


# --- Staff: the cohort's plans --------------------------------------------------------------


@require_GET
def cohort_plans(request, code):
    cohort = get_cohort_for_plan_overview(request.user, code)
    form = PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    plans = select_cohort_plans(
        request.user,
        cohort,
        status=filters.get("status", ""),
        focus_level=filters.get("focus_level", ""),
    )
    return render(
        request,
        "action_plans/cohort_plans.html",
        {"cohort": cohort, "plans": plans, "form": form},
    )

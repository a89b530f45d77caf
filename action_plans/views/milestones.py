"""Goals and their milestones: add, edit, delete, the quick status change and ordering."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.form_helpers import posted, save_form

from .. import services
from ..access import get_goal_for_viewer, get_milestone_for_viewer, get_plan_for_viewer
from ..forms import GoalForm, MilestoneForm, MilestoneStatusForm, MoveForm, ReorderForm
from ._common import form_page, plan_context, require_work


@require_http_methods(["GET", "POST"])
def goal_add(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    require_work(permissions)
    form = GoalForm(posted(request))
    goal = save_form(form, lambda data: services.goal_create(plan=plan, title=data["title"]))
    if goal:
        messages.success(request, "Goal added. Now give it a milestone.")
        return redirect("action_plans:milestone_add", code=goal.code)
    return form_page(request, form=form, plan=plan, heading="Add a goal", submit="Add goal")


@require_http_methods(["GET", "POST"])
def goal_edit(request, code):
    goal, permissions = get_goal_for_viewer(request.user, code)
    require_work(permissions)
    form = GoalForm(posted(request), initial={"title": goal.title})
    if save_form(form, lambda data: services.goal_update(goal=goal, title=data["title"])):
        messages.success(request, "Goal saved.")
        return redirect(goal)
    return form_page(
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
    require_work(permissions)
    services.goal_delete(goal=goal)
    messages.success(request, "Goal and its milestones deleted.")
    return redirect(goal.plan)


@require_http_methods(["GET", "POST"])
def milestone_add(request, code):
    goal, permissions = get_goal_for_viewer(request.user, code)
    require_work(permissions)
    form = MilestoneForm(posted(request), cohort=goal.plan.enrollment.cohort)
    milestone = save_form(form, lambda data: services.milestone_create(goal=goal, **data))
    if milestone:
        messages.success(request, "Milestone added.")
        return redirect(milestone)
    return form_page(
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
    require_work(permissions)
    form = MilestoneForm(posted(request), instance=milestone, cohort=plan.enrollment.cohort)
    if save_form(form, lambda data: services.milestone_update(milestone=milestone, **data)):
        messages.success(request, "Milestone saved.")
        return redirect(milestone)
    return form_page(
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
    require_work(permissions)
    form = MilestoneStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.milestone_set_status(milestone=milestone, status=form.cleaned_data["status"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = "Choose one of the listed statuses."
    said = error or f"“{milestone.title}” is now {milestone.get_status_display()}."
    if request.htmx:
        # `status_said` is read out by the page's live region (static/js/a11y.js).
        context = plan_context(plan, permissions, status_error=error, status_said=said)
        return render(request, "action_plans/plan_detail.html#plan-work", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, said)
    return redirect(milestone)


@require_POST
def milestone_move(request, code):
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    require_work(permissions)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.milestone_move(milestone=milestone, direction=form.cleaned_data["direction"])
    else:
        messages.error(request, "Move a milestone up or down.")
    return redirect(milestone)


@require_POST
def milestone_reorder(request, code):
    """The order of a goal's milestones after a drag and drop (static/js/action_plans.js);
    the up and down buttons (`milestone_move`) do the same from the keyboard or without
    JavaScript. Refused input answers 400 and changes nothing. An htmx request gets the
    plan's work section back; without htmx, a redirect to the goal."""
    goal, permissions = get_goal_for_viewer(request.user, code)
    require_work(permissions)
    form = ReorderForm(request.POST, goal=goal)
    reordered = save_form(
        form, lambda data: services.milestone_reorder(goal=goal, codes=data["milestones"])
    )
    if not reordered:
        errors = " ".join(message for messages_ in form.errors.values() for message in messages_)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    if request.htmx:
        context = plan_context(goal.plan, permissions)
        return render(request, "action_plans/plan_detail.html#plan-work", context)
    messages.success(request, "Milestones reordered.")
    return redirect(goal)


@require_POST
def milestone_delete(request, code):
    milestone, permissions = get_milestone_for_viewer(request.user, code)
    require_work(permissions)
    services.milestone_delete(milestone=milestone)
    messages.success(request, "Milestone deleted.")
    return redirect(milestone.goal.plan)

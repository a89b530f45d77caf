"""The plan: starting it, reading and printing it, editing its text, the review workflow
and its revision history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from cohorts.terms import terms_for_request

from .. import services
from ..access import get_enrollment_to_start_plan, get_plan_for_viewer
from ..forms import CompareForm, PlanForm, ReviewForm
from ..models import ActionPlan
from ..selectors import compared_revisions, my_plan_target, revision_diff
from ._common import message_errors, plan_context


@require_GET
def my_plan(request):
    """The fellow's current plan (or the page to start it); alumni get their latest plan."""
    enrollment, plan = my_plan_target(request.user)
    if enrollment is not None:
        return redirect("action_plans:plan_start", code=enrollment.code)
    if plan is not None:
        return redirect(plan)
    return render(request, "action_plans/no_plan.html")


@require_http_methods(["GET", "POST"])
def plan_start(request, code):
    enrollment = get_enrollment_to_start_plan(request.user, code)
    existing = ActionPlan.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return redirect(existing)
    form = PlanForm(posted(request), cohort=enrollment.cohort, terms=terms_for_request(request))
    plan = save_form(
        form, lambda data: services.plan_create(enrollment=enrollment, by=request.user, **data)
    )
    if plan:
        messages.success(request, "Your action plan is started. Add goals and milestones next.")
        return redirect(plan)
    return render(
        request,
        "action_plans/plan_form.html",
        {"form": form, "enrollment": enrollment, "plan": None},
    )


@require_GET
def plan_detail(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    return render(request, "action_plans/plan_detail.html", plan_context(plan, permissions))


@require_GET
def plan_print(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    return render(request, "action_plans/plan_print.html", plan_context(plan, permissions))


@require_http_methods(["GET", "POST"])
def plan_edit(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    if not permissions.is_owner:
        permissions.require("can_edit", "Only the fellow edits their action plan.")
    if not permissions.can_edit:
        messages.error(request, plan.edit_refusal())
        return redirect(plan)
    form = PlanForm(
        posted(request),
        instance=plan,
        cohort=plan.enrollment.cohort,
        terms=terms_for_request(request),
    )
    if save_form(form, lambda data: services.plan_update(plan=plan, by=request.user, **data)):
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
        message_errors(request, exc)
    else:
        messages.success(request, "Your plan is submitted for review. Staff will be in touch.")
    return redirect(plan)


@require_POST
def plan_review(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("is_staff", "Only program staff approve action plans.")
    form = ReviewForm(request.POST)
    reviewed = save_form(
        form,
        lambda data: services.plan_review(
            plan=plan, by=request.user, approve=data["decision"] == "approve", note=data["note"]
        ),
    )
    if reviewed:
        approved = form.cleaned_data["decision"] == "approve"
        messages.success(request, "The plan is approved." if approved else "Changes are requested.")
        return redirect(plan)
    context = plan_context(plan, permissions, review_form=form)
    return render(request, "action_plans/plan_detail.html", context)


@require_POST
def plan_complete(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("is_staff", "Only program staff close action plans.")
    try:
        services.plan_complete(plan=plan, by=request.user)
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, "The plan is marked completed.")
    return redirect(plan)


@require_GET
def plan_history(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    permissions.require("can_see_history", "Only the fellow and program staff see versions.")
    revisions = list(plan.revisions.select_related("author"))  # newest first
    pair = compared_revisions(revisions)
    initial = {"a": pair[0].number, "b": pair[1].number} if pair else {}
    # With fewer than two versions there is nothing to compare and no form on the page.
    comparing = bool(request.GET) and len(revisions) > 1
    form = CompareForm(request.GET if comparing else None, initial=initial)
    if comparing:
        pair = None
        if form.is_valid():
            pair = compared_revisions(revisions, form.cleaned_data["a"], form.cleaned_data["b"])
            if pair is None:
                form.add_error(None, "Choose two versions from the list.")
    older, newer = pair or (None, None)
    return render(
        request,
        "action_plans/plan_history.html",
        {
            "plan": plan,
            "revisions": revisions,
            "form": form,
            "diff": revision_diff(older, newer) if pair else None,
            "older": older,
            "newer": newer,
        },
    )

"""Progress updates (the fellow's) and comments (coach, peers, staff and the fellow)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.form_helpers import posted, save_form

from .. import services
from ..access import get_plan_for_viewer
from ..forms import CommentForm, ProgressUpdateForm
from ._common import form_page, plan_context, require_work


@require_http_methods(["GET", "POST"])
def update_add(request, code):
    plan, permissions = get_plan_for_viewer(request.user, code)
    require_work(permissions)
    form = ProgressUpdateForm(posted(request), cohort=plan.enrollment.cohort)
    if save_form(form, lambda data: services.update_post(plan=plan, by=request.user, **data)):
        messages.success(request, "Your update is posted.")
        return redirect(plan)
    return form_page(
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
    comment = save_form(
        form,
        lambda data: services.comment_post(
            plan=plan, by=request.user, body=data["body"], milestone=data["milestone"]
        ),
    )
    if comment:
        messages.success(request, "Your comment is posted.")
        return redirect(comment)
    context = plan_context(plan, permissions, comment_form=form)
    return render(request, "action_plans/plan_detail.html", context)

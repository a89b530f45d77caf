"""Steps every action_plans view shares: the plan page's context, the one-form pages and the
rule for changing a plan's work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from ..forms import CommentForm, ReviewForm
from ..models import MilestoneStatus
from ..selectors import plan_page


def message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def require_work(permissions) -> None:
    """Goals, milestones and updates: the fellow's own, and only while the plan is open."""
    if not permissions.is_owner:
        permissions.require("can_work", "Only the fellow changes their plan.")
    permissions.require("can_work", "This plan is completed and can no longer change.")


def plan_context(plan, permissions, **extra) -> dict:
    """What the plan page (and its print view and htmx fragments) renders."""
    page = plan_page(plan)
    context = {
        "page": page,
        "plan": page.plan,
        "access": permissions,
        "status_choices": MilestoneStatus.choices,
        "comment_form": CommentForm(plan=page.plan, milestones=page.milestones)
        if permissions.can_comment
        else None,
        "review_form": ReviewForm() if permissions.can_review else None,
    }
    context.update(extra)
    return context


def form_page(request, *, form, plan, heading, submit, intro="", delete_url=None):
    """The small one-form pages (goal, milestone, update)."""
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
    )

"""A fellow's coaching: the page of their entitlement, coach and sessions; assigning and
ending a coach (staff); the fellow's own preferences and consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.form_helpers import posted, save_form
from cohorts.terms import terms_for_request

from .. import selectors, services
from ..access import get_assignment_for_staff, get_enrollment_for_coaching
from ..forms import AssignForm, EndAssignmentForm, PreferencesForm


@require_GET
def enrollment_coaching(request, code):
    found, permissions = get_enrollment_for_coaching(request.user, code)
    enrollment = selectors.enrollment_with_stats(found.pk)
    return render(
        request,
        "coaching/enrollment_coaching.html",
        {
            "access": permissions,
            "enrollment": enrollment,
            "entitlement": enrollment.entitlement,
            "sessions": selectors.sessions_of_enrollment(enrollment),
            "history": list(selectors.assignment_history(enrollment)),
            "burndown": selectors.enrollment_burndown(enrollment),
        },
    )


@require_http_methods(["GET", "POST"])
def assign_coach(request, code):
    enrollment, permissions = get_enrollment_for_coaching(request.user, code)
    if not permissions.is_staff:
        raise PermissionDenied("Only program staff assign coaches.")
    matches = selectors.coach_matches(enrollment)
    current = enrollment.coach_assignments.active().select_related("coach").first()
    form = AssignForm(posted(request), matches=matches)
    terms_for_request(request).speak_form(form)
    if save_form(
        form,
        lambda data: services.coach_assign(
            enrollment=enrollment,
            coach=data["coach"],
            assigned_by=request.user,
            reason=data["reason"],
        ),
    ):
        messages.success(request, f"{form.cleaned_data['coach']} now coaches {enrollment.user}.")
        if current is None:
            # Giving coaches one by one: back to the fellows who still have none.
            return redirect("coaching:no_coach", code=enrollment.cohort.code)
        return redirect("coaching:enrollment_coaching", code=enrollment.code)
    return render(
        request,
        "coaching/assign.html",
        {"enrollment": enrollment, "matches": matches, "current": current, "form": form},
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request, code):
    assignment = get_assignment_for_staff(request.user, code)
    enrollment = assignment.enrollment
    if not assignment.is_active:
        messages.info(request, "This assignment has already ended.")
        return redirect("coaching:enrollment_coaching", code=enrollment.code)
    form = EndAssignmentForm(posted(request))
    terms_for_request(request).speak_form(form)
    if save_form(
        form,
        lambda data: services.coach_assignment_end(assignment=assignment, reason=data["reason"]),
    ):
        messages.success(request, f"{assignment.coach} no longer coaches {enrollment.user}.")
        return redirect("coaching:no_coach", code=enrollment.cohort.code)
    return render(
        request,
        "coaching/assignment_end.html",
        {"assignment": assignment, "enrollment": enrollment, "form": form},
    )


@require_http_methods(["GET", "POST"])
def preferences(request, code):
    enrollment, permissions = get_enrollment_for_coaching(request.user, code)
    if not permissions.is_fellow:
        raise PermissionDenied("Only the fellow sets their coaching preferences.")
    prefs = selectors.preferences_of(enrollment)
    form = PreferencesForm(posted(request), instance=prefs)
    if save_form(
        form,
        lambda data: services.coaching_preferences_update(
            enrollment=enrollment,
            share_summaries_with_staff=data["share_summaries_with_staff"],
            languages=data["languages"],
        ),
    ):
        messages.success(request, "Your coaching preferences are saved.")
        return redirect("coaching:preferences", code=enrollment.code)
    return render(
        request,
        "coaching/preferences.html",
        {"enrollment": enrollment, "form": form, "prefs": prefs},
    )

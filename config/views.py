"""The site's start page: it sends each person to the start page of their main role, so it
knows every app's start page and sits above them all."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.roles import viewer_roles
from admissions import selectors as admissions


@require_GET
def home(request):
    """Takes each person to the start page of their main role."""
    roles = viewer_roles(request.user)
    if roles.admin or roles.staff:
        return redirect("cohorts:staff_home")
    if roles.coach:
        return redirect("coaching:coach_home")
    if roles.fellow:
        return redirect("cohorts:fellow_home")
    if roles.facilitator:
        return redirect("networks:my_groups")
    # Outside reviewers and applicants hold no role of a program: their rounds are their
    # way in (a reviewer signing in by emailed code lands here).
    return render(
        request,
        "accounts/no_role.html",
        {
            "seats": admissions.seats_of_user(request.user),
            "applications": admissions.applications_of_user(request.user),
        },
    )

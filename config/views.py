"""The site's start page: it sends each person to the start page of their main role, so it
knows every app's start page and sits above them all."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.roles import viewer_roles


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
    return render(request, "accounts/no_role.html")

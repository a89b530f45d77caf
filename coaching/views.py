from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import assignments_for_coach


@require_GET
def coach_home(request):
    return render(
        request,
        "coaching/coach_home.html",
        {"assignments": assignments_for_coach(request.user)},
    )

"""Staff: every plan waiting for review across the programs they staff, oldest first."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cohorts import roles

from ..selectors import review_queue as select_review_queue


@require_GET
def review_queue(request):
    program_ids = roles.staff_program_ids(request.user)
    if not program_ids:
        raise Http404("Only program staff review action plans.")
    return render(
        request,
        "action_plans/review_queue.html",
        {"plans": select_review_queue(program_ids)},
    )

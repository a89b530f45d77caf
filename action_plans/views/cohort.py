"""Staff (and coaches): every plan of a cohort in one table."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import get_cohort_for_plan_overview
from ..forms import PlanFilterForm
from ..selectors import cohort_plans as select_cohort_plans


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

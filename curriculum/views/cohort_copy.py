"""Next year's cohort from an earlier one: the dates, a preview of everything it will get,
then one step that creates it all (curriculum/services/cohort_copy.py)."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.form_helpers import posted, save_form
from cohorts.access import get_cohort_for_staff

from ..forms import CohortCopyForm
from ..selectors.cohort_copy import cohort_copy_plan
from ..services.cohort_copy import cohort_copy


def _suggested(source) -> dict:
    """52 weeks later (the same weekdays), named by its years; staff change it as they like."""
    year = datetime.timedelta(weeks=52)
    start, end = source.start_date + year, source.end_date + year
    return {"name": f"{start.year}–{end.year} cohort", "start_date": start, "end_date": end}


@require_http_methods(["GET", "POST"])
def cohort_copy_view(request, code):
    source = get_cohort_for_staff(request.user, code)
    form = CohortCopyForm(posted(request), initial=_suggested(source))
    plan = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "start_date", "end_date")}
        plan = cohort_copy_plan(source=source, **data)
        if form.cleaned_data["confirm"] and not plan.errors:
            cohort = save_form(form, lambda _: cohort_copy(source=source, by=request.user, **data))
            if cohort is not None:
                messages.success(
                    request,
                    f"{cohort.name} is created from {source.name}. Add its fellows next.",
                )
                return redirect(cohort)
        for error in plan.errors:
            form.add_error("start_date", error)
    return render(
        request, "curriculum/cohort_copy.html", {"source": source, "form": form, "plan": plan}
    )

"""Cohort-wide coaching pages for staff: coverage, fellows with no coach, the hours export."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.csv_export import csv_download
from accounts.form_helpers import posted, save_form
from cohorts.access import get_cohort_for_staff
from cohorts.terms import terms_for_request

from .. import selectors, services
from ..access import get_cohort_for_hours_export
from ..forms import CohortAssignForm


@require_GET
def coverage(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    rows = selectors.coverage_rows(cohort)
    pace = request.GET.get("pace", "")
    shown = [r for r in rows if r.entitlement.pace == pace] if pace else rows
    return render(
        request,
        "coaching/coverage.html",
        {
            "cohort": cohort,
            "rows": shown,
            "all_rows": rows,
            "pace": pace,
            "burndown": selectors.cohort_burndown(cohort, rows),
            "without_coach": selectors.count_without_coach(rows),
        },
    )


@require_GET
def no_coach(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    return render(
        request,
        "coaching/no_coach.html",
        {"cohort": cohort, "enrollments": selectors.fellows_without_coach(cohort)},
    )


@require_http_methods(["GET", "POST"])
def assign_cohort(request, code):
    """A coach proposed for every fellow without one; staff change any row and accept all."""
    cohort = get_cohort_for_staff(request.user, code)
    proposals, profiles = selectors.cohort_coach_proposals(cohort)
    form = CohortAssignForm(posted(request), proposals=proposals, profiles=profiles)
    assignments = save_form(
        form,
        lambda _: services.coach_assign_cohort(
            cohort=cohort, choices=form.choices(), by=request.user
        ),
    )
    if assignments is not None:
        count = len(assignments)
        if count:
            messages.success(
                request,
                f"{count} fellow{pluralize(count)} now {pluralize(count, 'has,have')} a coach.",
            )
        else:
            messages.info(request, "No coach was chosen: nothing changed.")
        return redirect("coaching:no_coach", code=cohort.code)
    counts = {p.pk: 0 for p in profiles}
    for proposal in proposals:
        if proposal.proposed is not None:
            counts[proposal.proposed.pk] += 1
    coaches = [(p, counts[p.pk]) for p in profiles]
    return render(
        request,
        "coaching/assign_cohort.html",
        {"cohort": cohort, "form": form, "coaches": coaches, "proposals": proposals},
    )


EXPORT_HEADER = [
    "Fellow",
    "Email",
    "State or territory",
    "Agency",
    "Coach",
    "Date (UTC)",
    "Start (UTC)",
    "Duration (minutes)",
    "Hours",
    "Mode",
    "Status",
    "Counts against entitlement",
    "Competencies",
]


@require_GET
def export_hours(request, code):
    """Coaching hours as CSV: staff get the cohort, a coach their own fellows. Facts only
    (PRODUCT.md: when, how long, status, competencies): never topics, the shared summary,
    the reflection or private notes."""
    cohort, coach = get_cohort_for_hours_export(request.user, code)
    sessions = selectors.export_sessions(cohort, coach=coach)

    def rows():
        for s in sessions:
            start = s.starts_at.astimezone(datetime.UTC)
            yield [
                s.fellow_name,
                s.fellow_email,
                s.fellow_state,
                s.fellow_agency,
                s.coach_name,
                f"{start:%Y-%m-%d}",
                f"{start:%H:%M}",
                s.duration_minutes,
                f"{s.duration_minutes / 60:.2f}",
                s.mode_label,
                s.status_label,
                "yes" if s.counts_against_entitlement else "no",
                "; ".join(s.competencies),
            ]

    filename = f"coaching-hours-{slugify(cohort.name) or 'cohort'}.csv"
    header = [terms_for_request(request).speak(name) for name in EXPORT_HEADER]
    return csv_download(filename, header, rows(), program=cohort.program_id, subject=str(cohort))

"""Cohort-wide coaching pages for staff: coverage, fellows with no coach, the hours export."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.csv_export import csv_download
from cohorts.access import get_cohort_for_staff
from cohorts.terms import terms_for_request

from .. import selectors
from ..access import get_cohort_for_hours_export


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
        for s in sessions.iterator(chunk_size=500):
            start = s.starts_at.astimezone(datetime.UTC)
            yield [
                s.enrollment.user.full_name,
                s.enrollment.user.email,
                s.enrollment.state,
                s.enrollment.agency,
                s.coach.full_name,
                f"{start:%Y-%m-%d}",
                f"{start:%H:%M}",
                s.duration_minutes,
                f"{s.duration_minutes / 60:.2f}",
                s.get_mode_display(),
                s.get_status_display(),
                "yes" if s.counts_against_entitlement else "no",
                "; ".join(c.name for c in s.competencies.all()),
            ]

    filename = f"coaching-hours-{slugify(cohort.name) or 'cohort'}.csv"
    header = [terms_for_request(request).speak(name) for name in EXPORT_HEADER]
    return csv_download(filename, header, rows(), program=cohort.program_id, subject=str(cohort))

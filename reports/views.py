"""Reports pages: thin views. Access first (reports/access.py), figures from
reports/metrics.py, charts from reports/charts.py, then render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.csv_export import csv_download
from accounts.form_helpers import posted
from cohorts.terms import terms_for_request
from notifications import selectors as notification_selectors
from notifications import services as notification_services

from . import charts, metrics
from .access import (
    get_cohort_scope,
    get_program_for_reports,
    reportable_cohorts,
    roster_enrollment_ids,
    roster_user_ids,
)
from .exports import EXPORTS
from .forms import ResendForm


@require_GET
def index(request):
    programs, coached = reportable_cohorts(request.user)
    return render(request, "reports/index.html", {"programs": programs, "coached": coached})


@require_GET
def cohort_dashboard(request, code):
    scope = get_cohort_scope(request.user, code)
    board = metrics.dashboard(scope, timezone.now())
    return render(
        request,
        "reports/cohort_dashboard.html",
        {
            "scope": scope,
            "cohort": scope.cohort,
            "board": board,
            "attendance_chart": charts.attendance_by_session_chart(board.attendance),
            "growth_chart": charts.growth_chart(board.growth),
            "exports": EXPORTS.values(),
        },
    )


@require_GET
def at_risk(request, code):
    scope = get_cohort_scope(request.user, code)
    return render(
        request,
        "reports/at_risk.html",
        {
            "scope": scope,
            "cohort": scope.cohort,
            "program": scope.program,
            "flagged": metrics.at_risk_for(scope, timezone.now()),
        },
    )


@require_GET
def cohort_report(request, code):
    """The printable report for funders."""
    scope = get_cohort_scope(request.user, code)
    report = metrics.funder_report(scope, timezone.now())
    figures = {
        "people": report.people,
        "attendance": report.attendance,
        "plans": report.plans,
        "growth": report.growth,
    }
    return render(
        request,
        "reports/cohort_report.html",
        {
            "scope": scope,
            "cohort": scope.cohort,
            "today": report.today,
            "coaching": report.coaching,
            "partners": report.partners,
            **figures,
            **charts.funder_report_charts(**figures),
        },
    )


@require_GET
def export(request, code, kind):
    scope = get_cohort_scope(request.user, code)
    spec = EXPORTS.get(kind)
    if spec is None:
        raise Http404("No such export.")
    rows = spec.rows(scope, timezone.now())
    name = slugify(f"{scope.cohort.program.slug} {scope.cohort.name} {spec.slug}") or spec.slug
    header = [terms_for_request(request).speak(column) for column in spec.header]
    return csv_download(
        f"{name}.csv", header, rows, program=scope.cohort.program_id, subject=str(scope.cohort)
    )


@require_GET
def program_dashboard(request, slug):
    program = get_program_for_reports(request.user, slug)
    now = timezone.now()
    headlines = metrics.program_headlines(program, now)
    return render(
        request,
        "reports/program_dashboard.html",
        {
            "program": program,
            "headlines": headlines,
            "chart": charts.program_chart(headlines),
        },
    )


@require_http_methods(["GET", "POST"])
def failed_notifications(request, slug):
    """Notifications that could not be emailed to people on the program's rosters, with the
    reason in plain words, and "Send again" for one row or the chosen ones."""
    program = get_program_for_reports(request.user, slug)
    rows = list(
        notification_selectors.failed_for(roster_user_ids(program), roster_enrollment_ids(program))
    )
    form = ResendForm(posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        count = notification_services.notifications_resend(
            ids=form.chosen_ids(), by=request.user, now=timezone.now()
        )
        messages.success(
            request,
            f"{count} notification{'s' if count != 1 else ''} will be sent again within a few "
            "minutes.",
        )
        return redirect("reports:failed_notifications", slug=program.slug)
    return render(
        request,
        "reports/failed_notifications.html",
        {
            "program": program,
            "form": form,
            "rows": [(n, *notification_selectors.explain_failure(n.last_error)) for n in rows],
            "REJECTED": notification_selectors.REJECTED,
        },
    )

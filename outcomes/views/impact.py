"""The staff side: a cohort's results to read and verify, the impact reports (a cohort, a
program across its years, every program the viewer runs) and their CSV export."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.csv_export import csv_download
from cohorts.terms import terms_for_request
from reports.access import get_cohort_scope

from .. import selectors
from ..access import get_impact_for_cohort, get_impact_for_program, get_impact_for_viewer
from ..demographics import DIMENSIONS, dimension_for
from ..impact import impact_report
from ..models import ResultKind
from ..selectors import cohort_results as select_cohort_results


@require_GET
def cohort_results(request, code):
    """Every result of the cohort's fellows (a coach: of their fellows), whatever the
    consent: the working list staff verify from."""
    scope = get_cohort_scope(request.user, code)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ResultKind.values else ""
    unverified = request.GET.get("unverified") == "1"
    return render(
        request,
        "outcomes/cohort_results.html",
        {
            "scope": scope,
            "cohort": scope.cohort,
            "results": select_cohort_results(scope, kind=kind, unverified=unverified),
            "kinds": ResultKind.choices,
            "kind": kind,
            "unverified": unverified,
        },
    )


def _impact_page(request, scope):
    dimension = dimension_for(request.GET.get("by"))
    return render(
        request,
        "outcomes/impact_report.html",
        {
            "scope": scope,
            "report": impact_report(scope, dimension),
            "dimensions": DIMENSIONS.values(),
            "by": dimension.key if dimension else "",
            "today": scope.today(),
        },
    )


@require_GET
def impact_mine(request):
    return _impact_page(request, get_impact_for_viewer(request.user))


@require_GET
def impact_program(request, slug):
    return _impact_page(request, get_impact_for_program(request.user, slug))


@require_GET
def impact_cohort(request, code):
    return _impact_page(request, get_impact_for_cohort(request.user, code))


def _export(request, scope):
    header, rows = selectors.results_export(scope=scope, by=request.user)
    name = slugify(f"{scope.title} results") or "results"
    program = scope.program or (scope.cohort.program if scope.cohort else None)
    header = [terms_for_request(request).speak(column) for column in header]
    return csv_download(f"{name}.csv", header, rows, program=program, subject=scope.title)


@require_GET
def export_mine(request):
    return _export(request, get_impact_for_viewer(request.user))


@require_GET
def export_program(request, slug):
    return _export(request, get_impact_for_program(request.user, slug))


@require_GET
def export_cohort(request, code):
    return _export(request, get_impact_for_cohort(request.user, code))

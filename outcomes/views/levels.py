"""Focus levels year over year: a program across its cohorts, or every program the viewer
runs, as a page (charts and their tables) and a CSV. Program staff only (impact's rule)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.csv_export import csv_download
from cohorts.terms import DEFAULT_TERMS, Terms, terms_for_request, use_program_terms

from ..access import get_impact_for_program, get_impact_for_viewer
from ..levels import export_header, export_rows, level_report


def _terms(request, scope) -> Terms:
    """A program's page speaks in its words; a page across several programs in the
    default words, which belong to none of them."""
    if scope.kind == "program":
        return terms_for_request(request)
    if len(scope.programs) == 1:
        return use_program_terms(request, scope.programs[0])
    request._cw_terms = DEFAULT_TERMS
    return DEFAULT_TERMS


def _page(request, scope):
    terms = _terms(request, scope)
    return render(
        request,
        "outcomes/levels_report.html",
        {"scope": scope, "report": level_report(scope, terms), "terms": terms},
    )


def _export(request, scope):
    terms = _terms(request, scope)
    report = level_report(scope, terms)
    name = slugify(f"{scope.title} focus levels") or "focus-levels"
    header = export_header(terms)
    return csv_download(
        f"{name}.csv",
        header,
        export_rows(report),
        program=scope.program,
        subject=f"{scope.title}: focus levels",
    )


@require_GET
def levels_mine(request):
    return _page(request, get_impact_for_viewer(request.user))


@require_GET
def levels_program(request, slug):
    return _page(request, get_impact_for_program(request.user, slug))


@require_GET
def export_levels_mine(request):
    return _export(request, get_impact_for_viewer(request.user))


@require_GET
def export_levels_program(request, slug):
    return _export(request, get_impact_for_program(request.user, slug))

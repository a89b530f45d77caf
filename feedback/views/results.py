"""Results pages for program staff (and a coach's own figures) and the CSV export."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.csv_export import csv_download

from .. import access, results, selectors
from ..models import MIN_ANSWERS


def _render(request, template, context):
    return render(request, template, {**context, "min_answers": MIN_ANSWERS})


@require_GET
def results_index(request):
    programs = access.get_programs_for_results(request.user)
    return _render(request, "feedback/results_index.html", {"programs": programs})


@require_GET
def session_results(request, code):
    session = access.get_session_for_results(request.user, code)
    return _render(request, "feedback/results_session.html", selectors.session_page(session))


@require_GET
def kind_results(request, code, kind):
    cohort, kind = access.get_kind_for_results(request.user, code, kind)
    return _render(request, "feedback/results_kind.html", selectors.kind_page(cohort, kind))


@require_GET
def cohort_results(request, code):
    cohort = access.get_cohort_for_results(request.user, code)
    return _render(request, "feedback/results_cohort.html", selectors.cohort_page(cohort))


@require_GET
def cohort_breakdown(request, code):
    cohort = access.get_cohort_for_results(request.user, code)
    return _render(request, "feedback/results_breakdown.html", selectors.breakdown_page(cohort))


@require_GET
def program_results(request, slug):
    program = access.get_program_for_results(request.user, slug)
    return _render(request, "feedback/results_program.html", selectors.program_page(program))


@require_GET
def own_coaching_results(request):
    coach = access.get_coach_for_own_figures(request.user)
    return _render(request, "feedback/results_coaching.html", selectors.own_coaching_page(coach))


def _csv_rows(blocks):
    for block in blocks:
        head = [block.form.title, block.phase, block.responses, block.asked or ""]
        for q in block.questions:
            if block.hidden or q.hidden:
                yield [*head, q.question.text, results.TOO_FEW, "", "", ""]
                continue
            if q.question.is_text:
                yield [*head, q.question.text, "(free text, not exported)", "", "", ""]
                continue
            for label, count, percent in q.rows:
                yield [*head, q.question.text, label, count, percent, q.mean_text]


@require_GET
def cohort_export(request, code):
    cohort = access.get_cohort_for_results(request.user, code)
    blocks = selectors.cohort_page(cohort)["blocks"]
    return csv_download(
        f"feedback-{cohort.code}.csv",
        [
            "form",
            "survey",
            "responses",
            "asked",
            "question",
            "answer",
            "count",
            "percent",
            "mean",
        ],
        _csv_rows(blocks),
        program=cohort.program,
        subject=f"Evaluation and survey results of {cohort}",
    )

"""`{% bar_chart chart %}`: a `reports.charts.Chart` as SVG with its legend and data table,
written in Python.

In the template language each bar cost a dozen variable lookups through the include's
context, an `add` filter per coordinate and a localisation per number: the charts were a
third of the cohort dashboard's and the funder report's CPU. This writes the markup
templates/reports/partials/bar_chart.html wrote (tests/reports/test_report_charts.py compares
them): every text escaped as `{{ }}` would and said in the page's terms; the numbers are SVG
geometry, never localised.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from accounts.markup import escaped as _e
from cohorts.terms import DEFAULT_TERMS

register = template.Library()

# Pattern fills each chart defines for itself (solid and outline are plain colours).
_DEFS = (
    '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"></rect>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#5b7f8c" stroke-width="3"></line></pattern>'
    '<pattern id="{id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#ffffff"></rect>'
    '<circle cx="2.5" cy="2.5" r="1.4" fill="#8a3b2a"></circle></pattern></defs>'
)
_LABEL_LENGTH = 30  # a group's label beside its bars, cut as `truncatechars:30` did


@register.simple_tag(takes_context=True)
def bar_chart(context, chart) -> SafeString:
    terms = context.get("terms") or DEFAULT_TERMS
    title = _e(terms.speak(chart.title))
    if chart.is_empty:
        return mark_safe(
            '<figure class="report-chart mb-2"><p class="text-body-secondary mb-1">'
            f"{title}: nothing to show yet.</p></figure>"
        )
    chart_id = _e(chart.id)
    series_names = [_e(terms.speak(s.name)) for s in chart.series]
    out = [
        '<figure class="report-chart mb-2">',
        f'<svg viewBox="0 0 {chart.width} {chart.height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="report-chart-svg" '
        f'data-max-width="{chart.width}">',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{_e(terms.speak(chart.description))} '
        "The table after the chart gives the same numbers.</desc>",
        _DEFS.format(id=chart_id),
    ]
    _axis(out, chart)
    _bars(out, chart)
    out.append("</svg>")
    if len(chart.series) > 1:
        out.append('<figcaption class="small text-body-secondary" aria-hidden="true">')
        for s, name in zip(chart.series, series_names, strict=True):
            out.append(
                '<span class="me-3 text-nowrap"><svg width="14" height="14"><rect width="14" '
                f'height="14" fill="{_e(s.fill)}" stroke="#1f4e5f"></rect></svg> {name} '
                f"({_e(s.pattern)})</span>"
            )
        out.append("</figcaption>")
    _table(out, chart, title, _e(terms.speak(chart.row_header)), series_names)
    out.append("</figure>")
    return mark_safe("".join(out))


def _axis(out: list[str], chart: Any) -> None:
    label_y = chart.axis_y + 16
    for tick in chart.ticks:
        x = tick["x"]
        out.append(
            f'<line x1="{x}" x2="{x}" y1="4" y2="{chart.axis_y}" stroke="#dee2e6"></line>'
            f'<text x="{x}" y="{label_y}" font-size="12" text-anchor="middle" fill="#495057">'
            f"{_e(tick['label'])}</text>"
        )


def _bars(out: list[str], chart: Any) -> None:
    left, height = chart.left, chart.bar_height
    for group in chart.groups:
        out.append(
            f'<text x="{left - 8}" y="{group.label_y}" font-size="13" text-anchor="end" '
            f'fill="#212529">{_e(Truncator(group.label).chars(_LABEL_LENGTH))}</text>'
        )
        for bar in group.bars:
            if bar.width:
                out.append(
                    f'<rect x="{left}" y="{bar.y}" width="{bar.width}" height="{height}" '
                    f'fill="{_e(bar.fill)}" stroke="#1f4e5f"></rect>'
                )
            out.append(
                f'<text x="{left + bar.width + 6}" y="{bar.text_y}" font-size="12" '
                f'fill="#212529">{_e(bar.text)}</text>'
            )


def _table(out: list[str], chart: Any, title: str, row_header: str, names: list[str]) -> None:
    head = "".join(f'<th scope="col">{name}</th>' for name in names)
    out.append(
        f'<details class="mt-1"><summary class="small">{title}: the numbers as a table</summary>'
        f'<table class="table table-sm table-compact mt-2">'
        f'<caption class="visually-hidden">{title}</caption>'
        f'<thead><tr><th scope="col">{row_header}</th>{head}</tr></thead><tbody>'
    )
    for first, *rest in chart.table_rows:
        cells = "".join(f"<td>{_e(cell)}</td>" for cell in rest)
        out.append(f'<tr><th scope="row">{_e(first)}</th>{cells}</tr>')
    out.append("</tbody></table></details>")

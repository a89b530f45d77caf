"""The charts written in Python (reports/templatetags/report_charts.py) are the markup the
template wrote before: the same geometry, every text escaped and said in the page's terms,
an empty chart as a sentence, a legend only with more than one series."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from cohorts.terms import DEFAULT_TERMS, Terms
from reports import charts

# templates/reports/partials/bar_chart.html as it was.
BAR_CHART = """
{# A server-drawn bar chart (reports/charts.py): patterns and value labels, never colour alone; the same numbers in a table below. #}
{% load l10n %}{% localize off %}{# its numbers are SVG geometry and its texts come formatted: nothing to localize, and each number would go through the locale's formats #}
<figure class="report-chart mb-2">
  {% if chart.is_empty %}
    <p class="text-body-secondary mb-1">{{ chart.title|speak:terms }}: nothing to show yet.</p>
  {% else %}
  <svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="100%" role="img" aria-labelledby="{{ chart.id }}-title {{ chart.id }}-desc" class="report-chart-svg" data-max-width="{{ chart.width }}">
    <title id="{{ chart.id }}-title">{{ chart.title|speak:terms }}</title>
    <desc id="{{ chart.id }}-desc">{{ chart.description|speak:terms }} The table after the chart gives the same numbers.</desc>
    <defs>
      <pattern id="{{ chart.id }}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#ffffff"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#5b7f8c" stroke-width="3"></line>
      </pattern>
      <pattern id="{{ chart.id }}-dots" width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" fill="#ffffff"></rect><circle cx="2.5" cy="2.5" r="1.4" fill="#8a3b2a"></circle>
      </pattern>
    </defs>
    {% for tick in chart.ticks %}
      <line x1="{{ tick.x }}" x2="{{ tick.x }}" y1="4" y2="{{ chart.axis_y }}" stroke="#dee2e6"></line>
      <text x="{{ tick.x }}" y="{{ chart.axis_y|add:16 }}" font-size="12" text-anchor="middle" fill="#495057">{{ tick.label }}</text>
    {% endfor %}
    {% for group in chart.groups %}
      <text x="{{ chart.left|add:-8 }}" y="{{ group.label_y }}" font-size="13" text-anchor="end" fill="#212529">{{ group.label|truncatechars:30 }}</text>
      {% for bar in group.bars %}
        {% if bar.width %}<rect x="{{ chart.left }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ chart.bar_height }}" fill="{{ bar.fill }}" stroke="#1f4e5f"></rect>{% endif %}
        <text x="{{ chart.left|add:bar.width|add:6 }}" y="{{ bar.text_y }}" font-size="12" fill="#212529">{{ bar.text }}</text>
      {% endfor %}
    {% endfor %}
  </svg>
  {% if chart.series|length > 1 %}
  <figcaption class="small text-body-secondary" aria-hidden="true">
    {% for s in chart.series %}<span class="me-3 text-nowrap"><svg width="14" height="14"><rect width="14" height="14" fill="{{ s.fill }}" stroke="#1f4e5f"></rect></svg> {{ s.name|speak:terms }} ({{ s.pattern }})</span>{% endfor %}
  </figcaption>
  {% endif %}
  <details class="mt-1">
    <summary class="small">{{ chart.title|speak:terms }}: the numbers as a table</summary>
    <table class="table table-sm table-compact mt-2">
      <caption class="visually-hidden">{{ chart.title|speak:terms }}</caption>
      <thead><tr><th scope="col">{{ chart.row_header|speak:terms }}</th>{% for s in chart.series %}<th scope="col">{{ s.name|speak:terms }}</th>{% endfor %}</tr></thead>
      <tbody>{% for row in chart.table_rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>{% endfor %}</tbody>
    </table>
  </details>
  {% endif %}
</figure>
{% endlocalize %}
"""  # noqa: E501

TRICKY = 'Dept. of <Health> & "Welfare" for fellows, a very long label indeed'


def _charts() -> list[charts.Chart]:
    attendance = SimpleNamespace(by_session=[])
    return [
        charts.count_chart(
            chart_id="sector-chart",
            title="Fellows by sector",
            description="Number of fellows from each sector <b>.",
            row_header="Sector",
            counts=[(TRICKY, 3), ("Tribal", 0), ("State", 12)],
        ),
        charts.bar_chart(
            id="three",
            title="Peer groups & fellows",
            description="Three series.",
            row_header="Fellow",
            series=["Attendance", "Coaching used", "Fellows' milestones"],
            rows=[
                ("One", [(40.5, "40.5%"), (None, "no data"), (100, "100% <done>")]),
                ("Two", [(0, "0%"), (75, "75%"), (120, "over")]),
            ],
            max_value=100,
            tick_suffix="%",
        ),
        charts.attendance_by_session_chart(attendance),
    ]


@pytest.mark.parametrize(
    "terms", [DEFAULT_TERMS, Terms(participant="scholar", participants="scholars")]
)
def test_charts_are_the_markup_of_the_template_they_replace(terms):
    old_template = Template("{% load terms %}" + BAR_CHART)
    new_template = Template("{% load report_charts %}{% bar_chart chart %}")
    for chart in _charts():
        context = {"chart": chart, "terms": terms}
        old = old_template.render(Context(context))
        new = new_template.render(Context(context))
        assert parse_html(new) == parse_html(old), chart.id
    assert "scholars" in new_template.render(Context({"chart": _charts()[0], "terms": terms})) or (
        terms is DEFAULT_TERMS
    )


def test_the_partial_draws_with_the_tag():
    chart = _charts()[1]
    partial = Template('{% include "reports/partials/bar_chart.html" %}')
    html = partial.render(Context({"chart": chart, "terms": DEFAULT_TERMS}))
    assert parse_html(html) == parse_html(
        Template("{% load terms %}" + BAR_CHART).render(
            Context({"chart": chart, "terms": DEFAULT_TERMS})
        )
    )
    assert "&lt;done&gt;" in html

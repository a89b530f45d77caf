"""The funder report's results list, written in Python, against the template loop it replaced."""

from __future__ import annotations

import datetime
import uuid

from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone

from outcomes.selectors import FunderResult

# The loop of templates/outcomes/partials/funder_results.html as it was.
RESULT_ROWS = """{% load humanize %}
  {% for result in results %}
    <article class="mb-3" data-result="{{ result.code }}">
      <h3 class="h6 mb-1">{{ result.title }} <span class="badge text-bg-light border">{{ result.kind_label }}</span>{% if result.is_verified %} <span class="badge text-bg-success">Verified</span>{% endif %}</h3>
      <p class="small text-body-secondary mb-1">{{ result.fellow }} · {{ result.achieved_on|date:"j M Y" }} · {{ result.jurisdiction_label }}{% if result.focus_levels %} · {{ result.focus_levels }}{% endif %}{% if result.people_reached is not None %} · about {{ result.people_reached|intcomma }} people reached (source: {{ result.reach_source }}){% endif %}</p>
      <div class="small">{{ result.story|linebreaksbr }}</div>
    </article>
  {% endfor %}
"""  # noqa: E501


def _result(**overrides) -> FunderResult:
    values = {
        "code": uuid.uuid4(),
        "title": "Clean water act",
        "story": "Passed.",
        "kind": "policy",
        "kind_label": "Policy",
        "is_verified": False,
        "fellow": "Ana Lee",
        "enrollment_id": 1,
        "achieved_on": datetime.date(2026, 3, 9),
        "jurisdiction_label": "Hawaii",
        "focus_levels": "Community",
        "people_reached": None,
        "reach_source": "",
    }
    return FunderResult(**(values | overrides))


def test_rows_are_the_markup_of_the_loop_they_replace():
    results = [
        _result(
            title='Water <b>"act"</b> & O\'Neil',
            story="First line <script>\nsecond & third\n\nlast",
            kind_label="Policy & <law>",
            is_verified=True,
            fellow='Ana "<i>" O\'Neil & Co',
            jurisdiction_label="Hawai<i>",
            focus_levels="Community, State & <federal>",
            people_reached=1234567,
            reach_source='Census <2020> & "survey"',
        ),
        # Empty values: no levels, no story, nobody counted, zero reached with no source.
        _result(focus_levels="", story="", people_reached=0),
        _result(achieved_on=None, people_reached=None),
        # Late at night in UTC is the next day in Auckland: the day is the viewer's.
        _result(achieved_on=datetime.datetime(2026, 12, 4, 23, tzinfo=datetime.UTC)),
    ]
    context = Context({"results": results})
    with timezone.override("Pacific/Auckland"):
        old = Template(RESULT_ROWS).render(context)
        new = Template("{% load outcomes_rows %}{% funder_result_rows results %}").render(context)
    assert parse_html(new) == parse_html(old)
    assert "Ana &quot;&lt;i&gt;&quot; O&#x27;Neil &amp; Co" in new
    assert "First line &lt;script&gt;<br>second &amp; third<br><br>last" in new
    assert (
        "about 1,234,567 people reached (source: Census &lt;2020&gt; &amp; &quot;survey&quot;)"
        in new
    )
    assert "about 0 people reached" in new
    assert "5 Dec 2026" in new
    assert new.count("Verified") == 1

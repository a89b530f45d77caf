"""The plan page's milestone rows written in Python (action_plans/templatetags/plan_rows.py)
are the markup the template's loop wrote: for the fellow with the status list and the move
buttons, for readers with the status alone; every text escaped."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from action_plans.models import MilestoneStatus
from action_plans.selectors import plan_page
from tests.factories.action_plans import (
    ActionPlanFactory,
    GoalFactory,
    MilestoneFactory,
    PlanCommentFactory,
)

pytestmark = pytest.mark.django_db

# The loop of templates/action_plans/plan_detail.html as it was.
MILESTONES = """
      {% for m in milestones %}
        <tr id="milestone-{{ m.code }}" data-code="{{ m.code }}" data-status="{{ m.status }}"{% if m.overdue %} class="table-warning"{% endif %}>
          <td>
            {% if m.is_done %}<span aria-hidden="true">✓ </span>{% endif %}{{ m.title }}
            {% if m.comment_count %}<span class="badge text-bg-light border">{{ m.comment_count }} comment{{ m.comment_count|pluralize }}</span>{% endif %}
            {% if m.evidence_note or m.evidence_url %}
              <div class="small text-body-secondary">Evidence: {{ m.evidence_note }}{% if m.evidence_url %} <a href="{{ m.evidence_url }}" rel="noopener noreferrer nofollow">link</a>{% endif %}</div>
            {% endif %}
          </td>
          <td class="text-nowrap">{{ m.due_date|date:"j M Y" }}{% if m.overdue %} <span class="badge badge-status-overdue">Overdue</span>{% endif %}
            {% if m.completed_on %}<div class="small text-success">Done {{ m.completed_on|date:"j M Y" }}</div>{% endif %}</td>
          <td>
            {% if access.can_work %}
            {# Saved with its button, never on change: a keyboard user moving through the options with the arrow keys would otherwise save each one (WCAG 3.2.2). #}
            {% url 'action_plans:milestone_status' m.code as status_url %}<form method="post" action="{{ status_url }}" class="d-flex gap-1 ap-status-form"
                  hx-post="{{ status_url }}" hx-target="#plan-work" hx-swap="outerHTML" data-focus-after="#status-{{ m.code }}">
              {% csrf_token %}
              <label class="visually-hidden" for="status-{{ m.code }}">Status of {{ m.title }}</label>
              <select class="form-select form-select-sm" style="min-width: 9rem" name="status" id="status-{{ m.code }}">
                {% for value, label in status_choices %}<option value="{{ value }}"{% if value == m.status %} selected{% endif %}>{{ label }}</option>{% endfor %}
              </select>
              <button type="submit" class="btn btn-sm btn-outline-secondary">Save<span class="visually-hidden"> the status of {{ m.title }}</span></button>
            </form>
            {% else %}
              <span class="badge {{ m.status_badge }}">{{ m.get_status_display }}</span>
            {% endif %}
          </td>
          {% if access.can_work %}
          <td class="text-nowrap text-end">
            <form method="post" action="{% url 'action_plans:milestone_move' m.code %}" class="d-inline">{% csrf_token %}
              <button class="btn btn-sm btn-link px-1" name="direction" value="up" {% if forloop.first %}disabled{% endif %} aria-label="Move {{ m.title }} up">↑</button>
              <button class="btn btn-sm btn-link px-1" name="direction" value="down" {% if forloop.last %}disabled{% endif %} aria-label="Move {{ m.title }} down">↓</button>
            </form>
            <a class="btn btn-sm btn-link" href="{% url 'action_plans:milestone_edit' m.code %}">Edit<span class="visually-hidden"> {{ m.title }}</span></a>
          </td>
          {% endif %}
        </tr>
      {% endfor %}
"""  # noqa: E501

TRICKY = "Draft the \"<b>\" amendment & O'Neil's memo"


def _milestones():
    plan = ActionPlanFactory()
    goal = GoalFactory(plan=plan)
    start = plan.enrollment.cohort.start_date
    done = MilestoneFactory(
        goal=goal,
        title=TRICKY,
        status=MilestoneStatus.DONE,
        completed_on=start + datetime.timedelta(days=3),
        evidence_note="Signed <memo> & minutes",
        evidence_url="https://example.org/a?b=1&c=<2>",
    )
    MilestoneFactory(goal=goal, due_date=start - datetime.timedelta(days=1))  # overdue
    commented = MilestoneFactory(goal=goal, status=MilestoneStatus.IN_PROGRESS, evidence_note="")
    for _ in range(2):
        PlanCommentFactory(plan=plan, milestone=commented)
    PlanCommentFactory(plan=plan, milestone=done)
    MilestoneFactory(goal=goal, evidence_url="https://example.org/only-a-link")
    page = plan_page(plan)
    return page.goals[0].milestone_list


@pytest.mark.parametrize("can_work", [True, False])
def test_rows_are_the_markup_of_the_loop_they_replace(can_work):
    milestones = _milestones()
    assert len(milestones) == 4
    context = {
        "milestones": milestones,
        "access": SimpleNamespace(can_work=can_work),
        "status_choices": MilestoneStatus.choices,
        "csrf_token": "t0k3n",
    }
    old = Template(MILESTONES).render(Context(context))
    new = Template("{% load plan_rows %}{% milestone_rows milestones %}").render(Context(context))
    assert parse_html(new) == parse_html(old)
    assert "<b>" not in new
    if can_work:  # the buttons and the link stay apart on screen, as the loop's spaces kept them
        assert re.search(r"↑</button>\s+<button", new)
        assert re.search(r"</form>\s+<a ", new)
    assert ("t0k3n" in new) is can_work
